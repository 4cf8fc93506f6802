/**
 * The one masking rule for everything the setup prints, logs or sends to CloudFormation. A Stream app holds hooks
 * that other teams own, with their credentials in them; the setup shows those hooks but must never show a
 * credential, whatever the hook's type.
 *
 * The rule, applied to every field of every hook, recursively:
 * - a field named like a secret (`*_secret`, `*password*`, `*token*`, `*signature*`, `*credential*`): `****`;
 * - a field named like a key (`*_key`, `api_key`): its first four characters, then `****` (enough to tell which
 *   AWS access key it is, not enough to use it);
 * - a string that is a URL: its user information, every query value, its fragment and every path segment that looks
 *   like a token (16 or more letters and digits mixing both) become `****`; scheme, host, path and query names stay,
 *   so a person can still tell the hooks apart.
 *
 * Free text (Stream's error messages, which may echo the request) goes through {@link SecretScrubber}: the same rule
 * for URLs and `name: value` pairs found in the text, and every secret in play replaced wherever it appears.
 */
import type { EventHook } from 'stream-chat';

/** What a masked credential shows instead. */
export const MASK = '****';

/** Characters of a key that stay visible. */
const KEY_PREFIX_LENGTH = 4;

const SECRET_NAME = /secret|passw|token|signature|credential/i;
const KEY_NAME = /(?:^|_)key$/i;
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\]+/gi;
/** `name: value`, `name=value`, `"name":"value"` (also backslash-escaped, as in JSON inside a JSON message). */
const PAIR_IN_TEXT = /([A-Za-z0-9_-]*(?:secret|passw\w*|token|signature|credential|_key|api_key))(\\?"?\s*[:=]\s*\\?"?)([^"\\\s,&}\]]+)/gi;
/** A path segment that carries a credential (a Slack-style webhook token, a signed path): long, letters and digits. */
const TOKEN_LIKE_SEGMENT = /^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}$/;
/** Secrets shorter than this are not searched for in free text: they would mask ordinary words. */
const SHORTEST_SCRUBBED_SECRET = 4;

/** A copy of `hook` with every credential masked; the hook itself is never changed. */
export function maskHook(hook: EventHook): EventHook {
  return maskFields(hook) as EventHook;
}

/**
 * Every credential a hook holds, as it is stored: what {@link SecretScrubber} must hide if Stream echoes it.
 *
 * @returns pairs of the credential and how many of its characters may stay visible.
 */
export function credentialsOf(hook: EventHook): Array<{ value: string; visible: number }> {
  const found: Array<{ value: string; visible: number }> = [];
  const visit = (name: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (SECRET_NAME.test(name)) found.push({ value, visible: 0 });
      else if (KEY_NAME.test(name)) found.push({ value, visible: KEY_PREFIX_LENGTH });
      else if (isUrl(value)) found.push(...credentialsOfUrl(value).map((credential) => ({ value: credential, visible: 0 })));
    } else if (Array.isArray(value)) value.forEach((element) => visit(name, element));
    else if (typeof value === 'object' && value !== null) for (const [field, inner] of Object.entries(value)) visit(field, inner);
  };
  // Stryker disable next-line StringLiteral: the hook is an object, so the name it is visited under is never read.
  visit('', hook);
  return found;
}

/** Masks a URL by the rule above; a string that does not parse as a URL is masked whole. */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return MASK;
  }
  if (url.username || url.password) {
    url.username = MASK;
    url.password = '';
  }
  if (url.search) url.search = [...new Set(url.searchParams.keys())].map((name) => `${encodeURIComponent(name)}=${MASK}`).join('&');
  if (url.hash) url.hash = MASK;
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (TOKEN_LIKE_SEGMENT.test(segment) ? MASK : segment))
    .join('/');
  return url.toString();
}

/**
 * Hides secrets in free text. It knows the secrets in play (added as they become known) and also masks, by the rule
 * above, every URL and every `name: value` pair with a secret's or a key's name.
 *
 * Limitation: a secret shorter than 4 characters is not searched for (it would mask ordinary words), and a secret
 * that Stream would echo transformed (escaped, truncated) is caught only by the name rule.
 */
export class SecretScrubber {
  readonly #secrets = new Map<string, number>();

  public constructor(secrets: Array<{ value: string | undefined; visible: number }> = []) {
    this.add(secrets);
  }

  /** Adds secrets to hide; `visible` characters at the start of each stay readable. */
  public add(secrets: Array<{ value: string | undefined; visible: number }>): this {
    for (const { value, visible } of secrets) {
      if (value !== undefined && value.length >= SHORTEST_SCRUBBED_SECRET) {
        this.#secrets.set(value, Math.min(visible, this.#secrets.get(value) ?? visible));
      }
    }
    return this;
  }

  /** `text` with every known secret, URL credential and named secret masked. */
  public scrub(text: string): string {
    let scrubbed = text;
    // Longest first: a secret that contains another must not be cut in two by the shorter one's mask.
    for (const [secret, visible] of [...this.#secrets].sort(([a], [b]) => b.length - a.length)) {
      scrubbed = scrubbed.split(secret).join(`${secret.slice(0, visible)}${MASK}`);
    }
    scrubbed = scrubbed.replace(URL_IN_TEXT, (url) => maskUrl(url));
    // A value that already ends in the mask was masked before (by the URL rule above, or by an earlier scrub of the
    // same message): masking it again would only garble it.
    return scrubbed.replace(PAIR_IN_TEXT, (_, name: string, separator: string, value: string) =>
      `${name}${separator}${value.endsWith(MASK) ? value : maskNamed(name, value)}`,
    );
  }
}

// Stryker disable next-line StringLiteral: the top-level value is a hook, an object, so its name is never read.
function maskFields(value: unknown, name = ''): unknown {
  if (typeof value === 'string') return maskNamed(name, value);
  if (Array.isArray(value)) return value.map((element) => maskFields(element, name));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, maskFields(inner, field)]));
  }
  return value;
}

function maskNamed(name: string, value: string): string {
  if (value === '') return value;
  if (SECRET_NAME.test(name)) return MASK;
  if (KEY_NAME.test(name)) return `${value.slice(0, KEY_PREFIX_LENGTH)}${MASK}`;
  return isUrl(value) ? maskUrl(value) : value;
}

/** A URL as `new URL` reads it, which first strips leading spaces and control characters. */
function isUrl(value: string): boolean {
  return /^[\u0000-\u0020]*[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

function credentialsOfUrl(text: string): string[] {
  try {
    const url = new URL(text);
    // Stryker disable next-line MethodExpression: the scrubber, the only reader, ignores values shorter than 4 characters.
    return [
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
      url.username,
      url.password,
      ...url.searchParams.values(),
      url.hash.slice(1),
      ...url.pathname.split('/').filter((segment) => TOKEN_LIKE_SEGMENT.test(segment)),
    ].filter(Boolean);
  } catch {
    return [text];
  }
}
