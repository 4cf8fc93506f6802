/**
 * The local SNS fan-out: delivers an SNS event to the functions subscribed to its topic (which ones:
 * emulator/local-sns.ts), as an asynchronous Lambda invocation, as SNS does. One record per invocation; a failed invocation retried as the function's event
 * invoke config says (MaximumRetryAttempts, same request id), then written as a Lambda on-failure record to the
 * local dead-letter files. Each function runs in execution environments of its own ({@link LocalFunction}).
 *
 * Limitation: retries wait `retryDelaysMs` of real time, each on a clock set ahead to the moment Lambda's
 * retry (about 1 and 2 minutes later) would run at (emulator/retry-clock.ts); there is no event age limit, no
 * throttling and no SNS delivery retry: an invocation always reaches the function.
 */
import type { InvocationResult } from '../shared/types.js';
import type { BuiltFunction } from './build.js';
import { DeadLetterFiles } from './dead-letters.js';
import { type LambdaError, LocalFunction, type LocalFunctionOptions } from './local-function.js';

/** What one function did with one delivery, after its retries. */
export type FunctionReport =
  | { function: string; attempts: number; result: InvocationResult; error?: undefined }
  | { function: string; attempts: number; result?: undefined; error: LambdaError; deadLetterFile: string };

/** Options of {@link LocalFanOut}. */
export interface FanOutOptions extends LocalFunctionOptions {
  /**
   * Real waits before each retry. Lambda waits about 1 and 2 minutes; the local run waits far less, and runs the
   * retry on a clock set ahead to the time Lambda's retry would read (emulator/retry-clock.ts).
   */
  retryDelaysMs: readonly number[];
  /**
   * Whether retries run on the retry clock (default true). False: a retry reads real time, as before the retry
   * clock; the soak sets it (soak/run-soak.ts says why).
   */
  retryClock?: boolean;
  /** Where on-failure records go, one `<function>.jsonl` each. */
  deadLetterDir: string;
}

/** Delivers SNS events to every subscribed function. */
export class LocalFanOut {
  public readonly deadLetters: DeadLetterFiles;
  readonly #functions: LocalFunction[];
  readonly #retryDelaysMs: readonly number[];
  readonly #retryClock: boolean;

  public constructor(
    functions: readonly BuiltFunction[],
    { retryDelaysMs, retryClock = true, deadLetterDir, ...functionOptions }: FanOutOptions,
  ) {
    this.#functions = functions.map((fn) => new LocalFunction(fn, functionOptions));
    this.#retryDelaysMs = retryDelaysMs;
    this.#retryClock = retryClock;
    this.deadLetters = new DeadLetterFiles(deadLetterDir);
  }

  /** The names of the subscribed functions. */
  public get functionNames(): string[] {
    return this.#functions.map(({ fn }) => fn.name);
  }

  /**
   * Delivers one SNS event, given as the JSON text Lambda would receive, to every function (all of them, or those
   * named), with retries; resolves when all are done. A name no function has is a {@link RangeError}: a
   * subscription to a function that does not exist cannot be made in AWS either.
   */
  public async deliver(lambdaEvent: string, functionNames?: readonly string[]): Promise<FunctionReport[]> {
    const targets =
      functionNames === undefined
        ? this.#functions
        : functionNames.map((name) => {
            const target = this.#functions.find(({ fn }) => fn.name === name);
            if (target === undefined)
              throw new RangeError(`no local function is named ${name} (functions: ${this.functionNames.join(', ')})`);
            return target;
          });
    return Promise.all(targets.map((target) => this.#invokeAsync(target, lambdaEvent)));
  }

  /**
   * Invokes one function asynchronously, as Lambda's Invoke API does with InvocationType Event (`npm run reprocess`):
   * the same retries and on-failure record as a delivery; undefined when no function has that name.
   */
  public async invokeAsync(functionName: string, lambdaEvent: string): Promise<FunctionReport | undefined> {
    const target = this.#functions.find(({ fn }) => fn.name === functionName);
    return target === undefined ? undefined : this.#invokeAsync(target, lambdaEvent);
  }

  /** The subscribed function with this ARN (qualified or not), if any. */
  public functionByArn(arn: string): LocalFunction | undefined {
    const unqualified = arn.split(':').slice(0, 7).join(':');
    return this.#functions.find((target) => target.arn === unqualified);
  }

  /** Stops every worker. */
  public async close(): Promise<void> {
    await Promise.all(this.#functions.map((target) => target.close()));
  }

  async #invokeAsync(target: LocalFunction, lambdaEvent: string): Promise<FunctionReport> {
    const { requestId, attempts, invocation } = await target.invokeAsync(lambdaEvent, this.#retryDelaysMs, this.#retryClock);
    if (invocation.error === undefined) return { function: target.fn.name, attempts, result: invocation.result as InvocationResult };
    const { error } = invocation;
    const deadLetterFile = this.deadLetters.write(target.fn.name, { requestId, functionArn: target.arn, attempts, lambdaEvent, error });
    return { function: target.fn.name, attempts, error, deadLetterFile };
  }
}
