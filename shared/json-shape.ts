/**
 * The shape of a JSON text, measured before it is parsed: how deep it nests and how many values it holds.
 *
 * `JSON.parse` has no limits of its own: its memory grows with the number of values, not with the bytes (a few
 * megabytes of `[{},{},...]` become hundreds of megabytes of objects), and the walks that come after it (hashing,
 * logging) recurse with the depth. Measuring the text first bounds both before any object exists. The scan does
 * not validate JSON: `JSON.parse` does that afterwards, on text already known to be affordable.
 */

/** What {@link measureJsonShape} found. */
export interface JsonShape {
  /** The deepest nesting of objects and arrays (0 for a scalar); counting stops past the depth limit. */
  depth: number;
  /** Objects and arrays, and the members and elements they hold: `{`, `[` and `,` outside strings. */
  values: number;
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Measures `text`, stopping as soon as either limit is passed (the figure returned is then just over it).
 *
 * @param limits - the depth and value counts beyond which the caller rejects the text.
 */
export function measureJsonShape(text: string, limits: { maxDepth: number; maxValues: number }): JsonShape {
  let depth = 0;
  let deepest = 0;
  let values = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth += 1;
      values += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limits.maxDepth || values > limits.maxValues) break;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth -= 1;
    } else if (code === COMMA) {
      values += 1;
      if (values > limits.maxValues) break;
    }
  }
  return { depth: deepest, values };
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
