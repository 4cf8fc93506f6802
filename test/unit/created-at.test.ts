import { describe, expect, it } from 'vitest';
import { readCreatedAt } from '../../shared/created-at.js';

describe('readCreatedAt: what Stream sends', () => {
  const cases: Array<[string, unknown, string]> = [
    ['RFC 3339 with microseconds', '2026-07-14T09:58:31.221904Z', '2026-07-14T09:58:31.221Z'],
    ['RFC 3339 with nanoseconds and an offset', '2026-07-14T11:58:31.221904123+02:00', '2026-07-14T09:58:31.221Z'],
    ['RFC 3339 without fractional seconds', '2026-07-14T09:58:31Z', '2026-07-14T09:58:31.000Z'],
    ['RFC 3339 with a negative offset across midnight', '2026-07-14T23:30:00.5-01:00', '2026-07-15T00:30:00.500Z'],
    ['a leap day', '2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['29 February 2000 (divisible by 400: a leap year)', '2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['the last second of a day', '2026-07-14T23:59:59Z', '2026-07-14T23:59:59.000Z'],
    ['the last day of the year', '2026-12-31T12:00:00Z', '2026-12-31T12:00:00.000Z'],
    ['the 31st of a 31-day month', '2026-03-31T12:00:00Z', '2026-03-31T12:00:00.000Z'],
    ['an offset of +05:30', '2026-07-14T15:28:31+05:30', '2026-07-14T09:58:31.000Z'],
    ['an offset of -05:30', '2026-07-14T04:28:31-05:30', '2026-07-14T09:58:31.000Z'],
    ['the largest offset, +23:59', '2026-07-15T09:57:31+23:59', '2026-07-14T09:58:31.000Z'],
    ['a lower-case t and z', '2026-07-14t09:58:31z', '2026-07-14T09:58:31.000Z'],
    ['a space between date and time', '2026-07-14 09:58:31Z', '2026-07-14T09:58:31.000Z'],
    ['one fractional digit', '2026-07-14T09:58:31.5Z', '2026-07-14T09:58:31.500Z'],
    ['the smallest integer read, in seconds (1e8)', 100_000_000, '1973-03-03T09:46:40.000Z'],
    ['the first integer read as milliseconds (1e11)', 100_000_000_000, '1973-03-03T09:46:40.000Z'],
    ['the largest integer in nanoseconds (twenty digits)', '99999999999999999999', '5138-11-16T09:46:39.999Z'],
    ['a year before 100', '0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000Z'],
    ['integer nanoseconds (SDK fixtures)', 1784023111221904000, '2026-07-14T09:58:31.221Z'],
    ['integer nanoseconds as a string', '1784023111221904123', '2026-07-14T09:58:31.221Z'],
    ['integer microseconds', 1784023111221904, '2026-07-14T09:58:31.221Z'],
    ['integer milliseconds', 1784023111221, '2026-07-14T09:58:31.221Z'],
    ['integer seconds', 1784023111, '2026-07-14T09:58:31.000Z'],
  ];
  for (const [name, createdAt, expected] of cases) {
    it(`reads ${name}`, () => {
      // Act
      const date = readCreatedAt(createdAt);

      // Assess
      expect(date?.toISOString()).toBe(expected);
    });
  }
});

describe('readCreatedAt: what it cannot read', () => {
  const unreadable: Array<[string, unknown]> = [
    ['absent', undefined],
    ['null', null],
    ['0 (not a date: under the smallest unit range)', 0],
    ['a small counter', 42],
    ['a negative number', -5],
    ['a fraction', 1784023111.5],
    ['1e300', 1e300],
    ['an integer past the nanosecond range', 1e20],
    ['a day that does not exist', '2024-02-30T12:00:00Z'],
    ['hour 24', '2024-02-28T24:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['29 February of a non-leap year', '2023-02-29T00:00:00Z'],
    ['29 February 1900 (not a leap year)', '1900-02-29T00:00:00Z'],
    ['an offset of 24 hours', '2026-07-14T09:58:31+24:00'],
    ['an offset of 60 minutes', '2026-07-14T09:58:31+05:60'],
    ['minute 60', '2026-07-14T09:60:31Z'],
    ['second 60 of an ordinary minute', '2026-07-14T09:58:60Z'],
    ['day 0', '2026-07-00T09:58:31Z'],
    ['month 0', '2026-00-14T09:58:31Z'],
    ['31 April', '2026-04-31T09:58:31Z'],
    ['ten fractional digits', '2026-07-14T09:58:31.1234567890Z'],
    ['no time zone', '2026-07-14T09:58:31'],
    ['text before the date', 'x2026-07-14T09:58:31Z'],
    ['text after the date', '2026-07-14T09:58:31Zx'],
    ['digits after other text', 'a1784023111'],
    ['digits before other text', '1784023111a'],
    ['twenty-one digits', '100000000000000000000'],
    ['just under the smallest integer read', 99_999_999],
    ['a date without time', '2026-07-14'],
    ['words', 'yesterday'],
    ['a boolean', true],
    ['an object', {}],
  ];
  for (const [name, createdAt] of unreadable) {
    it(`gives undefined, never an invalid or shifted date, for ${name}`, () => {
      // Act
      const date = readCreatedAt(createdAt);

      // Assess
      expect(date).toBeUndefined();
    });
  }
});
