/**
 * What a redrive sends again: a Lambda dead letter's payload, marked as sent again (redrive/records.ts), so that the
 * function counts its age apart and keeps its idempotency key.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { redrivenPayload } from '../../redrive/records.js';
import { readReprocessRequest } from '../../shared/reprocess.js';

describe('redrivenPayload', () => {
  it('marks an SNS->Lambda event as sent again, with no label (the usual key), leaving the rest as it was', () => {
    // Prepare
    const payload = { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'm' } }], other: 1 };

    // Act
    const redriven = redrivenPayload(payload);

    // Assess
    expect(redriven).toEqual({ ...payload, streamReprocess: {} });
    expect(readReprocessRequest(redriven)).toEqual({});
    expect(payload).not.toHaveProperty('streamReprocess');
  });

  it('keeps a payload that already carries a reprocess request (its label stays)', () => {
    // Prepare
    const payload = { Records: [], streamReprocess: { label: 'fix-1' } };

    // Act
    const redriven = redrivenPayload(payload);

    // Assess
    expect(redriven).toBe(payload);
  });

  test.prop([fc.oneof(fc.jsonValue(), fc.array(fc.anything()))])(
    'sends anything that is not an SNS->Lambda event object as it is',
    (payload) => {
      // Prepare
      const isEventObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload) && 'Records' in payload;
      fc.pre(!isEventObject);

      // Act
      const redriven = redrivenPayload(payload);

      // Assess
      expect(redriven).toBe(payload);
    },
  );
});
