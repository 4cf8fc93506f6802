/** The bare Stream samples in events/samples/, as the tests use them. */
import { samples } from '../../emulator/index.js';

export { SAMPLES_DIR, samples } from '../../emulator/index.js';

/** One sample's compact JSON. */
export function sampleJson(type: string): string {
  const found = samples().find((sample) => sample.type === type);
  if (found === undefined) throw new Error(`no sample of type ${type}`);
  return found.json;
}
