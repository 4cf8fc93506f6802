/**
 * The shape of a JSON text, measured before it is parsed: how deep it nests, how many values it holds, and where
 * the values of its top-level `type` members are.
 *
 * `JSON.parse` has no limits of its own: its memory grows with the number of values, not with the bytes (a few
 * megabytes of `[{},{},...]` become hundreds of megabytes of objects), and the walks that come after it (hashing,
 * logging) recurse with the depth. Measuring the text first bounds both before any object exists.
 *
 * `JSON.parse` also keeps only the last of two members with one key, and its reviver sees only that one, so the
 * same pass notes every top-level member whose key is `type` once unescaped (`"type"`, `"\u0074ype"`): the
 * ownership rule (shared/ownership.ts) reads the first, and the decoder compares the others with it.
 *
 * Hand-written, and kept so, because it is measured to matter (on this machine, Node 20, 3.2 MiB of real events'
 * text / one 2 KiB event): this scan, which finds strings with `indexOf` and touches only the characters between
 * them, 4.6 ms / 0.012 ms; jsonc-parser's visitor, the library that reports every member, duplicates included,
 * without building a tree, 22 ms / 0.045 ms, and that on top of this scan, which the limits need anyway;
 * @humanwhocodes/momoa, which builds a tree of every value, 400 ms and 81 MB of heap. When the first key cannot be
 * peeked, all five functions make this pass.
 * The scan does not validate JSON: `JSON.parse` does that afterwards, on text already known to be affordable.
 */

/** What {@link measureJsonShape} found. */
export interface JsonShape {
  /** The deepest nesting of objects and arrays (0 for a scalar); counting stops past the depth limit. */
  depth: number;
  /** Objects and arrays, and the members and elements they hold: `{`, `[` and `,` outside strings. */
  values: number;
  /**
   * The values of the top-level `type` members, in document order, as offsets into the text: `start` and `end` of
   * each, end exclusive (for a string: after its closing quote; for anything else: at the `,` or `}` after it, so
   * trailing whitespace included; the text's end when the text, or the scan, stops first). Past a limit, only the
   * first is looked for.
   */
  typeValues: Array<{ start: number; end: number }>;
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** `type` written with every letter escaped (`\u0074\u0079\u0070\u0065`): no longer key can unescape to it. */
const LONGEST_TYPE_KEY = 24;
/**
 * The colon after a key, and the whitespace around it. JavaScript's `\s`, as the peek's pattern reads it
 * (shared/peek.ts): a superset of JSON's whitespace, so that both read a first key alike even in text that JSON.parse
 * then refuses.
 */
const KEY_COLON = /\s*:\s*/y;

/**
 * Measures `text`. Depth and values stop counting as soon as either limit is passed (the figure returned is then
 * just over it); the scan then goes on only until it has found the first top-level `type` member's value.
 *
 * @param limits - the depth and value counts beyond which the caller rejects the text.
 */
export function measureJsonShape(text: string, limits: { maxDepth: number; maxValues: number }): JsonShape {
  let depth = 0;
  let deepest = 0;
  let values = 0;
  let withinLimits = true;
  // The decoder's text is trimmed: its first character opens the root, and only an object's members are keys.
  const rootIsObject = text.charCodeAt(0) === OPEN_OBJECT;
  const typeValues: JsonShape['typeValues'] = [];
  /** The non-string type value still waiting for the `,` or `}` that ends it. */
  let open: { start: number; end: number } | undefined;
  for (let i = 0; i < text.length && (withinLimits || typeValues.length === 0); i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const close = closingQuote(text, i);
      const valueStart = depth === 1 && rootIsObject ? typeValueStart(text, i, close) : -1;
      if (valueStart === -1) {
        i = close;
        continue;
      }
      const member = { start: valueStart, end: text.length };
      typeValues.push(member);
      if (text.charCodeAt(valueStart) === QUOTE) {
        const end = closingQuote(text, valueStart);
        member.end = Math.min(end + 1, text.length);
        i = end;
      } else {
        open = member;
        i = valueStart - 1;
      }
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth += 1;
      if (withinLimits) {
        values += 1;
        if (depth > deepest) deepest = depth;
        withinLimits = deepest <= limits.maxDepth && values <= limits.maxValues;
      }
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY || code === COMMA) {
      if (code === COMMA) {
        if (withinLimits) values += 1;
        withinLimits &&= values <= limits.maxValues;
      } else {
        depth -= 1;
      }
      if (open !== undefined && depth + (code === COMMA ? 0 : 1) === 1) {
        open.end = i;
        open = undefined;
      }
    }
  }
  return { depth: deepest, values, typeValues };
}

/**
 * Where the value of a top-level member starts when the string from `open` to `close` is its key and that key is
 * `type` once unescaped; -1 otherwise (another key, or a string that is a value: no colon follows it).
 */
function typeValueStart(text: string, open: number, close: number): number {
  const key = text.slice(open + 1, close);
  // Only an escaped key short enough to be `type` is worth unescaping: a cost, not a rule.
  const escapedType = key.length <= LONGEST_TYPE_KEY && key.includes('\\') && unescapes(text.slice(open, close + 1), 'type');
  if (key !== 'type' && !escapedType) return -1;
  KEY_COLON.lastIndex = close + 1;
  return KEY_COLON.test(text) ? KEY_COLON.lastIndex : -1;
}

function unescapes(token: string, expected: string): boolean {
  try {
    return JSON.parse(token) === expected;
  } catch {
    return false;
  }
}

/** The index of the quote that ends the string opened at `open`, or the text's end when it is never closed. */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
