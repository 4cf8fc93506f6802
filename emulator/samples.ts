/** The bare Stream samples shipped in events/samples/. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = fileURLToPath(new URL('../events/samples/', import.meta.url));

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
