/**
 * The local run's retry clock: Lambda's waits between the attempts of a failed asynchronous invocation, played on
 * a clock the local run speeds up, so that each retry sees what it would see in AWS.
 *
 * Why: Lambda retries a failed asynchronous invocation after about 1 minute, then after about 2 more
 * (AWS Lambda Developer Guide, "Error handling and automatic retries"), and an idempotency record left in progress
 * by a failed attempt expires with that attempt's deadline (Powertools sets its in-progress expiry to the
 * invocation's remaining time: the function's timeout, 30 s for the category functions). So in AWS, an attempt
 * whose DynamoDB write landed but whose answer was lost leaves a lock that has expired by the retry, and the retry
 * processes the event. The local run cannot wait minutes per retry; waiting 250 ms instead, its retries all found
 * the lock still held and dead-lettered an event AWS would have processed.
 *
 * The model: each asynchronous invocation has its own clock. Attempt 1 runs on real time; before each retry the
 * local run waits a short real time (`realDelaysMs`, its speed-up), and the retry's clock is set ahead so that
 * it reads what it would read in AWS: the failure's moment plus Lambda's delay. The function sees that clock
 * wherever it reads the time (`Date`, so Powertools' expiry checks, the Lambda context's deadline, its logs'
 * timestamps); timers and timeouts keep running at real speed. Before a retry, every invocation of the same
 * function that would have ended by the retry's moment in AWS (its start plus the function's timeout) is
 * awaited, so that a retry never takes over the lock of an invocation still running here that AWS would have
 * ended (killed at its timeout) long before: {@link LocalFunction} enforces the same timeout in real time, so
 * this wait is bounded by it.
 *
 * Limitations: the clocks of concurrent invocations are not one clock: a retry's reads ahead of a first attempt
 * running beside it, so with a function timeout longer than Lambda's delay (over a minute) a retry can see a
 * concurrent first attempt's lock as expired a little early. Invocations of other functions are not awaited
 * (only the owner of an event writes its record). There is no maximum event age and no throttling backoff.
 */
/** Lambda's waits before the retries of a failed asynchronous invocation: about 1 minute, then about 2. */
export const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000] as const;

/** An invocation running in a function's execution environments, as the retry clock needs to know it. */
export interface RunningInvocation {
  /** When the handler started (`performance.now()`). */
  startedAt: number;
  /** The clock offset it runs with: its lock expires at `startedAt + clockOffsetMs + timeout` on the shared scale. */
  clockOffsetMs: number;
  /** Settles when the invocation has ended, however it ended. */
  ended: Promise<unknown>;
}

/** Waits `ms` on the global timer (which fake timers replace, unlike node:timers/promises'). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before a Lambda retry (1-based: the first retry is 1), the last one repeated past the list. */
function delayOf(delays: readonly number[], retry: number): number {
  return delays[retry - 1] ?? delays.at(-1) ?? 0;
}

/**
 * Waits for the next retry of an asynchronous invocation: `realDelaysMs` of real time, and every invocation in
 * `running` that AWS would have ended by the retry's moment. Resolves to the clock offset the retry runs with:
 * the previous attempt's, plus the part of Lambda's delay the local run did not wait (never negative: a local
 * wait longer than Lambda's only makes the retry later).
 */
export async function waitForRetry({
  retry,
  failedAt,
  previousOffsetMs,
  realDelaysMs,
  timeoutMs,
  running,
}: {
  /** Which retry this is: 1 or 2 (Lambda's MaximumRetryAttempts is at most 2). */
  retry: number;
  /** When the failed attempt ended (`performance.now()`). */
  failedAt: number;
  /** The clock offset the failed attempt ran with. */
  previousOffsetMs: number;
  realDelaysMs: readonly number[];
  /** The function's timeout. */
  timeoutMs: number;
  /** The function's invocations running now. */
  running: Iterable<RunningInvocation>;
}): Promise<number> {
  const lambdaDelayMs = delayOf(LAMBDA_RETRY_DELAYS_MS, retry);
  const retryAt = failedAt + lambdaDelayMs;
  const endedInAws = [...running].filter(
    (invocation) => invocation.startedAt + invocation.clockOffsetMs + timeoutMs <= retryAt + previousOffsetMs,
  );
  await Promise.all([sleep(delayOf(realDelaysMs, retry)), ...endedInAws.map((invocation) => invocation.ended.catch(() => undefined))]);
  return previousOffsetMs + Math.max(0, lambdaDelayMs - (performance.now() - failedAt));
}

/**
 * Waits, as a retry's handler is about to start, for every invocation of the same function running now whose
 * deadline the retry's clock has passed (its start plus its offset plus the timeout, at or before `now + clockOffsetMs`):
 * AWS would have ended each of them (done, or killed at its timeout) before the retry's moment, so the retry must
 * not find their locks expired and take them over while they still run here. Checked again after each wait, since
 * invocations start meanwhile: the ones that start after the failure, during the retry's real wait or while it queues
 * for a free environment, are first attempts AWS would have run a minute before the retry. Bounded: each awaited
 * invocation ends by its timeout ({@link LocalFunction} enforces it).
 */
export async function awaitEndedBefore({
  clockOffsetMs,
  timeoutMs,
  running,
}: {
  /** The retry's clock offset. */
  clockOffsetMs: number;
  timeoutMs: number;
  running: Iterable<RunningInvocation>;
}): Promise<void> {
  // An invocation awaited once has ended, whether or not its owner has taken it out of `running` yet: never again,
  // so that the loop cannot spin on one that has ended.
  const awaited = new Set<RunningInvocation>();
  for (;;) {
    const clockNow = performance.now() + clockOffsetMs;
    const ended = [...running].filter(
      (invocation) => !awaited.has(invocation) && invocation.startedAt + invocation.clockOffsetMs + timeoutMs <= clockNow,
    );
    if (ended.length === 0) return;
    for (const invocation of ended) awaited.add(invocation);
    await Promise.all(ended.map((invocation) => invocation.ended.catch(() => undefined)));
  }
}
