/**
 * The three Stream calls the setup makes (read the app, write hooks, run the SNS check), through the stream-chat SDK,
 * each answer checked before use and each error turned into a {@link SetupError} whose message went through the
 * {@link SecretScrubber}: Stream's messages may echo the request, secrets included.
 *
 * Reads and the check are retried (they change nothing). A write is made once: whether a write whose answer was
 * lost took effect is only known by reading the app again, which the caller does (stream-hook.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type EventHook, StreamChat } from 'stream-chat';
import {
  SetupDeadlineError,
  SetupError,
  StreamAppNotFoundError,
  StreamCredentialsError,
  StreamTransientError,
  StreamUnavailableError,
} from './errors.js';
import type { SecretScrubber } from './masking.js';
import { type SnsCheckResult, hooksOfApp, snsCheckResultOf } from './stream-answers.js';

/** The Stream app's server-side credentials. */
export interface StreamCredentials {
  apiKey: string;
  apiSecret: string;
}

/** How the setup talks to Stream; {@link SETUP_DEFAULTS} fills what is left out. */
export interface SetupOptions {
  /** Another Stream-compatible endpoint (a region's edge, or a local stand-in). */
  baseUrl: string | undefined;
  /** Attempts per read, and writes per run, when Stream is unreachable, rate limits or fails with a 5xx. */
  attempts: number;
  /**
   * First retry delay; it doubles on each retry, up to 8 s, unless Stream says how long to wait (then up to 60 s,
   * the length of Stream's rate-limit windows, and never past the run's deadline).
   */
  retryBaseDelayMs: number;
  /** Time limit of one Stream call. */
  requestTimeoutMs: number;
  /** Stops the run before its next call or wait (the custom resource's deadline). A call under way runs to its end. */
  signal: AbortSignal | undefined;
}

/** Defaults of {@link SetupOptions}: 5 attempts over about 8 s of waiting. */
export const SETUP_DEFAULTS = {
  baseUrl: undefined,
  attempts: 5,
  retryBaseDelayMs: 500,
  requestTimeoutMs: 10_000,
  signal: undefined,
} as const satisfies SetupOptions;

const LONGEST_RETRY_DELAY_MS = 8_000;
/** Stream's rate limits count per minute: a wait it names is honoured up to one window, never longer. */
const LONGEST_NAMED_WAIT_MS = 60_000;

/** One Stream app, reached with its server-side credentials. */
export class StreamApp {
  readonly #client: StreamChat;
  readonly #options: SetupOptions;
  readonly #scrubber: SecretScrubber;

  public constructor(credentials: StreamCredentials, options: SetupOptions, scrubber: SecretScrubber) {
    this.#client = new StreamChat(credentials.apiKey, credentials.apiSecret, {
      timeout: options.requestTimeoutMs,
      // Left undefined, the SDK takes Stream's own URL.
      baseURL: options.baseUrl,
    });
    this.#options = options;
    this.#scrubber = scrubber;
  }

  /** The app's hooks, as Stream holds them. */
  public async readHooks(): Promise<EventHook[]> {
    const answer = await this.#withRetries('read app settings', () => this.#client.getAppSettings());
    return hooksOfApp(answer, `${this.#client.baseURL}/app`);
  }

  /**
   * Sends hook changes in explicit-deletion mode: hooks not named stay as they are. Made once.
   *
   * @throws StreamTransientError when the outcome is unknown (no answer, a timeout, a 5xx): read the app to know.
   */
  public async writeHooks(changes: EventHook[]): Promise<void> {
    this.#stopAtDeadline();
    await this.#call('write the hook', () => this.#client.updateAppSettings({ event_hooks: changes, explicit_event_hooks_deletion: true }));
  }

  /** Stream's SNS check: Stream publishes a test message to the topic. */
  public async checkSns(topicArn: string, keys: { sns_key?: string | undefined; sns_secret?: string | undefined }): Promise<SnsCheckResult> {
    const answer = await this.#withRetries('check SNS', () => this.#client.testSNSSettings({ sns_topic_arn: topicArn, ...keys }));
    const result = snsCheckResultOf(answer, `${this.#client.baseURL}/check_sns`);
    return result.error === undefined ? result : { ...result, error: this.#scrubber.scrub(result.error) };
  }

  /**
   * Waits before the next attempt; stops waiting at once if the run's deadline passes meanwhile, and the next call
   * (every one checks the deadline first) then stops the run.
   */
  public async backOff(attempt: number, retryAfterMs?: number): Promise<void> {
    const delay =
      retryAfterMs === undefined
        ? Math.min(this.#options.retryBaseDelayMs * 2 ** (attempt - 1), LONGEST_RETRY_DELAY_MS)
        : Math.min(retryAfterMs, LONGEST_NAMED_WAIT_MS);
    // The only rejection is the abort of the wait at the deadline.
    await sleep(delay, undefined, { signal: this.#options.signal }).catch(() => undefined);
  }

  #stopAtDeadline(): void {
    if (this.#options.signal?.aborted) throw new SetupDeadlineError();
  }

  async #withRetries<T>(what: string, request: () => Promise<T>): Promise<T> {
    let last: StreamTransientError | undefined;
    for (let attempt = 1; attempt <= this.#options.attempts; attempt += 1) {
      this.#stopAtDeadline();
      try {
        return await this.#call(what, request);
      } catch (error) {
        if (!(error instanceof StreamTransientError)) throw error;
        last = error;
        if (attempt < this.#options.attempts) await this.backOff(attempt, error.retryAfterMs);
      }
    }
    throw new StreamUnavailableError(`${what}: ${last?.message}`, this.#options.attempts);
  }

  /** One call; its failure as a specific error, scrubbed. */
  async #call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const { status, message, retryAfterMs } = describe(error);
      const shown = this.#scrubber.scrub(message);
      if (status === 401 || status === 403) throw new StreamCredentialsError(status, shown);
      if (status === 404) throw new StreamAppNotFoundError(shown);
      if (status === undefined || status === 429 || status >= 500) {
        throw new StreamTransientError(status === undefined ? shown : `HTTP ${status}: ${shown}`, retryAfterMs);
      }
      throw new SetupError(`Stream refused to ${what} (HTTP ${status}: ${shown})`);
    }
  }
}

/** The parts of an SDK or network error worth showing (never the request, which carries the token). */
function describe(error: unknown): { status: number | undefined; message: string; retryAfterMs: number | undefined } {
  const failure = error as {
    status?: number;
    message?: string;
    code?: string | number;
    response?: { status?: number; data?: { message?: unknown }; headers?: Record<string, string> };
  };
  // The SDK turns every answer with an error status into an error holding that status; a network error has none.
  const { status } = failure;
  const streamMessage = failure.response?.data?.message;
  const message =
    typeof streamMessage === 'string'
      ? streamMessage
      : (typeof failure.code === 'string' ? `${failure.code}: ${failure.message}` : failure.message) ?? String(error);
  return { status, message, retryAfterMs: namedWaitMs(status, failure.response?.headers) };
}

/**
 * How long Stream asks to wait: Retry-After (seconds), or on a 429 the X-RateLimit-Reset its API documents (the Unix
 * time in seconds when the window resets). Stream sends X-RateLimit-* on every answer, so on a 500 the reset says
 * nothing about when to try again. Undefined when it names no wait, or none in the future.
 */
function namedWaitMs(status: number | undefined, headers: Record<string, string> | undefined): number | undefined {
  const retryAfter = Number(headers?.['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  if (status !== 429) return undefined;
  const resetAt = Number(headers?.['x-ratelimit-reset']) * 1000;
  if (Number.isFinite(resetAt) && resetAt > Date.now()) return resetAt - Date.now();
  return undefined;
}
