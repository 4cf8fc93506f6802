/**
 * One function's execution environments, as Lambda runs them: a pool of workers (piscina) that each load the
 * function's bundle and run one invocation at a time, up to the function's concurrency; each heap capped at about
 * 90% of `memorySize`; the timeout enforced from outside, by terminating the worker; and a fresh worker in place
 * of one that died (out of memory, timed out, crashed, exited).
 *
 * Limitation: workers are threads of one process, not micro-VMs. The cap covers the JavaScript heap, not
 * buffers or native memory, and the workers share the machine's CPUs instead of getting a share in proportion
 * to memory.
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { BuiltFunction } from './build.js';
import { lambdaRuntimeEnvironment } from './lambda-context.cjs';
import { awaitEndedBefore, type RunningInvocation, waitForRetry } from './retry-clock.js';

/** Settings of the local execution environments. */
const LOCAL_FUNCTION_DEFAULTS = {
  /**
   * Execution environments per function when it reserves no concurrency. Lambda allows up to the account's
   * quota (1,000 by default); locally each one is a thread that loads the bundle and the AWS SDK on its own, and
   * on two cores more than 4 per function cost more in start-up than they gain (measured with the soak).
   */
  concurrency: 4,
  /** Lambda leaves the rest of memorySize to the runtime and buffers. */
  heapShareOfMemory: 0.9,
  /** A worker idle this long is stopped, as Lambda reclaims idle environments. */
  idleTimeoutMs: 60_000,
} as const;

/** Where local ARNs point: AWS's documentation account, the region the local run uses. */
const LOCAL_ACCOUNT = { region: 'us-east-1', accountId: '111122223333' } as const;

/** An error as Lambda reports it in a response payload. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The outcome of one invocation: what the handler returned, or the error Lambda would report. */
export type Invocation = { result: unknown; error?: undefined } | { result?: undefined; error: LambdaError };

/** What an asynchronous invocation came to after its retries. */
export interface AsyncInvocation {
  /** The request id, the same for every attempt, as Lambda keeps it. */
  requestId: string;
  attempts: number;
  /** The last attempt's outcome. */
  invocation: Invocation;
}

/** Options of {@link LocalFunction}. */
export interface LocalFunctionOptions {
  /** Environment on top of the function's own. */
  environment: Record<string, string>;
  /** Receives each line the function logs. */
  onLogLine: (functionName: string, line: string) => void;
}

/** A function's execution environments. */
export class LocalFunction {
  /** `arn:aws:lambda:<region>:<account>:function:<name>`, as its dead letters name it. */
  public readonly arn: string;
  readonly #pool: Piscina;
  readonly #channel: BroadcastChannel;
  /** Invocations sent to a worker that has not yet said it started them: each starts its own timeout. */
  readonly #awaitingStart = new Map<string, () => void>();
  /** Invocations a worker has started and not finished, for the retry clock (emulator/retry-clock.ts). */
  readonly #running = new Set<RunningInvocation>();

  public constructor(
    public readonly fn: BuiltFunction,
    { environment, onLogLine }: LocalFunctionOptions,
  ) {
    this.arn = `arn:aws:lambda:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.accountId}:function:${fn.functionName}`;
    const channelName = `local-lambda-${fn.name}-${randomUUID()}`;
    this.#channel = new BroadcastChannel(channelName);
    this.#channel.onmessage = (message: unknown) => {
      const { log, started } = (message as { data: { log?: string; started?: string } }).data;
      if (log !== undefined) onLogLine(fn.name, log);
      if (started !== undefined) this.#awaitingStart.get(started)?.();
    };
    const concurrency = fn.reservedConcurrency ?? LOCAL_FUNCTION_DEFAULTS.concurrency;
    this.#pool = new Piscina({
      filename: new URL('./lambda-worker.cjs', import.meta.url).href,
      // No worker before the first invocation: a bundle that fails to load fails invocations, not a respawn loop.
      minThreads: 0,
      maxThreads: concurrency,
      concurrentTasksPerWorker: 1,
      idleTimeout: LOCAL_FUNCTION_DEFAULTS.idleTimeoutMs,
      // The bundle is plain CommonJS: no TypeScript loader (tsx) in the environments, as in Lambda.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: Math.floor(fn.memorySizeMb * LOCAL_FUNCTION_DEFAULTS.heapShareOfMemory) },
      env: {
        ...process.env,
        ...lambdaRuntimeEnvironment({ functionName: fn.functionName, memorySizeMb: fn.memorySizeMb }),
        ...fn.environment,
        ...environment,
      },
      workerData: {
        handlerFile: fn.handlerFile,
        handlerExport: fn.handlerExport,
        functionName: fn.functionName,
        functionArn: this.arn,
        memorySizeMb: fn.memorySizeMb,
        channelName,
      },
    });
  }

  /**
   * Runs one invocation in a free execution environment (waiting for one if all are busy); the timeout counts
   * from the moment the handler starts, as in Lambda, not from the wait. `clockOffsetMs` sets the function's clock
   * ahead for this invocation (a retry on the retry clock, see {@link invokeAsync}).
   */
  public async invoke(lambdaEvent: string, requestId: string, { clockOffsetMs = 0 }: { clockOffsetMs?: number } = {}): Promise<Invocation> {
    const invocationId = randomUUID();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const deadline = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let ended: () => void = () => undefined;
    const running: RunningInvocation = { startedAt: 0, clockOffsetMs, ended: new Promise<void>((resolve) => (ended = resolve)) };
    const start = () => {
      timer = setTimeout(() => deadline.abort(), timeoutMs);
      running.startedAt = performance.now();
      this.#running.add(running);
      this.#channel.postMessage({ go: invocationId });
    };
    this.#awaitingStart.set(invocationId, () => {
      // A retry (its clock ahead) is held at its start, in its environment, until every invocation AWS would have
      // ended by its moment has ended here: it may have queued for an environment behind first attempts of the same
      // event (emulator/retry-clock.ts). A waiting retry is not running yet, so two retries never wait on each other.
      if (clockOffsetMs === 0) start();
      else void awaitEndedBefore({ clockOffsetMs, timeoutMs, running: this.#running }).then(start);
    });
    try {
      return (await this.#pool.run(
        { event: lambdaEvent, requestId, invocationId, timeoutMs, clockOffsetMs },
        { signal: deadline.signal },
      )) as Invocation;
    } catch (error) {
      return { error: this.#deathOf(error as Error & { code?: string }, requestId, deadline.signal.aborted) };
    } finally {
      clearTimeout(timer);
      this.#awaitingStart.delete(invocationId);
      this.#running.delete(running);
      ended();
    }
  }

  /**
   * Runs an asynchronous invocation as Lambda does: retried while it fails, up to the function's
   * `maximumRetryAttempts`, with the same request id. Each retry waits `realDelaysMs` and runs on the retry clock
   * (emulator/retry-clock.ts): it reads the time AWS's retry would read, about 1 and then 3 minutes after the first
   * attempt, so that a lock left by a failed attempt has expired as it would have in AWS.
   */
  public async invokeAsync(lambdaEvent: string, realDelaysMs: readonly number[], retryClock = true): Promise<AsyncInvocation> {
    const maxAttempts = this.fn.maximumRetryAttempts + 1;
    const requestId = randomUUID();
    let clockOffsetMs = 0;
    let invocation = await this.invoke(lambdaEvent, requestId);
    let attempts = 1;
    while (invocation.error !== undefined && attempts < maxAttempts) {
      if (!retryClock) {
        // Real time: the retry waits its real delay and reads the machine's clock.
        await new Promise((resolve) => setTimeout(resolve, realDelaysMs[Math.min(attempts, realDelaysMs.length) - 1] ?? 0));
        invocation = await this.invoke(lambdaEvent, requestId);
        attempts += 1;
        continue;
      }
      clockOffsetMs = await waitForRetry({
        retry: attempts,
        failedAt: performance.now(),
        previousOffsetMs: clockOffsetMs,
        realDelaysMs,
        timeoutMs: this.fn.timeoutSeconds * 1000,
        running: this.#running,
      });
      invocation = await this.invoke(lambdaEvent, requestId, { clockOffsetMs });
      attempts += 1;
    }
    return { requestId, attempts, invocation };
  }

  /** Stops every worker. */
  public async close(): Promise<void> {
    await this.#pool.destroy();
    this.#channel.close();
  }

  /** The error Lambda reports when an execution environment dies during an invocation. */
  #deathOf(error: Error & { code?: string }, requestId: string, timedOut: boolean): LambdaError {
    const prefix = `RequestId: ${requestId} Error:`;
    if (timedOut)
      return { errorType: 'Sandbox.Timedout', errorMessage: `${prefix} Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds` };
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
      return { errorType: 'Runtime.OutOfMemory', errorMessage: `${prefix} Runtime exited with error: signal: killed` };
    const exit = /worker exited with code: (-?\d+)/.exec(error.message);
    if (exit !== null)
      return { errorType: 'Runtime.ExitError', errorMessage: `${prefix} Runtime exited with error: exit status ${exit[1]}` };
    // An uncaught exception: Lambda's Node.js runtime reports the error itself, then replaces the environment.
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
  }
}
