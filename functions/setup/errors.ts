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
