/** The soak's settings (soak/run-soak.ts): the defaults of `npm run soak`'s options, and the fixed ones. */

/** Soak settings; the command-line options override the first three. */
export const SOAK_DEFAULTS = {
  events: 10_000,
  duplicates: 0.3,
  failures: 0.1,
  outageMs: 3_000,
  poison: 0.005,
  concurrency: 64,
  /**
   * Lambda waits about 1 and 2 minutes before its retries; scaled down here, to 2/3 and 4/3 of the outage, so that
   * an invocation that failed as the outage began succeeds on its last retry.
   */
  retryDelaysOfOutage: [2 / 3, 4 / 3],
} as const;
