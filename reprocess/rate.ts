/**
 * The reprocess's pace: at most `perSecond` invocations start each second, evenly spaced, so that a reprocess of a
 * day of events does not take the functions' concurrency from live events (Lambda's async queue would take them
 * all at once and run them as fast as concurrency allows).
 *
 * Hand-written rather than a token-bucket library: the whole need is "the next start is one interval after the
 * last", a few lines; p-limit (already a dependency) bounds how many are in flight.
 */

/** A pacer: `await next()` before each start. */
export interface Pacer {
  next(): Promise<void>;
}

/** Starts at most `perSecond` each second, the first at once. */
export function pacer(perSecond: number, now: () => number = () => Date.now()): Pacer {
  const intervalMs = 1000 / perSecond;
  let nextStart = Number.NEGATIVE_INFINITY;
  return {
    async next() {
      const at = Math.max(now(), nextStart);
      nextStart = at + intervalMs;
      const wait = at - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
}
