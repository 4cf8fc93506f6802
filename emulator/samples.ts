/**
 * The project's sample events: the bare Stream samples in events/samples/, and the SNS->Lambda events generated
 * from them into events/ for `serverless invoke local` (`npm run events`; test/unit/events.test.ts fails when they
 * are out of date).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageEncoding } from '../shared/types.js';
import { encodeMessage, snsLambdaEvent, stableMessageId } from './sns-envelope.js';

/** Where the SNS events for `invoke local` are. */
export const EVENTS_DIR = fileURLToPath(new URL('../events/', import.meta.url));
/** Where the bare Stream samples are. */
export const SAMPLES_DIR = join(EVENTS_DIR, 'samples');

/** Each sample: its event type, its compact JSON as Stream sends it, and the parsed event. */
export function samples(): Array<{ type: string; json: string; event: Record<string, unknown> }> {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const event = JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8')) as Record<string, unknown>;
      return { type: String(event.type), json: JSON.stringify(event), event };
    });
}

/** The files of events/: `<type>.<encoding>.json` -> its content, one per sample and encoding. */
export function renderSampleEvents(): Map<string, string> {
  const files = new Map<string, string>();
  for (const { type, json } of samples()) {
    for (const encoding of Object.values(MessageEncoding)) {
      const name = `${type}.${encoding}.json`;
      const event = snsLambdaEvent(encodeMessage(json, encoding), { messageId: stableMessageId(name) });
      files.set(name, `${JSON.stringify(event, null, 2)}\n`);
    }
  }
  return files;
}
