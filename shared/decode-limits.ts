/**
 * The limits the decoder enforces on a delivery, and why each is set where it is.
 *
 * They exist so that decoding any delivery at all fits in the function's memory (`memorySize: 256` in
 * serverless.yml; Lambda caps Node's heap at about 90% of it) with room left for the customer's handler. The
 * figures behind them, measured on the samples in events/samples/ (Stream's own payload shapes):
 *
 * | what                          | real events              | limit      |
 * | ----------------------------- | ------------------------ | ---------- |
 * | JSON text                     | 0.6 - 4 KB               | 4 MiB      |
 * | JSON values (see below)       | 19 - 150 (26 bytes each) | 200,000    |
 * | nesting                       | about 8 levels           | 64         |
 * | gzip ratio                    | 1.7 - 3.9                | (4 MiB / 192 KiB = 21) |
 *
 * Bytes alone do not bound memory: 16 MiB of `[{},{},...]` parses into 5.6 million objects, about 390 MB of
 * heap. The number of values does. Both are checked on the text, in one pass, before `JSON.parse`
 * (shared/json-shape.ts), so a hostile delivery costs a scan of at most 4 MiB and never a parse.
 */
export const DECODE_LIMITS = {
  /**
   * SNS refuses messages over 256 KiB (262,144 bytes of UTF-8), and Stream drops events that would exceed it:
   * anything larger did not come through SNS.
   */
  maxMessageBytes: 256 * 1024,
  /**
   * Stream compresses the JSON before base64, so a 256 KiB message holds at most 192 KiB of gzip. Real events
   * compress 2-4x; 4 MiB allows a ratio of 21 on the largest message Stream can send, and stops a gzip bomb after
   * 4 MiB of work.
   */
  maxInflatedBytes: 4 * 1024 * 1024,
  /**
   * JSON values, counted as the text's `{`, `[` and `,` outside strings: every object and array, and every member
   * or element but the first of each (so the true count is at most twice this). The densest sample spends 26
   * bytes per counted value, so a real event of 4 MiB has about 160,000. Measured under the heap limit
   * (test/hostile): 200,000 of the cheapest kinds (`{}`, `{"a":1}`, `1.5e300`) leave the heap under 50 MB.
   */
  maxJsonValues: 200_000,
  /**
   * Real Stream events nest about 8 levels deep. Hashing and logging walk the event recursively, so an event
   * nested thousands of levels deep would overflow the stack there; 64 levels is far above any real one.
   */
  maxDepth: 64,
} as const;
