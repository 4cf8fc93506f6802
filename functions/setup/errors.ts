/**
 * What can go wrong while setting up the Stream hooks, each with what a person should do about it. Messages never
 * hold a secret (they are printed, logged and sent to CloudFormation, and the scrubber passes over them anyway);
 * Stream's own text in them is reduced first (stream-answers.ts).
 */

/** Base class: a setup failure with an actionable message. */
export class SetupError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SetupError';
  }

  /**
   * Adds what the run had written to Stream's app before it failed, and what the app held when last read, so that
   * nobody takes a failure after a write for a failure before one. Keeps the error's class (its name is the error
   * type Lambda reports).
   */
  public afterWrites(written: string): this {
    this.message = `${this.message} ${written}`;
    return this;
  }
}

/** Stream refused the API key and secret. */
export class StreamCredentialsError extends SetupError {
  public constructor(status: number, streamMessage: string) {
    super(
      `Stream rejected the API key or secret (HTTP ${status}: ${streamMessage}). Check STREAM_API_KEY and ` +
        'STREAM_API_SECRET, or the SSM parameters the setup function reads; the secret is the server-side one.',
    );
    this.name = 'StreamCredentialsError';
  }
}

/** Stream does not know the app of this API key. */
export class StreamAppNotFoundError extends SetupError {
  public constructor(streamMessage: string) {
    super(`Stream found no app for this API key (${streamMessage}). Check the API key and the app's region (--base-url).`);
    this.name = 'StreamAppNotFoundError';
  }
}

/** Stream could not be reached, or kept answering with errors or rate limits after the retries. */
export class StreamUnavailableError extends SetupError {
  public constructor(detail: string, attempts: number) {
    super(`Stream is unreachable or overloaded after ${attempts} attempts (${detail}). Try again in a few minutes.`);
    this.name = 'StreamUnavailableError';
  }
}

/** Stream refused a call with a 4xx other than the credentials' and the app's: asking again gets the same answer. */
export class StreamRefusedError extends SetupError {
  public constructor(what: string, status: number, streamMessage: string) {
    super(`Stream refused to ${what} (HTTP ${status}: ${streamMessage})`);
    this.name = 'StreamRefusedError';
  }
}

/**
 * Stream answered 200 with something that is not what was asked for (truncated JSON, `{}`, an HTML page, more than
 * the setup reads): the run stops before using it.
 */
export class StreamAnswerError extends SetupError {
  public constructor(url: string, expected: string, found: string) {
    super(
      `Stream's answer from ${url} is not ${expected}: it is ${found}. The setup stopped without using it. If the URL is ` +
        "not Stream's API, fix --base-url (or STREAM_BASE_URL); otherwise try again.",
    );
    this.name = 'StreamAnswerError';
  }
}

/**
 * The API answered with a redirect. It is never followed: the request would be sent again, credentials and SNS
 * secret included, to wherever the redirect points.
 */
export class StreamRedirectError extends SetupError {
  public constructor(what: string, status: number, targetHost: string) {
    super(
      `Stream's API answered ${what} with HTTP ${status}, a redirect to ${targetHost}. The setup follows no redirect ` +
        '(it would send the credentials there). Point --base-url (or STREAM_BASE_URL) at the API itself.',
    );
    this.name = 'StreamRedirectError';
  }
}

/** A call that may succeed if made again: no answer, a timeout, a 5xx or a rate limit. Retried, never shown as is. */
export class StreamTransientError extends SetupError {
  /** How long Stream asked to wait (Retry-After, or a 429's rate-limit reset), if it did. */
  public readonly retryAfterMs: number | undefined;
  /** No answer came (a timeout, a reset): a write may still be on its way and land later. */
  public readonly unanswered: boolean;

  public constructor(detail: string, { retryAfterMs, unanswered }: { retryAfterMs?: number | undefined; unanswered: boolean }) {
    super(detail);
    this.retryAfterMs = retryAfterMs;
    this.unanswered = unanswered;
    this.name = 'StreamTransientError';
  }
}

/** After writing, Stream's app still does not hold exactly our hooks (or still holds one, after remove). */
export class HookNotSettledError extends SetupError {
  /**
   * @param wanted - what the app should hold, e.g. "no hook of ours for arn:...".
   * @param failures - the read-back's checks that still fail (hook ids and field names, never values).
   */
  public constructor(wanted: string, writes: number, lastFailure: string | undefined, failures: readonly string[]) {
    super(
      `after ${writes} writes, Stream's app still does not hold ${wanted}` +
        `${failures.length > 0 ? ` (${failures.join('; ')})` : ''}` +
        `${lastFailure ? ` (last failure: ${lastFailure})` : ''}. Run the setup again; if this persists, look at the app's hooks.`,
    );
    this.name = 'HookNotSettledError';
  }
}

/**
 * The read-back after a write found other teams' hooks not as they were before it: gone, or changed. The setup
 * never sends them, so Stream (or someone at the same moment) changed them; the message names them by id and the
 * changed fields by name, never their values.
 */
export class OtherHooksChangedError extends SetupError {
  public constructor(differences: string[]) {
    super(
      `Stream's app no longer holds the other hooks as they were before the write: ${differences.join('; ')}. ` +
        "Restore them in Stream's dashboard from what their owners configured.",
    );
    this.name = 'OtherHooksChangedError';
  }
}

/** The hooks already there for our topic cannot be taken over safely (see the message). Nothing was written. */
export class HooksNotAdoptableError extends SetupError {
  public constructor(reason: string) {
    super(`${reason} Nothing was written.`);
    this.name = 'HooksNotAdoptableError';
  }
}

/** The run reached its deadline and stopped. */
export class SetupDeadlineError extends SetupError {
  /** @param detail - which call or wait the deadline cut. */
  public constructor(detail: string) {
    super(`the setup stopped at its deadline before finishing (${detail}); deploy again, or run npm run setup to finish it`);
    this.name = 'SetupDeadlineError';
  }
}

/** Stream could not publish a test message to the topic. */
export class SnsCheckFailedError extends SetupError {
  public constructor(streamAnswer: string, likelyCause: string) {
    super(`Stream's SNS check failed: ${streamAnswer}. Likely cause: ${likelyCause}`);
    this.name = 'SnsCheckFailedError';
  }
}

/** The configuration given to the setup is unusable. */
export class SetupConfigurationError extends SetupError {
  public constructor(message: string) {
    super(message);
    this.name = 'SetupConfigurationError';
  }
}

/**
 * Per-category routing asked of an app that is not migrated to multi-event hooks (`GET /app` does not answer
 * `use_hook_v2: true`): such an app applies one selection of event types to every hook, so each category's hook
 * would publish every event to its topic and each function would reject the others' types as misrouted. Raised
 * before any write.
 */
export class MultiEventHooksRequiredError extends SetupError {
  public constructor(useHookV2: unknown) {
    super(
      `per-category routing needs a Stream app on multi-event hooks, and this one answers use_hook_v2: ${useHookV2 === undefined ? 'nothing' : String(useHookV2)}. ` +
        "Migrate the app to multi-event hooks in Stream's dashboard, or deploy with --param routing=single-topic " +
        '(npm run setup -- --routing single-topic). Nothing was written.',
    );
    this.name = 'MultiEventHooksRequiredError';
  }
}
