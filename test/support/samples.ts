/** The bare Stream samples in events/samples/, as the tests use them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('../../events/samples/', import.meta.url));

/** Each sample: its event type and its compact JSON, as Stream sends it. */
export function samples(): Array<{ type: string; json: string; event: Record<string, unknown> }> {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const event = JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8')) as Record<string, unknown>;
      return { type: String(event.type), json: JSON.stringify(event), event };
    });
}

/** One sample's compact JSON. */
export function sampleJson(type: string): string {
  const found = samples().find((sample) => sample.type === type);
  if (found === undefined) throw new Error(`no sample of type ${type}`);
  return found.json;
}
