import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, renderSampleEvents } from '../../emulator/index.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { MessageEncoding } from '../../shared/types.js';
import { samples } from '../support/samples.js';

describe('events/', () => {
  it('holds every sample in every encoding, exactly as `npm run events` generates them', () => {
    // Act
    const expected = renderSampleEvents();
    const present = readdirSync(EVENTS_DIR).filter((name) => name.endsWith('.json'));

    // Assess
    expect(present.sort()).toEqual([...expected.keys()].sort());
    expect(expected.size).toBe(samples().length * Object.values(MessageEncoding).length);
    for (const [name, content] of expected) expect(readFileSync(join(EVENTS_DIR, name), 'utf8')).toBe(content);
  });

  it('decodes each file to its sample', () => {
    for (const sample of samples()) {
      for (const encoding of Object.values(MessageEncoding)) {
        // Act
        const event = JSON.parse(readFileSync(join(EVENTS_DIR, `${sample.type}.${encoding}.json`), 'utf8'));

        // Assess
        expect(decodeSnsDelivery(event).event).toEqual(sample.event);
      }
    }
  });
});
