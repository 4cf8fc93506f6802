/**
 * How a retried operation ends when it does not succeed (shared/retry.ts). Their messages name the operation and
 * the wait, never the failure's own text: a failure may quote a request, and callers that show a failure's text
 * choose what of it to show.
 */

/** Every attempt failed with a retryable failure; `cause` is the last one. */
export class RetriesExhaustedError extends Error {
  public override readonly name = 'RetriesExhaustedError';
  /** How many attempts were made. */
  public readonly attempts: number;

  public constructor(operation: string, attempts: number, options: ErrorOptions) {
    super(`${operation}: ${attempts} attempt${attempts === 1 ? '' : 's'} failed`, options);
    this.attempts = attempts;
  }
}

/**
 * The deadline came first: it had passed before an attempt, it ended a wait, or the next wait would have ended
 * after it (then nothing waits for a retry that could not be made). `cause` is the last failure, if any.
 */
export class RetryDeadlineError extends Error {
  public override readonly name = 'RetryDeadlineError';
  /** The wait that the deadline cut or prevented, as the caller named it; undefined if none was due. */
  public readonly wait: string | undefined;
  /** How long that wait was to be, in ms. */
  public readonly waitMs: number | undefined;

  public constructor(operation: string, wait: { name: string; ms: number } | undefined, options?: ErrorOptions) {
    super(
      wait === undefined
        ? `${operation}: the deadline passed before the next attempt`
        : `${operation}: the deadline comes before the end of the ${Math.ceil(wait.ms / 1000)} s wait for the ${wait.name}`,
      options,
    );
    this.wait = wait?.name;
    this.waitMs = wait?.ms;
  }
}
