/**
 * The one scrubber for every text that leaves the setup: stdout, stderr, `--json`, log lines, the on-demand error,
 * and the custom resource's Reason and Data.
 *
 * What it removes, wherever it is:
 * - every secret in play (the Stream API secret and the token the SDK signs with it, the SNS secret, the keys beyond
 *   their first characters), in each of these forms: raw, JSON-escaped (once or twice), URL-encoded, base64 and base64url (also
 *   inside a longer base64 text, at any of the three alignments), and split across lines by any line break, raw
 *   (`\n`, `\r\n`, `\r`, U+2028, U+2029, U+0085) or JSON-escaped (`\n`, `\r`, `\u2028`);
 * - whoever sent it: any JWT, any `Bearer`/`Basic`/`Token` credential, any AWS access key id and any 40-character
 *   AWS secret access key;
 * - every control character but the line feed (escape sequences, carriage returns, bells; also the Unicode line
 *   separators and the bidirectional overrides), so that no text can forge a line or hide one.
 *
 * Structured output is scrubbed value by value ({@link SecretScrubber.scrubValue}) and serialized afterwards, so
 * `--json` stays valid JSON whatever the secrets and the values are.
 *
 * Limitation: a secret shorter than {@link SHORTEST_SECRET} characters is not searched for (it would mask ordinary
 * words), and over-masking is accepted: any 40-character run of the AWS secret alphabet is masked, a hash included.
 */

/** What a scrubbed secret shows instead. */
export const MASK = '****';

/** Secrets shorter than this are not searched for in text. */
export const SHORTEST_SECRET = 6;

/** A line break as it may split a secret: raw, or JSON-escaped inside an echoed document. */
const LINE_BREAK = String.raw`(?:\r\n|[\n\r\u2028\u2029\u0085]|\\r\\n|\\[nr]|\\u2028|\\u2029)`;

/** Every control character but the line feed, the Unicode line separators, and the marks that reorder text. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/** Credentials recognised by their shape, whoever sent them. */
const PATTERNS: ReadonlyArray<{ pattern: RegExp; replace: string }> = [
  // A JWT: base64url of `{"` (a JSON header), then two more base64url segments.
  { pattern: /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, replace: MASK },
  // An HTTP credential after its scheme.
  { pattern: /\b(Bearer|Basic|Token)(\s+|%20|\+)[A-Za-z0-9._~+/=-]{6,}/gi, replace: `$1$2${MASK}` },
  // An AWS access key id (its prefix names its kind and stays).
  { pattern: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA))[A-Z0-9]{16}\b/g, replace: `$1${MASK}` },
  // An AWS secret access key: 40 characters of its alphabet, `/` also JSON-escaped or URL-encoded.
  { pattern: /(?<![A-Za-z0-9+/%\\])(?:[A-Za-z0-9+]|\/|\\\/|%2[Ff]|%2[Bb]){40}(?![A-Za-z0-9+/=%\\])/g, replace: MASK },
];

/** A secret the scrubber knows, and how many of its first characters may stay visible (a key's prefix). */
export interface KnownSecret {
  value: string | undefined;
  visible: number;
}

/** Text with every control character but the line feed removed. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

/** Hides secrets; see the module's comment for what and how. */
export class SecretScrubber {
  /** One pattern per form of each secret, with what replaces it; longest secrets first. */
  #forms: Array<{ pattern: RegExp; replace: string; length: number }> = [];

  public constructor(secrets: KnownSecret[] = []) {
    this.add(secrets);
  }

  /** Adds secrets to hide from now on. */
  public add(secrets: KnownSecret[]): this {
    for (const { value, visible } of secrets) {
      if (value === undefined || value.length < SHORTEST_SECRET) continue;
      const shown = value.slice(0, Math.min(visible, value.length - SHORTEST_SECRET));
      for (const form of formsOf(value)) {
        // The visible prefix stays only on the raw form: an encoded prefix would tell nothing a person reads.
        const replace = form === value ? `${shown}${MASK}` : MASK;
        this.#forms.push({ pattern: splitAcrossLines(form), replace, length: form.length });
      }
    }
    this.#forms.sort((a, b) => b.length - a.length);
    return this;
  }

  /** `text` without control characters (but line feeds), known secrets or credential-shaped text. */
  public scrub(text: string): string {
    let scrubbed = withoutControlCharacters(text);
    for (const { pattern, replace } of this.#forms) scrubbed = scrubbed.replace(pattern, () => replace);
    for (const { pattern, replace } of PATTERNS) scrubbed = scrubbed.replace(pattern, replace);
    return scrubbed;
  }

  /**
   * A copy of `value` with every string value in it scrubbed; numbers, booleans and null stay as they are, and so do
   * object keys: they are the names of the setup's own report and views, never text from elsewhere.
   */
  public scrubValue<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((element) => this.scrubValue(element)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, this.scrubValue(inner)])) as T;
    }
    return value;
  }
}

/** The forms in which a secret can travel: raw, JSON-escaped, URL-encoded, base64 and base64url at each alignment. */
function formsOf(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  // Escaped twice: a JSON document quoted as a string inside another (an echoed request body, say).
  const forms = [secret, escaped, JSON.stringify(escaped).slice(1, -1), encodeURIComponent(secret)];
  const bytes = Buffer.from(secret, 'utf8');
  for (const offset of [0, 1, 2]) {
    // The characters of base64 that depend on the secret's bytes only, wherever in a longer text it starts.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor((encoded.length * 8) / 6);
    for (const alphabet of ['base64', 'base64url'] as const) {
      // At least 7 characters: a secret has 6 bytes or more.
      forms.push(encoded.toString(alphabet).slice(first, last));
    }
  }
  return [...new Set(forms)];
}

/** A pattern matching `form` with any number of line breaks between any two of its characters. */
function splitAcrossLines(form: string): RegExp {
  const characters = [...form].map((character) => character.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return new RegExp(characters.join(`${LINE_BREAK}*`), 'g');
}
