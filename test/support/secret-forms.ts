/**
 * Finds secrets in what the setup printed, logged or answered, on its own: it computes the forms a secret can
 * travel in (raw, JSON-escaped once and twice, URL-encoded, base64 and base64url with and without padding) and looks
 * for each in the output with every line break taken out, raw or escaped, so that a secret split across lines is
 * found too. It never calls the setup's scrubber or its patterns.
 */

/** The forms of `secret` a leak test looks for. */
export function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const base64 = Buffer.from(secret).toString('base64');
  const base64url = Buffer.from(secret).toString('base64url');
  return [
    ...new Set([secret, json, JSON.stringify(json).slice(1, -1), encodeURIComponent(secret), base64, base64.replace(/=+$/, ''), base64url]),
  ];
}

/** `output` with every line break removed: raw (\n, \r\n, \r, U+2028, U+2029) and JSON-escaped (\n, \r, \u2028). */
export function joinedLines(output: string): string {
  return output.replace(/\r\n|[\n\r\u2028\u2029]|\\r|\\n|\\u2028|\\u2029/g, '');
}

/** Every form of every secret found in `output`, named by the secret's first four characters (none: no leak). */
export function leaksIn(output: string, secrets: readonly string[]): string[] {
  const joined = joinedLines(output);
  return secrets.flatMap((secret) =>
    formsOf(secret)
      .filter((form) => output.includes(form) || joined.includes(form))
      .map((form) => `${secret.slice(0, 4)}… as ${form === secret ? 'raw' : form}`),
  );
}
