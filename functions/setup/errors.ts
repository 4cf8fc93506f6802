/**
 * What can go wrong while setting up the Stream hook, each with what a person should do about it. Messages never
 * hold a secret: they are printed, logged and sent to CloudFormation.
 */

/** Base class: a setup failure with an actionable message. */
export class SetupError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SetupError';
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

/**
 * Stream answered 200 with something that is not what was asked for (truncated JSON, `{}`, an HTML page): the run
 * stops before using it.
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

/** A call that may succeed if made again: no answer, a timeout, a 5xx or a rate limit. Retried, never shown as is. */
export class StreamTransientError extends SetupError {
  /** How long Stream asked to wait (Retry-After), if it did. */
  public readonly retryAfterMs: number | undefined;

  public constructor(detail: string, retryAfterMs?: number) {
    super(detail);
    this.retryAfterMs = retryAfterMs;
    this.name = 'StreamTransientError';
  }
}

/** After writing, Stream's app still does not hold exactly our hook (or still holds one, after remove). */
export class HookNotSettledError extends SetupError {
  /** @param wanted - what the app should hold, e.g. "no hook for arn:...". */
  public constructor(wanted: string, writes: number, lastFailure: string | undefined) {
    super(
      `after ${writes} writes, Stream's app still does not hold ${wanted}` +
        `${lastFailure ? ` (last failure: ${lastFailure})` : ''}. Run the setup again; if this persists, look at the app's hooks.`,
    );
    this.name = 'HookNotSettledError';
  }
}

/** The run reached its deadline (the custom resource must answer CloudFormation in time) and stopped. */
export class SetupDeadlineError extends SetupError {
  public constructor() {
    super('the setup stopped at its deadline before finishing; deploy again, or run npm run setup to finish it');
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
