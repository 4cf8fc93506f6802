/**
 * Why `serverless package` refuses to build the template, each with what to change. They surface as osls errors,
 * at package time, before anything is built or deployed.
 */

/** Base class: the template cannot be built as configured. */
export class TemplateError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A catalog category whose name cannot name a function, a queue and CloudFormation logical ids alike. */
export class CategoryNameError extends TemplateError {
  public constructor(category: string, advice: string) {
    super(`Category "${category}" (shared/catalog.ts) cannot name its function, queue and CloudFormation resources: ${advice}.`);
    this.name = 'CategoryNameError';
  }
}

/** A routing parameter (serverless.yml `params`, or `--param`) with a value the template does not know. */
export class RoutingParameterError extends TemplateError {
  public constructor(parameter: string, value: unknown, allowed: readonly string[]) {
    super(
      `Parameter ${parameter} is ${JSON.stringify(value)}: use ${allowed.map((choice) => `"${choice}"`).join(' or ')} ` +
        `(serverless.yml params, or --param ${parameter}=${allowed[0]}).`,
    );
    this.name = 'RoutingParameterError';
    // osls prints a failed `${file(...)}` variable with its error's stack: the frames would bury the message.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A parameter that must be `true` or `false`. */
export class BooleanParameterError extends TemplateError {
  public constructor(parameter: string, value: unknown) {
    super(
      `Parameter ${parameter} is ${JSON.stringify(value)}: use "true" or "false" (serverless.yml params, or --param ${parameter}=false).`,
    );
    this.name = 'BooleanParameterError';
    // osls prints a failed `${file(...)}` variable with its error's stack: the frames would bury the message.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A parameter that must be a whole number, at least a minimum. */
export class NumberParameterError extends TemplateError {
  public constructor(parameter: string, value: unknown, minimum: number) {
    super(
      `Parameter ${parameter} is ${JSON.stringify(value)}: use a whole number of at least ${minimum} ` +
        `(serverless.yml params, or --param ${parameter}=${minimum}).`,
    );
    this.name = 'NumberParameterError';
    // osls prints a failed `${file(...)}` variable with its error's stack: the frames would bury the message.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Parameter topicKmsKey cannot be used as given: with resource auth (Stream's own account publishes, and only
 * Stream can grant its principals KMS rights on a customer's key), or not a KMS key ARN (the publisher user's
 * policy can only name a key by its ARN).
 */
export class TopicKeyError extends TemplateError {
  public constructor(reason: string) {
    super(`Parameter topicKmsKey cannot be used: ${reason}`);
    this.name = 'TopicKeyError';
  }
}

/** A name the template would give a resource, over the length AWS accepts for it. */
export interface TooLongName {
  /** What is named, in AWS's words (`Lambda function name`). */
  kind: string;
  name: string;
  maxLength: number;
}

/**
 * The stage (or service) makes names longer than AWS accepts. Without this check, `serverless package` succeeds
 * and the deploy fails halfway, on the first resource CloudFormation tries to create.
 */
export class ResourceNamesTooLongError extends TemplateError {
  public constructor(
    public readonly stage: string,
    public readonly tooLong: readonly TooLongName[],
    /** The longest stage with which every name fits; 0 or less when the service name alone is too long. */
    public readonly longestStage: number,
  ) {
    const lines = tooLong.map(({ kind, name, maxLength }) => `  ${kind} ${name}: ${name.length} characters, AWS allows ${maxLength}`);
    const advice =
      longestStage > 0
        ? `Use a stage of at most ${longestStage} characters, or a shorter service name.`
        : 'The service name alone is too long: shorten `service` in serverless.yml.';
    super(
      `Stage "${stage}" makes ${tooLong.length === 1 ? 'a name' : `${tooLong.length} names`} longer than AWS allows:\n${lines.join('\n')}\n${advice}`,
    );
    this.name = 'ResourceNamesTooLongError';
  }
}

/**
 * `serverless invoke local` was given a bare Stream event (`{"type": ...}`) as the Lambda event. A function takes
 * what SNS hands it, `{"Records": [...]}`; the bare event would be decoded as an SNS notification and rejected, and
 * the command would end with status 0 as if it had worked.
 */
export class BareStreamEventError extends TemplateError {
  public constructor(public readonly eventType: string) {
    super(
      `The event given to invoke local is a bare Stream event (type ${JSON.stringify(eventType)}), not what SNS hands the function. ` +
        `Pass an SNS event instead: events/<type>.base64-gzip.json (e.g. -p events/message.new.base64-gzip.json); ` +
        `to make one from your bare event, put it in events/samples/ and run npm run events, ` +
        `or deliver the bare file as it is with npm run replay -- <file>, which wraps it as Stream sends it.`,
    );
    this.name = 'BareStreamEventError';
  }
}

/**
 * `serverless invoke local` was pointed at a DynamoDB (AWS_ENDPOINT_URL_DYNAMODB) where nothing answers: the
 * function would fail on its first request, so the command stops before it runs.
 */
export class LocalStoreUnreachableError extends TemplateError {
  public constructor(
    public readonly endpoint: string,
    public readonly tableName: string,
    /** The network error's code (ECONNREFUSED, ENOTFOUND). */
    public readonly code: string | undefined,
  ) {
    super(
      `No DynamoDB answers at AWS_ENDPOINT_URL_DYNAMODB=${endpoint}${code === undefined ? '' : ` (${code})`}, where the function ` +
        `would keep its idempotency table ${tableName}. Unset AWS_ENDPOINT_URL_DYNAMODB and invoke local starts DynamoDB ` +
        'Local itself (tables kept in .local/dynamodb/), or start DynamoDB Local at that address; the table is created there if missing.',
    );
    this.name = 'LocalStoreUnreachableError';
  }
}
