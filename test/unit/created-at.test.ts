import { describe, expect, it } from 'vitest';
import { readCreatedAt } from '../../shared/created-at.js';

describe('readCreatedAt: what Stream sends', () => {
  const cases: Array<[string, unknown, string]> = [
    ['RFC 3339 with microseconds', '2026-07-14T09:58:31.221904Z', '2026-07-14T09:58:31.221Z'],
    ['RFC 3339 with nanoseconds and an offset', '2026-07-14T11:58:31.221904123+02:00', '2026-07-14T09:58:31.221Z'],
    ['RFC 3339 without fractional seconds', '2026-07-14T09:58:31Z', '2026-07-14T09:58:31.000Z'],
    ['RFC 3339 with a negative offset across midnight', '2026-07-14T23:30:00.5-01:00', '2026-07-15T00:30:00.500Z'],
    ['a leap day', '2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
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
