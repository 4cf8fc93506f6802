/**
 * `created_at`: when Stream says the event happened. It is information for the customer's code, never a gate:
 * a value that cannot be read leaves the event valid, with `createdAt: undefined` (the raw value stays in
 * `event.created_at`), and the function logs one WARN line.
 *
 * What is read:
 * - An RFC 3339 string (what Stream sends: micro- or nanoseconds, `Z` or an offset). Every field is checked
 *   against the calendar, so `2024-02-30T24:00:00Z` is unreadable rather than 2 March; a leap second (`:60`)
 *   cannot be a JavaScript Date and is unreadable too. Fractions are cut to milliseconds.
 * - An integer, as a JSON number or a string of digits: Unix time whose unit is told by its size, as Stream's SDK
 *   fixtures send nanoseconds and other producers seconds or milliseconds. The ranges do not overlap for dates
 *   between 1973 and 5138: {@link INTEGER_UNITS}. Anything outside them, negative, or fractional is unreadable.
 */

/**
 * How an integer timestamp is read: the first row whose `below` is above the value gives its unit (the divisor
 * that turns it into milliseconds). Values under 1e8 (before 1973-03-03 in seconds) are unreadable: they are
 * more likely a counter than a date.
 */
const INTEGER_UNITS = [
  { below: 1e8, unit: undefined },
  { below: 1e11, unit: 'seconds', toMillis: (value: bigint) => value * 1000n },
  { below: 1e14, unit: 'milliseconds', toMillis: (value: bigint) => value },
  { below: 1e17, unit: 'microseconds', toMillis: (value: bigint) => value / 1000n },
  { below: 1e20, unit: 'nanoseconds', toMillis: (value: bigint) => value / 1_000_000n },
] as const;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DIGITS = /^\d{1,20}$/;

/**
 * Reads `created_at` as a Date (millisecond precision), or undefined when it is absent or cannot be read.
 * Never throws and never returns an invalid or shifted date.
 */
export function readCreatedAt(createdAt: unknown): Date | undefined {
  if (typeof createdAt === 'number') {
    // Negative and huge integers fall outside every row of INTEGER_UNITS, so they need no check of their own.
    return Number.isInteger(createdAt) ? fromInteger(BigInt(createdAt)) : undefined;
  }
  if (typeof createdAt !== 'string') return undefined;
  if (DIGITS.test(createdAt)) return fromInteger(BigInt(createdAt));
  return fromRfc3339(createdAt);
}

function fromInteger(value: bigint): Date | undefined {
  const row = INTEGER_UNITS.find(({ below }) => value < BigInt(below));
  if (row === undefined || row.unit === undefined) return undefined;
  return new Date(Number(row.toMillis(value)));
}

function fromRfc3339(text: string): Date | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [fraction = '', sign] = match.slice(7, 9);
  // Stryker disable next-line StringLiteral: a missing offset is Z; Number('') is 0, as Number('0') is.
  const [offsetHours = '0', offsetMinutes = '0'] = match.slice(9);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const millis = Number(fraction.slice(1, 4).padEnd(3, '0'));
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, millis);
  return date;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
