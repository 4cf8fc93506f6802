/** Errors of `npm run reprocess`, each with what to do about it. */

/** The command line asks for something the reprocess cannot do (a bad label, an unreadable source): nothing is sent. */
export class ReprocessUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ReprocessUsageError';
  }
}

/** A line of an archive object that is not an SNS notification carrying a Stream event: reported, skipped, counted. */
export class UnreadableArchiveRecordError extends Error {
  public constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableArchiveRecordError';
  }
}

/** Lambda did not accept an asynchronous invocation (after the retries a throttle or a 5xx gets). */
export class InvokeRefusedError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvokeRefusedError';
  }
}
