/**
 * The local SNS fan-out: delivers each SNS event to every function subscribed to the topic, as SNS and Lambda
 * would. One record per invocation; a Lambda context with the function's deadline; a failed invocation retried
 * as the function's event invoke config says (MaximumRetryAttempts), then kept in a local dead-letter list, as
 * the on-failure destination keeps it in AWS.
 *
 * Each function runs in a worker thread of its own (its own module state and environment, like a Lambda
 * container); unlike Lambda, one worker serves several invocations at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { InvocationResult } from '../../shared/types.js';
import type { BuiltFunction } from './build.js';

/** What one function did with one delivery, after its retries. */
export type FunctionReport =
  | { function: string; attempts: number; result: InvocationResult; error?: undefined }
  | { function: string; attempts: number; result?: undefined; error: { name: string; message: string } };

/** A failed delivery, kept as the on-failure destination keeps it. */
export interface DeadLetter {
  function: string;
  /** The Lambda event as JSON text. */
  lambdaEvent: string;
  error: { name: string; message: string };
  attempts: number;
}

/** Options of {@link LocalFanOut}. */
export interface FanOutOptions {
  /** Environment given to every function on top of its own (endpoints, local credentials, log level). */
  environment: Record<string, string>;
  /**
   * Waits before each retry. Lambda waits about 1 and 2 minutes; the local run waits far less, long enough for
   * a concurrent duplicate's original to finish.
   */
  retryDelaysMs: readonly number[];
  /** Receives each line the functions log. */
  onLogLine: (functionName: string, line: string) => void;
}

type Reply = { result: InvocationResult; error?: undefined } | { result?: undefined; error: { name: string; message: string } };

/** One function's worker and its invocations in flight. */
interface Container {
  fn: BuiltFunction;
  worker: Worker;
  pending: Map<number, (reply: Reply) => void>;
  /** Set when the worker died (its bundle failed to load, say): every invocation then fails with it. */
  crashed: { name: string; message: string } | undefined;
}

/** Delivers SNS events to every subscribed function. */
export class LocalFanOut {
  public readonly deadLetters: DeadLetter[] = [];
  readonly #containers: Container[];
  readonly #options: FanOutOptions;
  #nextId = 0;

  public constructor(functions: readonly BuiltFunction[], options: FanOutOptions) {
    this.#options = options;
    this.#containers = functions.map((fn) => {
      const worker = new Worker(new URL('./lambda-worker.cjs', import.meta.url), {
        workerData: {
          handlerFile: fn.handlerFile,
          handlerExport: fn.handlerExport,
          functionName: fn.name,
          timeoutMs: fn.timeoutSeconds * 1000,
        },
        env: { ...process.env, ...fn.environment, ...options.environment },
        stdout: true,
        stderr: true,
      });
      const pending = new Map<number, (reply: Reply) => void>();
      worker.on('message', (reply: Reply & { id: number }) => {
        pending.get(reply.id)?.(reply);
        pending.delete(reply.id);
      });
      const container: Container = { fn, worker, pending, crashed: undefined };
      const crash = (error: { name: string; message: string }) => {
        container.crashed ??= error;
        for (const resolve of pending.values()) resolve({ error: container.crashed });
        pending.clear();
      };
      worker.on('error', (error) => crash({ name: error.name, message: `the function's container crashed: ${error.message}` }));
      worker.on('exit', (code) => crash({ name: 'ContainerExited', message: `the function's container exited (code ${code})` }));
      for (const stream of [worker.stdout, worker.stderr]) {
        let buffered = '';
        stream.setEncoding('utf8').on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) if (line.trim() !== '') options.onLogLine(fn.name, line);
        });
      }
      return container;
    });
  }

  /** The names of the subscribed functions. */
  public get functionNames(): string[] {
    return this.#containers.map(({ fn }) => fn.name);
  }

  /**
   * Delivers one SNS event, given as the JSON text Lambda would receive, to every subscribed function, with
   * retries; resolves when all are done.
   */
  public async deliver(lambdaEvent: string): Promise<FunctionReport[]> {
    return Promise.all(this.#containers.map((container) => this.#deliverTo(container, lambdaEvent)));
  }

  /** Stops every worker. */
  public async close(): Promise<void> {
    for (const container of this.#containers) container.worker.removeAllListeners('exit');
    await Promise.all(this.#containers.map(({ worker }) => worker.terminate()));
  }

  async #deliverTo(container: Container, lambdaEvent: string): Promise<FunctionReport> {
    const maxAttempts = container.fn.maximumRetryAttempts + 1;
    let error = { name: 'Error', message: 'not invoked' };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) await sleep(this.#options.retryDelaysMs[attempt - 2] ?? this.#options.retryDelaysMs.at(-1) ?? 0);
      const reply = await this.#invoke(container, lambdaEvent);
      if (reply.error === undefined) return { function: container.fn.name, attempts: attempt, result: reply.result };
      error = reply.error;
    }
    this.deadLetters.push({ function: container.fn.name, lambdaEvent, error, attempts: maxAttempts });
    return { function: container.fn.name, attempts: maxAttempts, error };
  }

  #invoke({ worker, pending, crashed }: Container, event: string): Promise<Reply> {
    if (crashed !== undefined) return Promise.resolve({ error: crashed });
    const id = this.#nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      // As in Lambda, the event travels as JSON text and the runtime (the worker) parses it.
      worker.postMessage({ id, event });
    });
  }
}
