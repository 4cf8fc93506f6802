/**
 * The one scrubber of the setup, on generated text: every known secret goes in every form it can travel in, split
 * across lines or not; credentials of a known shape go whoever sent them; no control character but the line feed
 * stays; structured values keep their structure. Leaks are found by test/support/secret-forms.ts, not by the
 * scrubber's own patterns.
 */
import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { MASK, SecretScrubber } from '../../functions/setup/scrubber.js';
import { formsOf, leaksIn } from '../support/secret-forms.js';

const secret = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789-_/+="\\ \u00e9'), minLength: 6, maxLength: 40 });
const around = fc.string({ unit: fc.constantFrom(...'the quick brown fox {}[]":, \n'), maxLength: 20 });
const LINE_BREAKS = ['\n', '\r\n', '\r', '\u2028', '\\n', '\\r\\n'];

describe('scrubber: known secrets', () => {
  it.prop([secret, around, around, fc.nat()])(
    'removes every form of a secret, whatever text surrounds it',
    (value, before, after, pick) => {
      // Prepare
      const forms = formsOf(value);
      const text = `${before}${forms[pick % forms.length]}${after}`;

      // Act
      const scrubbed = new SecretScrubber([{ value, visible: 0 }]).scrub(text);

      // Assess
      expect(leaksIn(scrubbed, [value])).toEqual([]);
    },
  );

  it.prop([secret, fc.nat(), fc.constantFrom(...LINE_BREAKS), fc.nat()])(
    'removes a secret split across lines by any line break, raw or escaped',
    (value, at, lineBreak, pick) => {
      // Prepare
      const forms = formsOf(value);
      const form = forms[pick % forms.length]!;
      const cut = 1 + (at % (form.length - 1));
      const text = `echo: ${form.slice(0, cut)}${lineBreak}${form.slice(cut)} end`;

      // Act
      const scrubbed = new SecretScrubber([{ value, visible: 0 }]).scrub(text);

      // Assess
      expect(leaksIn(scrubbed, [value])).toEqual([]);
      expect(scrubbed).toMatch(/end$/);
    },
  );

  it('keeps the first characters of a key visible on its raw form only', () => {
    // Act
    const scrubber = new SecretScrubber([{ value: 'AKIAPUBLISHER9X2', visible: 4 }]);

    // Assess
    expect(scrubber.scrub('key AKIAPUBLISHER9X2.')).toBe(`key AKIA${MASK}.`);
    expect(scrubber.scrub(Buffer.from('AKIAPUBLISHER9X2').toString('base64'))).not.toContain('QUtJQVBVQkxJU0hFUjlYMg');
  });

  it('finds a secret inside a longer base64 text at any of the three alignments', () => {
    // Prepare
    const value = 'inner-secret-6d1f';
    const texts = ['', 'a', 'ab'].map((prefix) => Buffer.from(`${prefix}user:${value}:tail`).toString('base64'));

    // Act
    const scrubbed = texts.map((text) => new SecretScrubber([{ value, visible: 0 }]).scrub(text));

    // Assess
    for (const text of scrubbed) expect(Buffer.from(text.replaceAll(MASK, ''), 'base64').toString('latin1')).not.toContain('secret');
  });

  it('ignores secrets shorter than 6 characters, which would mask ordinary words', () => {
    // Act
    const scrubbed = new SecretScrubber([{ value: 'hook', visible: 0 }]).scrub('hook_type');

    // Assess
    expect(scrubbed).toBe('hook_type');
  });
});

describe('scrubber: credentials of a known shape, whoever sent them', () => {
  it.each([
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl done', `token ${MASK} done`],
    ['a bearer token', 'Authorization: Bearer abc.DEF-123_xyz~', `Authorization: Bearer ${MASK}`],
    ['a basic credential', 'authorization=Basic%20dXNlcjpwYXNzd29yZA==', `authorization=Basic%20${MASK}`],
    ['an AWS access key id', 'key AKIAIOSFODNN7EXAMPLE, ok', `key AKIA${MASK}, ok`],
    ['an AWS secret access key', 'secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY;', `secret=${MASK};`],
    ['an AWS secret access key, JSON-escaped', '"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY"', `"${MASK}"`],
  ])('masks %s', (_, text, expected) => {
    // Act
    const scrubbed = new SecretScrubber().scrub(text);

    // Assess
    expect(scrubbed).toBe(expected);
  });

  it('leaves ordinary setup text as it is: ids, ARNs, URLs, hosts', () => {
    // Prepare
    const text =
      'apply arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events: changed 0f35db27-2f54-5fb6-8463-90ae0bdaf837 https://chat.stream-io-api.com/app';

    // Act
    const scrubbed = new SecretScrubber().scrub(text);

    // Assess
    expect(scrubbed).toBe(text);
  });
});

describe('scrubber: control characters', () => {
  it.prop([fc.string({ unit: fc.integer({ min: 0, max: 0x2070 }).map((code) => String.fromCharCode(code)) })])(
    'leaves no control character but the line feed',
    (text) => {
      // Act
      const scrubbed = new SecretScrubber().scrub(text);

      // Assess
      expect(scrubbed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    },
  );
});

describe('scrubber: structured values', () => {
  it.prop([fc.jsonValue(), secret])('scrubs every string and keeps the structure, numbers, booleans and null', (value, known) => {
    // Act
    const scrubbed = new SecretScrubber([{ value: known, visible: 0 }]).scrubValue({ report: value, also: known, flag: true, none: null });

    // Assess
    expect(() => JSON.parse(JSON.stringify(scrubbed))).not.toThrow();
    expect(scrubbed).toMatchObject({ also: MASK, flag: true, none: null });
    expect(Object.keys(scrubbed)).toEqual(['report', 'also', 'flag', 'none']);
  });
});

describe('scrubber: examples of what generated text covers', () => {
  it.each([
    ['with a quote', 'sec"ret-value', 'echo {"body":"{\\"sns_secret\\":\\"sec\\\\\\"ret-value\\"}"}'],
    ['with a backslash, escaped once', 'back\\slash-secret', 'body {"s":"back\\\\slash-secret"}'],
    ['URL-encoded', 'p@ss word/secret', 'q=p%40ss%20word%2Fsecret&x=1'],
    ['split by \\r\\n', 'split-secret-7f', 'split-se\r\ncret-7f'],
    ['split by an escaped line feed', 'split-secret-7f', 'split\\ncret'.replace('cret', '-secret-7f')],
  ])('removes a secret %s', (_, value, text) => {
    // Act
    const scrubbed = new SecretScrubber([{ value, visible: 0 }]).scrub(text);

    // Assess
    expect(leaksIn(scrubbed, [value])).toEqual([]);
    expect(scrubbed).toContain(MASK);
  });

  it('removes a secret with a quote, JSON-escaped in the middle of a longer string', () => {
    // Prepare
    const value = 'pa"ss-word-41';
    const text = JSON.stringify({ message: `denied for ${value} here` });

    // Act
    const scrubbed = new SecretScrubber([{ value, visible: 0 }]).scrub(text);

    // Assess
    expect(scrubbed).toBe(`{"message":"denied for ${MASK} here"}`);
  });

  it('masks every occurrence of a secret, not the first only', () => {
    // Act
    const scrubbed = new SecretScrubber([{ value: 'twice-secret-77', visible: 0 }]).scrub('a twice-secret-77 b twice-secret-77');

    // Assess
    expect(scrubbed).toBe(`a ${MASK} b ${MASK}`);
  });

  it('masks a secret of exactly 6 characters', () => {
    // Act
    const scrubbed = new SecretScrubber([{ value: 'abc123', visible: 0 }]).scrub('x abc123 y');

    // Assess
    expect(scrubbed).toBe(`x ${MASK} y`);
  });

  it('takes a secret’s characters literally: a dot in it matches a dot, nothing else', () => {
    // Act
    const scrubbed = new SecretScrubber([{ value: 'a.b.c.d.e', visible: 0 }]).scrub('axbxcxdxe a.b.c.d.e');

    // Assess
    expect(scrubbed).toBe(`axbxcxdxe ${MASK}`);
  });

  it('masks the longest secret first, so that a shorter one inside it leaves none of it', () => {
    // Act
    const scrubbed = new SecretScrubber([
      { value: 'inner6', visible: 0 },
      { value: 'outer-inner6-outer', visible: 0 },
    ]).scrub('[outer-inner6-outer]');

    // Assess
    expect(scrubbed).toBe(`[${MASK}]`);
  });

  it('keeps at most the characters of a short key that leave six hidden, and none on its encoded forms', () => {
    // Act
    const scrubber = new SecretScrubber([{ value: 'AKIA1234', visible: 4 }]);

    // Assess
    expect(scrubber.scrub('AKIA1234')).toBe(`AK${MASK}`);
    expect(scrubber.scrub(Buffer.from('AKIA1234').toString('base64'))).toMatch(/^\*\*\*\*/);
  });

  it.each([
    ['a bearer token after several spaces', 'Bearer    abcdef123456', `Bearer    ${MASK}`],
    ['a Token credential', 'token abcdef123456', `token ${MASK}`],
    // No scheme word before it: only its shape tells it is a JWT.
    ['a JWT on its own', 'signed eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl done', `signed ${MASK} done`],
    ['an A3T access key id', 'A3TXIOSFODNN7EXAMPLE', `A3TX${MASK}`],
    ['an AWS secret key with %2F', `k=${encodeURIComponent('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')}`, `k=${MASK}`],
    ['an AWS secret key with %2B', `k=${encodeURIComponent('wJalrXUtnFEMI+K7MDENG+bPxRfiCYEXAMPLEKEY')}`, `k=${MASK}`],
  ])('masks %s', (_, text, expected) => {
    // Act
    const scrubbed = new SecretScrubber().scrub(text);

    // Assess
    expect(scrubbed).toBe(expected);
  });

  it('removes control characters and keeps the rest of the text as it is', () => {
    // Act
    const scrubbed = new SecretScrubber().scrub('a\u0007b\u001b[2Kc\r\nd\u202ee');

    // Assess
    expect(scrubbed).toBe('ab[2Kc\nde');
  });

  it('scrubs strings inside nested objects and lists', () => {
    // Act
    const scrubbed = new SecretScrubber([{ value: 'nested-secret', visible: 0 }]).scrubValue({
      a: { b: ['x nested-secret', { c: 'nested-secret' }] },
    });

    // Assess
    expect(scrubbed).toEqual({ a: { b: [`x ${MASK}`, { c: MASK }] } });
  });
});
