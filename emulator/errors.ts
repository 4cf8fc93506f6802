/**
 * The emulator's errors: each says what went wrong and what to do. All of them mean that a local run could not
 * happen (a command exits 2 on them), as opposed to a delivery that failed, which is a result.
 */

/** A local run could not happen; the message says why and what to do. */
export class EmulatorError extends Error {
  public override readonly name: string = 'EmulatorError';
}

/** A folder given as a build is not the output of `serverless package`. */
export class PackagedServiceError extends EmulatorError {
  public override readonly name = 'PackagedServiceError';
}

/** `serverless package` failed; the message holds its output. */
export class BuildError extends EmulatorError {
  public override readonly name = 'BuildError';
}

/**
 * Bytes that are not valid UTF-8 given as a raw-JSON message: SNS carries text only. A file replay reads is then
 * reported undelivered, by name, and the run exits 2.
 */
export class NotUtf8MessageError extends EmulatorError {
  public override readonly name = 'NotUtf8MessageError';

  public constructor() {
    super('not valid UTF-8: an SNS message is text, so raw-json cannot carry these bytes (a base64 encoding delivers them as they are)');
  }
}

/** Why DynamoDB Local could not start. */
export const DynamoDBLocalFailure = {
  JavaMissing: 'JAVA_MISSING',
  JavaTooOld: 'JAVA_TOO_OLD',
  PortInUse: 'PORT_IN_USE',
  Exited: 'EXITED',
  StartTimeout: 'START_TIMEOUT',
} as const;
export type DynamoDBLocalFailure = (typeof DynamoDBLocalFailure)[keyof typeof DynamoDBLocalFailure];

/** DynamoDB Local could not start: `code` says why. */
export class DynamoDBLocalError extends EmulatorError {
  public override readonly name = 'DynamoDBLocalError';

  public constructor(
    public readonly code: DynamoDBLocalFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A DynamoDB endpoint that cannot be reached: names the endpoint, and the network error's code and address
 * (`ECONNREFUSED 127.0.0.1:9`), so that the user can tell a typo from a stopped DynamoDB Local.
 */
export class EndpointUnreachableError extends EmulatorError {
  public override readonly name = 'EndpointUnreachableError';

  public constructor(
    public readonly endpoint: string,
    /** The network error's code (`ECONNREFUSED`, `ENOTFOUND`), when it has one. */
    public readonly code: string | undefined,
    /** The host (and port) it tried. */
    public readonly host: string,
    options: { cause: unknown },
  ) {
    super(
      `DynamoDB at ${endpoint} cannot be reached (${code ?? 'network error'} ${host}): is DynamoDB Local running there? ` +
        'Leave out --endpoint to start one.',
      options,
    );
  }
}

/**
 * The code and address of a network error, wherever the client put them: Node's own errors (`code`, `address`,
 * `port`, `hostname`), fetch's `TypeError: fetch failed` (on its `cause`), the AWS SDK's (as Node's).
 */
export function networkCauseOf(error: unknown): { code: string | undefined; host: string | undefined } {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const { code, address, port, hostname } = current as Error & { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      const host = typeof hostname === 'string' ? hostname : typeof address === 'string' ? address : undefined;
      return { code, host: host === undefined ? undefined : port === undefined ? host : `${host}:${String(port)}` };
    }
    if (current instanceof AggregateError) {
      const inner = current.errors.map(networkCauseOf).find((found) => found.code !== undefined);
      if (inner !== undefined) return inner;
    }
  }
  return { code: undefined, host: undefined };
}

/**
 * An error as one line for a person: `Name: message`, and the network cause's code and address when the message
 * leaves them out (fetch's `TypeError: fetch failed` becomes `TypeError: fetch failed (ECONNREFUSED 127.0.0.1:9)`).
 * An {@link EmulatorError}'s message says it all, without its name.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, host } = networkCauseOf(error);
  const cause = code === undefined || error.message.includes(code) ? '' : ` (${code}${host === undefined ? '' : ` ${host}`})`;
  return `${error instanceof EmulatorError ? '' : `${error.name}: `}${error.message}${cause}`;
}
