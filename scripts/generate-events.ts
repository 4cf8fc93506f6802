/**
 * Generates events/<type>.<encoding>.json, the SNS->Lambda events for `serverless invoke local`, from the bare
 * Stream payloads in events/samples/: one file per sample and encoding. Run `npm run events` after adding a
 * sample; test/events.test.ts fails when the files are out of date.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageEncoding } from '../shared/types.js';
import { encodeMessage, snsLambdaEvent, stableMessageId } from '../emulator/index.js';

/** Where the bare samples are, and where the SNS events go. */
export const EVENTS_DIR = fileURLToPath(new URL('../events/', import.meta.url));
export const SAMPLES_DIR = join(EVENTS_DIR, 'samples');

/** The generated files: name -> content. */
export function renderSampleEvents(): Map<string, string> {
  const files = new Map<string, string>();
  for (const sample of readdirSync(SAMPLES_DIR).filter((name) => name.endsWith('.json')).sort()) {
    // Compact JSON, as Stream sends it; the sample files are indented for reading.
    const json = JSON.stringify(JSON.parse(readFileSync(join(SAMPLES_DIR, sample), 'utf8')));
    const type = sample.replace(/\.json$/, '');
    for (const encoding of Object.values(MessageEncoding)) {
      const name = `${type}.${encoding}.json`;
      const event = snsLambdaEvent(encodeMessage(json, encoding), { messageId: stableMessageId(name) });
      files.set(name, `${JSON.stringify(event, null, 2)}\n`);
    }
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = renderSampleEvents();
  for (const [name, content] of files) writeFileSync(join(EVENTS_DIR, name), content);
  console.log(`wrote ${files.size} SNS events to events/`);
}
