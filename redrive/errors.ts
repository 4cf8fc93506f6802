/** Errors of `npm run redrive`, each with what to do about it. */

/** A dead-letter message that is neither a Lambda on-failure record nor an SNS message: it is left where it is. */
export class UnreadableDeadLetterError extends Error {
  public constructor(reason: string) {
    super(`not a Lambda on-failure record nor an SNS message (${reason}); left in place`);
    this.name = 'UnreadableDeadLetterError';
  }
}

/** The command line asks for something the redrive cannot do. */
export class RedriveUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RedriveUsageError';
  }
}
