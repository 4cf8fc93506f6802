import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LOG_FIELD_CHARACTERS, logField } from '../../shared/log-fields.js';

describe('logField', () => {
  it('keeps a value of up to 200 characters as it is', () => {
    // Prepare
    const values = ['', 'message.new', 'x'.repeat(LOG_FIELD_CHARACTERS)];

    // Act
    const fields = values.map(logField);

    // Assess
    expect(fields).toEqual(values);
  });

  it('cuts a longer value to its first 200 characters, its length and the head of its SHA-256', () => {
    // Prepare
    const value = `custom.${'y'.repeat(5_000)}`;

    // Act
    const field = logField(value);

    // Assess
    const hash = createHash('sha256').update(value).digest('hex').slice(0, 12);
    expect(field).toBe(`${value.slice(0, 200)}…(${value.length} characters, sha256 ${hash})`);
  });

  it('tells two long values with the same head apart', () => {
    // Act
    const [a, b] = [`${'z'.repeat(300)}a`, `${'z'.repeat(300)}b`].map(logField);

    // Assess
    expect(a).not.toBe(b);
  });

  it('never ends its head halfway through a surrogate pair', () => {
    // Prepare: an emoji whose first half is the 200th character.
    const value = `${'x'.repeat(LOG_FIELD_CHARACTERS - 1)}😀${'x'.repeat(10)}`;

    // Act
    const field = logField(value);

    // Assess
    expect(field.startsWith(`${'x'.repeat(LOG_FIELD_CHARACTERS - 1)}…(`)).toBe(true);
  });

  it('cuts before the 200th character only when it is the first half of a pair, whichever high surrogate it is', () => {
    // Prepare: the 200th character is each high surrogate at the range's ends, a low one, and one just below.
    const at200 = (unit: string) => `${'x'.repeat(LOG_FIELD_CHARACTERS - 1)}${unit}${'x'.repeat(10)}`;
    const units = ['\ud800', '\udbff', '\udc00', '\ud7ff'];

    // Act
    const heads = units.map((unit) => logField(at200(unit)).split('…')[0]!.length);

    // Assess
    expect(heads).toEqual([199, 199, 200, 200]);
  });
});
