/**
 * Generated Stream events and generated layouts of each: the same JSON document written in many ways. An event is
 * its top-level `type` members (one or more, in document order, agreeing or not) and its other members; a layout
 * is everything that must not change a verdict: whitespace anywhere (long runs too, past the peek's window),
 * escapes in keys and values, the order of members (duplicate keys keep their relative order: the first `type`
 * is content), number spellings, a byte-order mark, and the SNS message's encoding, gzip with any level, any
 * header field (FTEXT, FEXTRA, FNAME, FCOMMENT, FHCRC, mtime, XFL, OS) and any split into members.
 *
 * Layout choices are drawn from a seeded generator inside the layout, so that every whitespace gap and every
 * character gets its own draw without the arbitrary listing them.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { samples } from '../support/samples.js';

/** A JSON object with one or more top-level `type` members. */
export interface GeneratedEvent {
  /** The values of the `type` members, in document order. */
  types: unknown[];
  /** The other members: distinct keys, none of them `type`. */
  others: Array<[string, unknown]>;
}

/** How one event is written: the seed of every per-gap and per-character draw, and the encoding. */
export interface Layout {
  seed: number;
  /** How often a gap gets whitespace, and the longest run it gets (rare runs may be long, frequent ones short). */
  whitespace: { rate: number; longestRun: number };
  /** Whitespace before the document and after its `{`: past 512 characters, the first key is out of the peek's window. */
  leadingRun: number;
  /** How often a character is escaped, and a number spelt otherwise (`1.0`, `1e0`): 0 to 1. */
  escapeRate: number;
  numberRate: number;
  bom: boolean;
  encoding: Encoding;
}

/** A gzip member's header fields (RFC 1952). */
export interface GzipHeader {
  text: boolean;
  extra: Uint8Array | undefined;
  name: Uint8Array | undefined;
  comment: Uint8Array | undefined;
  headerCrc: boolean;
  mtime: number;
  xfl: number;
  os: number;
}

export type Encoding =
  | { kind: 'raw-json'; around: string }
  | { kind: 'base64-json'; around: string }
  | { kind: 'base64-gzip'; level: number; headers: GzipHeader[]; splits: number[] };

const KNOWN_TYPES = Object.keys(EVENT_TYPE_CATEGORY);
const SAMPLE_EVENTS = samples().map((sample) => JSON.parse(sample.json) as Record<string, unknown>);

/** Characters of every kind that JSON writes differently: controls, quotes, backslashes, 2-4 byte, separators. */
const character = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz._-:0123456789 ') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom('"', '\\', '/', '\u007f', 'é', 'ß', '€', '\u2028', '\u2029', '\uffff', '\ufeff', '😀', '𝄞') },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\udbff') },
);
const text = (maxLength: number) => fc.array(character, { maxLength }).map((characters) => characters.join(''));

/** A value for `type`: known and custom types, long ones, odd ones, and values that are not strings. */
const typeValue = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom('custom.thing', '__proto__', 'constructor', 'message new', '', ' ', 'Message.New') },
  { weight: 2, arbitrary: text(12) },
  // Past the peek's 200 characters.
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z._]{190,400}$/) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** JSON values for the other members; strings escape-heavy and sometimes long. */
const memberValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: text(40) },
  { weight: 1, arbitrary: text(3_000) },
  { weight: 1, arbitrary: fc.dictionary(text(6), fc.oneof(text(10), fc.integer(), fc.constant({ type: 'nested' })), { maxKeys: 4 }) },
);

/** Round-trips through JSON, as the decoder will read it back: -0 is 0, and nothing JSON cannot hold remains. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const generatedEvent: fc.Arbitrary<GeneratedEvent> = fc
  .record({
    base: fc.option(fc.constantFrom(...SAMPLE_EVENTS), { nil: undefined }),
    extra: fc.dictionary(text(8), memberValue, { maxKeys: 5 }),
    first: typeValue,
    later: fc.array(fc.option(typeValue, { freq: 2, nil: undefined }), { maxLength: 2 }),
  })
  .map(({ base, extra, first, later }) => {
    const others = Object.entries({ ...base, ...extra }).filter(([key]) => key !== 'type');
    // A later member agrees with the first (undefined) or names a value of its own.
    return asJson({ types: [first, ...later.map((value) => (value === undefined ? first : value))], others });
  });

const gzipHeader: fc.Arbitrary<GzipHeader> = fc.record({
  text: fc.boolean(),
  extra: fc.option(fc.uint8Array({ maxLength: 400 }), { nil: undefined }),
  // Latin-1 bytes without NUL, which ends the field.
  name: fc.option(fc.uint8Array({ min: 1, maxLength: 400 }), { nil: undefined }),
  comment: fc.option(fc.uint8Array({ min: 1, maxLength: 400 }), { nil: undefined }),
  headerCrc: fc.boolean(),
  mtime: fc.nat({ max: 0xffffffff }),
  xfl: fc.nat({ max: 255 }),
  os: fc.nat({ max: 255 }),
});

const around = fc.constantFrom('', '', ' ', '\n', '\t\r\n ');
const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  around.map((chars) => ({ kind: 'raw-json' as const, around: chars })),
  around.map((chars) => ({ kind: 'base64-json' as const, around: chars })),
  fc
    .record({
      level: fc.integer({ min: 0, max: 9 }),
      headers: fc.array(gzipHeader, { minLength: 1, maxLength: 3 }),
      splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 2 }),
    })
    .map(({ level, headers, splits }) => ({
      kind: 'base64-gzip' as const,
      level,
      headers,
      splits: splits.slice(0, headers.length - 1).sort((a, b) => a - b),
    })),
);

export const layout: fc.Arbitrary<Layout> = fc.record({
  seed: fc.noBias(fc.integer()),
  whitespace: fc.oneof(
    fc.constant({ rate: 0, longestRun: 0 }),
    fc.record({ rate: fc.constantFrom(0.02, 0.05), longestRun: fc.integer({ min: 1, max: 700 }) }),
    fc.record({ rate: fc.constantFrom(0.3, 1), longestRun: fc.integer({ min: 1, max: 4 }) }),
  ),
  leadingRun: fc.oneof(fc.constant(0), fc.nat(40), fc.nat(700)),
  escapeRate: fc.constantFrom(0, 0.02, 0.3, 1),
  numberRate: fc.constantFrom(0, 0.5),
  bom: fc.boolean(),
  encoding,
});

/** The event as Stream writes it: `type` first, compact, minimal escapes, raw JSON. */
export function plainForm(event: GeneratedEvent): string {
  const members = [...event.types.map((value) => ['type', value] as const), ...event.others];
  return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

/** The SNS message of `event` written in `layout`. */
export function laidOut(event: GeneratedEvent, layout: Layout): string {
  const random = mulberry32(layout.seed);
  const writer = new LayoutWriter(layout, random);
  // Any order of the members, then the `type` slots refilled in the types' own order.
  const members: Array<readonly [string, unknown]> = [...event.types.map((value) => ['type', value] as const), ...event.others];
  const shuffled = members
    .map((member) => ({ member, at: random() }))
    .sort((a, b) => a.at - b.at)
    .map(({ member }) => member);
  let nextType = 0;
  const ordered = shuffled.map(([key, value]) => (key === 'type' ? (['type', event.types[nextType++]] as const) : ([key, value] as const)));
  const lead = () => ' \n'.repeat(Math.ceil(layout.leadingRun / 2)).slice(0, layout.leadingRun);
  const json = `${layout.bom ? '\ufeff' : ''}${lead()}${writer.object(ordered, lead())}${writer.gap()}`;
  return encode(json, layout.encoding);
}

class LayoutWriter {
  public constructor(
    private readonly layout: Layout,
    private readonly random: () => number,
  ) {}

  public gap(): string {
    if (this.random() >= this.layout.whitespace.rate) return '';
    const length = 1 + Math.floor(this.random() * this.layout.whitespace.longestRun);
    return Array.from({ length }, () => ' \t\n\r'[Math.floor(this.random() * 4)]).join('');
  }

  public object(members: ReadonlyArray<readonly [string, unknown]>, opening = ''): string {
    const written = members.map(
      ([key, value]) => `${this.gap()}${this.string(key)}${this.gap()}:${this.gap()}${this.value(value)}${this.gap()}`,
    );
    return `{${opening}${written.join(',') || this.gap()}}`;
  }

  public value(value: unknown): string {
    if (typeof value === 'string') return this.string(value);
    if (typeof value === 'number') return this.number(value);
    if (Array.isArray(value))
      return `[${value.map((element) => `${this.gap()}${this.value(element)}${this.gap()}`).join(',') || this.gap()}]`;
    if (value !== null && typeof value === 'object') return this.object(Object.entries(value));
    return JSON.stringify(value);
  }

  private string(value: string): string {
    let written = '"';
    for (const unit of value) {
      // for...of walks code points: a surrogate pair is one character, a lone surrogate one of its own.
      written += this.random() < this.layout.escapeRate ? escaped(unit) : JSON.stringify(unit).slice(1, -1);
    }
    return `${written}"`;
  }

  private number(value: number): string {
    const plain = JSON.stringify(value);
    if (this.random() >= this.layout.numberRate || !Number.isSafeInteger(value)) return plain;
    return this.random() < 0.5 ? `${plain}.0` : `${plain}e0`;
  }
}

/** A character as JSON escapes: `\uXXXX` for each UTF-16 unit, or its short escape where it has one. */
function escaped(character: string): string {
  const short: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '/': '\\/',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
  };
  if (short[character] !== undefined && character.length === 1) return short[character];
  return [...Array(character.length).keys()].map((i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}

function encode(json: string, encoding: Encoding): string {
  const bytes = Buffer.from(json, 'utf8');
  switch (encoding.kind) {
    case 'raw-json':
      return `${encoding.around}${json}${encoding.around}`;
    case 'base64-json':
      return `${encoding.around}${bytes.toString('base64')}${encoding.around}`;
    case 'base64-gzip': {
      const cuts = [0, ...encoding.splits.map((split) => Math.floor(split * bytes.length)), bytes.length];
      const members = encoding.headers
        .slice(0, cuts.length - 1)
        .map((header, i) => gzipMember(bytes.subarray(cuts[i], cuts[i + 1]), encoding.level, header));
      return Buffer.concat(members).toString('base64');
    }
  }
}

/** One gzip member (RFC 1952) with the given header fields, its data deflated at `level`. */
export function gzipMember(data: Uint8Array, level: number, header: GzipHeader): Buffer {
  const noNul = (field: Uint8Array) => Buffer.from(field.map((byte) => byte || 0x20));
  const flags =
    (header.text ? 1 : 0) | (header.headerCrc ? 2 : 0) | (header.extra ? 4 : 0) | (header.name ? 8 : 0) | (header.comment ? 16 : 0);
  const fixed = Buffer.alloc(10);
  fixed.set([0x1f, 0x8b, 8, flags]);
  fixed.writeUInt32LE(header.mtime >>> 0, 4);
  fixed.set([header.xfl, header.os], 8);
  const parts: Buffer[] = [fixed];
  if (header.extra) {
    const length = Buffer.alloc(2);
    length.writeUInt16LE(header.extra.length);
    parts.push(length, Buffer.from(header.extra));
  }
  if (header.name) parts.push(noNul(header.name), Buffer.from([0]));
  if (header.comment) parts.push(noNul(header.comment), Buffer.from([0]));
  if (header.headerCrc) {
    const crc = Buffer.alloc(2);
    crc.writeUInt16LE(crc32(Buffer.concat(parts)) & 0xffff);
    parts.push(crc);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([...parts, deflateRawSync(data, { level }), trailer]);
}

/** A small seeded generator (mulberry32): the layout's draws, reproducible from its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
