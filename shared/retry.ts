/**
 * The one retry helper of the project: a number of attempts, a doubling wait between them up to a cap, a wait that
 * the failure itself names (an HTTP Retry-After, a rate limit's reset time), and a deadline. Used for the Stream
 * calls of the setup, its answer to CloudFormation, and any other call worth making again.
 *
 * The deadline is an AbortSignal (it ends a wait at once and stops before the next attempt) and, when the caller
 * knows it, the time left (`remainingMs`): a wait that would end less than `keepMs` before the deadline is not
 * started, so the caller learns at once that the retry cannot be made, with the name of the wait, instead of
 * sleeping until a timeout cuts it off.
 *
 * Hand-written rather than p-retry 7.1.1, which was read for this: p-retry computes every wait from its own backoff
 * (a wait named by the failure, as Stream's 429 names one, cannot be honoured), and at its time limit it shortens the
 * last wait and makes one more attempt at the limit, where the callers here must stop and say why. Both would need
 * wrapping larger than this module.
 *
 * Limitation: an attempt under way is not cut by the helper; the attempt itself must honour the signal (pass it on).
 */
import { RetriesExhaustedError, RetryDeadlineError } from './retry-errors.js';

/** How an operation is retried. Times in ms. */
export interface RetryOptions {
  /** The operation, as errors name it: "Stream: read app settings", "CloudFormation answer". */
  operation: string;
  /** What is waited for between attempts, as errors name it ("retry after a failure"); a failure may name its own. */
  wait: string;
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first wait; it doubles after each failed retry. */
  firstDelayMs: number;
  /** The longest computed wait. */
  maxDelayMs: number;
  /** The longest wait a failure may name; longer ones are cut to it. */
  maxNamedDelayMs: number;
  /** The time all waits together may take; a wait that would pass it is not started. */
  maxTotalWaitMs: number;
  /** The deadline: ends a wait at once, and no attempt starts once it is aborted. */
  signal: AbortSignal | undefined;
  /** The time left before the deadline, if known; with `keepMs`, decides whether a wait may start. */
  remainingMs: (() => number) | undefined;
  /** Time to keep before the deadline after a wait (for the attempt that follows, and for reporting). */
  keepMs: number;
  /** Whether a failure is worth another attempt; any other is thrown as it is, at once. */
  retryable: (error: unknown) => boolean;
  /** A wait the failure names itself, in ms, and what it is for ("Stream rate limit"); undefined: the backoff. */
  namedWait: (error: unknown) => { ms: number; name: string } | undefined;
  /** Told of each wait before it starts (a log line, a test). */
  onWait: (wait: { attempt: number; ms: number; name: string; error: unknown }) => void;
}

/** The defaults of {@link RetryOptions}: every failure retried, waits from 100 ms doubling to 8 s, no deadline. */
export const RETRY_DEFAULTS = {
  wait: 'retry after a failure',
  attempts: 3,
  firstDelayMs: 100,
  maxDelayMs: 8_000,
  maxNamedDelayMs: 8_000,
  maxTotalWaitMs: Number.POSITIVE_INFINITY,
  signal: undefined,
  remainingMs: undefined,
  keepMs: 0,
  retryable: () => true,
  namedWait: () => undefined,
  onWait: () => undefined,
} as const satisfies Omit<RetryOptions, 'operation'>;

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, the attempts are spent or the deadline comes.
 *
 * @param attempt - one attempt; gets its number (1 for the first).
 * @throws the failure itself when it is not retryable; {@link RetriesExhaustedError} (cause: the last failure) when
 *   every attempt failed; {@link RetryDeadlineError} when the deadline ended it.
 */
export async function retry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: Partial<RetryOptions> & Pick<RetryOptions, 'operation'>,
): Promise<T> {
  const settings: RetryOptions = { ...RETRY_DEFAULTS, ...options };
  let waited = 0;
  for (let number = 1; ; number += 1) {
    if (settings.signal?.aborted) throw new RetryDeadlineError(settings.operation, undefined);
    let failure: unknown;
    try {
      return await attempt(number);
    } catch (error) {
      failure = error;
    }
    // A failure caused by the deadline (the attempt honoured the signal) is the deadline's, whatever it says.
    if (settings.signal?.aborted) throw new RetryDeadlineError(settings.operation, undefined, { cause: failure });
    if (!settings.retryable(failure)) throw failure;
    if (number >= settings.attempts) throw new RetriesExhaustedError(settings.operation, number, { cause: failure });
    const wait = waitAfter(number, failure, settings);
    const tooLate = settings.remainingMs !== undefined && settings.remainingMs() - wait.ms < settings.keepMs;
    if (tooLate || waited + wait.ms > settings.maxTotalWaitMs) throw new RetryDeadlineError(settings.operation, wait, { cause: failure });
    settings.onWait({ attempt: number, ...wait, error: failure });
    if (!(await sleep(wait.ms, settings.signal))) throw new RetryDeadlineError(settings.operation, wait, { cause: failure });
    waited += wait.ms;
  }
}

/** The wait after failed attempt `number`: the one the failure names (capped), or the doubling backoff. */
function waitAfter(number: number, failure: unknown, settings: RetryOptions): { ms: number; name: string } {
  const named = settings.namedWait(failure);
  if (named !== undefined) return { ms: Math.min(Math.max(0, named.ms), settings.maxNamedDelayMs), name: named.name };
  return { ms: Math.min(settings.firstDelayMs * 2 ** (number - 1), settings.maxDelayMs), name: settings.wait };
}

/**
 * Waits `ms` unless `signal` aborts first.
 *
 * @returns whether the whole wait passed.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve(completed);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
