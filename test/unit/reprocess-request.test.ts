/**
 * The reprocess request a function reads beside `Records` (shared/reprocess.ts): absent for every SNS delivery, a
 * label only when it can name a key namespace, and poison that says what it found otherwise.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { PoisonDeliveryError, RejectionReason } from '../../shared/errors.js';
import { readReprocessRequest } from '../../shared/reprocess.js';

/** The poison a request is, or undefined when it is read without one. */
function poisonOf(lambdaEvent: unknown): PoisonDeliveryError | undefined {
  try {
    readReprocessRequest(lambdaEvent);
    return undefined;
  } catch (error) {
    return error as PoisonDeliveryError;
  }
}

describe('readReprocessRequest', () => {
  it('finds none in an SNS delivery, and reads an empty request and a good label', () => {
    // Prepare
    const delivery = { Records: [] };

    // Act
    const results = [delivery, { ...delivery, streamReprocess: {} }, { ...delivery, streamReprocess: { label: 'fix-1.b_2' } }].map(
      readReprocessRequest,
    );

    // Assess
    expect(results).toEqual([undefined, { label: undefined }, { label: 'fix-1.b_2' }]);
  });

  it.each([
    [null, 'found null'],
    [[], 'found an array'],
    [7, 'found number'],
    ['label', 'found string'],
  ])('rejects a request that is not an object (%j), naming what it found', (member, named) => {
    // Act
    const poison = poisonOf({ Records: [], streamReprocess: member });

    // Assess
    expect(poison).toBeInstanceOf(PoisonDeliveryError);
    expect(poison?.reason).toBe(RejectionReason.InvalidReprocessLabel);
    expect(poison?.message).toContain('"streamReprocess" must be an object');
    expect(poison?.message).toContain(named);
  });

  it.each([
    [null, 'found null'],
    [3, 'found number'],
    ['', 'found ""'],
    ['a/b', 'found "a/b"'],
    ['x'.repeat(100), `found "${'x'.repeat(80)}"`],
  ])('rejects the label %j, naming what it found (a long one cut at 80 characters)', (label, named) => {
    // Act
    const poison = poisonOf({ Records: [], streamReprocess: { label } });

    // Assess
    expect(poison?.reason).toBe(RejectionReason.InvalidReprocessLabel);
    expect(poison?.message).toContain('the reprocess label must be 1-64 characters');
    expect(poison?.message.endsWith(named)).toBe(true);
  });

  test.prop([fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/)])('reads every label of 1-64 allowed characters', (label) => {
    // Act
    const request = readReprocessRequest({ Records: [], streamReprocess: { label } });

    // Assess
    expect(request).toEqual({ label });
  });
});
