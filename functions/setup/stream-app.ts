/**
 * The four Stream calls the setup makes (read the app, read the list of hook events, write hooks, run the SNS check),
 * through the stream-chat SDK,
 * with what the SDK does not do on its own:
 *
 * - Where: the base URL is set after the client is built, so the SDK's own test switches (STREAM_LOCAL_TEST_RUN,
 *   STREAM_LOCAL_TEST_HOST, which it reads from the environment) can never override it; `http://` only to loopback.
 * - No redirects (`maxRedirects: 0`): a 3xx is an error naming the status and the target host. Followed, it would
 *   send the request again, SNS secret and token included, to wherever it points.
 * - A deadline for the whole call (an AbortSignal), not only the socket's idle timeout, which restarts with every
 *   byte; and a cap on what an answer may weigh ({@link SETUP_DEFAULTS}.maxAnswerBytes), so that an endless body
 *   cannot fill the function's memory.
 * - Every failure is turned, in the SDK's own axios instance and before the SDK sees it, into what the setup may
 *   show: the status, Stream's error code and its message reduced (stream-answers.ts), the wait Stream named. The
 *   request (its Authorization header, the SNS secret in its body) never travels with an error.
 *
 * Reads and the check are retried (they change nothing), with shared/retry.ts. A write is made once: whether a write
 * whose answer was lost took effect is only known by reading the app again, which the caller does (stream-hook.ts).
 */
import type { AxiosError, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { type EventHook, StreamChat } from 'stream-chat';
import { retry, sleep } from '../../shared/retry.js';
import { RetriesExhaustedError, RetryDeadlineError } from '../../shared/retry-errors.js';
import { DEADLINES } from './deadlines.js';
import {
  SetupConfigurationError,
  SetupDeadlineError,
  SetupError,
  StreamAnswerError,
  StreamAppNotFoundError,
  StreamCredentialsError,
  StreamRedirectError,
  StreamRefusedError,
  StreamTransientError,
  StreamUnavailableError,
} from './errors.js';
import { SHOWN_FIELDS_OF_OURS } from './hook-view.js';
import type { SecretScrubber } from './scrubber.js';
import {
  hookEventTypesOf,
  hooksOfApp,
  reduced,
  type SnsCheckResult,
  snsCheckResultOf,
  streamErrorBody,
  useHookV2Of,
  valuesOf,
} from './stream-answers.js';

/** The Stream app's server-side credentials. */
export interface StreamCredentials {
  apiKey: string;
  apiSecret: string;
}

/** A wait between attempts, as the setup reports it (the command prints it, the function logs it). */
export interface SetupWait {
  /** What is waited for: "Stream rate limit", "retry after Stream failed", "a write that may land late". */
  name: string;
  ms: number;
  /** The call waited for. */
  call: string;
}

/** How the setup talks to Stream; {@link SETUP_DEFAULTS} fills what is left out. */
export interface SetupOptions {
  /** Another Stream-compatible endpoint (a region's edge, a local stand-in); undefined: Stream's own. */
  baseUrl: string | undefined;
  /** Attempts per read, and writes per run, when Stream is unreachable, rate limits or fails with a 5xx. */
  attempts: number;
  /**
   * First retry delay; it doubles on each retry, up to 8 s, unless Stream says how long to wait (then up to 60 s,
   * the length of Stream's rate-limit windows). No wait starts that would end past the run's deadline.
   */
  retryBaseDelayMs: number;
  /** Deadline of one Stream call, whole: connecting, sending, and every byte of the answer. */
  requestTimeoutMs: number;
  /** The run's deadline: no call or wait starts after it, and a call under way is cut at it. */
  signal: AbortSignal | undefined;
  /** When the run's deadline falls (Date.now() clock), so that a wait that would pass it is not started. */
  deadlineAt: number | undefined;
  /** The largest answer read, in bytes; a larger one stops the call. */
  maxAnswerBytes: number;
  /** Told of every wait before it starts. */
  onWait: (wait: SetupWait) => void;
}

/** Defaults of {@link SetupOptions}: 5 attempts over about 8 s of waiting, 10 s per call, 2 MiB per answer. */
export const SETUP_DEFAULTS = {
  baseUrl: undefined,
  attempts: 5,
  retryBaseDelayMs: 500,
  requestTimeoutMs: DEADLINES.callMs,
  signal: undefined,
  deadlineAt: undefined,
  // A production app's GET /app is tens of KB; 2 MiB parses into well under the function's 256 MB.
  maxAnswerBytes: 2 * 1024 * 1024,
  onWait: () => undefined,
} as const satisfies SetupOptions;

/** Stream's own API, where the SDK goes unless told otherwise. */
export const STREAM_API_URL = 'https://chat.stream-io-api.com';
/** The environment variables with which the stream-chat SDK changes its base URL by itself. */
export const SDK_URL_VARIABLES = ['STREAM_LOCAL_TEST_RUN', 'STREAM_LOCAL_TEST_HOST'] as const;

const LONGEST_RETRY_DELAY_MS = 8_000;
/** Stream's rate limits count per minute: a wait it names is honoured up to one window, never longer. */
const LONGEST_NAMED_WAIT_MS = 60_000;

/**
 * The base URL to use: `https://`, or `http://` to a loopback host only (a local stand-in); nothing else.
 *
 * @throws SetupConfigurationError naming what is wrong with it.
 */
export function checkedBaseUrl(baseUrl: string | undefined): string {
  if (baseUrl === undefined) return STREAM_API_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new SetupConfigurationError(`the base URL "${reduced(baseUrl, new Set(), 200)}" is not a URL`);
  }
  if (url.username !== '' || url.password !== '') throw new SetupConfigurationError('the base URL must not hold a user name or password');
  if (url.protocol === 'https:') return baseUrl.replace(/\/+$/, '');
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return baseUrl.replace(/\/+$/, '');
  throw new SetupConfigurationError(
    `the base URL ${url.protocol}//${url.host} is refused: the setup sends the Stream API token and the SNS secret, so only https:// ` +
      '(or http:// to this machine: localhost, 127.0.0.0/8, [::1]) is allowed',
  );
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** What a failed call left, in the SDK's axios instance, for {@link StreamApp} to turn into a {@link SetupError}. */
class CallFailure extends Error {
  public override readonly name = 'CallFailure';

  public constructor(
    public readonly kind: 'status' | 'redirect' | 'too-large' | 'aborted' | 'no-answer',
    public readonly detail: string,
    public readonly status?: number,
    public readonly retryAfterMs?: number,
  ) {
    super(detail);
  }
}

/** One Stream app, reached with its server-side credentials. */
export class StreamApp {
  readonly #client: StreamChat;
  readonly #options: SetupOptions;
  readonly #scrubber: SecretScrubber;
  /** Values of other teams' hooks: never quoted from Stream's messages. */
  readonly #hidden = new Set<string>();
  /** The signal of the call under way: the run's deadline and the call's own. */
  #callSignal: AbortSignal | undefined;

  public constructor(credentials: StreamCredentials, options: SetupOptions, scrubber: SecretScrubber) {
    const baseUrl = checkedBaseUrl(options.baseUrl);
    this.#client = new StreamChat(credentials.apiKey, credentials.apiSecret, {
      timeout: options.requestTimeoutMs,
      baseURL: baseUrl,
      maxRedirects: 0,
      maxContentLength: options.maxAnswerBytes,
      maxBodyLength: options.maxAnswerBytes,
    } as ConstructorParameters<typeof StreamChat>[2]);
    // After construction: the SDK has just replaced the URL if STREAM_LOCAL_TEST_RUN or STREAM_LOCAL_TEST_HOST is set.
    this.#client.setBaseURL(baseUrl);
    this.#options = options;
    this.#scrubber = scrubber;
    // The token the SDK signs with the secret travels in every request: a Stream message could echo it.
    scrubber.add([{ value: this.#client._getToken() ?? undefined, visible: 0 }]);
    this.#client.axiosInstance.interceptors.request.use((config: InternalAxiosRequestConfig) => {
      config.signal = this.#callSignal;
      return config;
    });
    this.#client.axiosInstance.interceptors.response.use(undefined, (error: AxiosError) => Promise.reject(this.#failureOf(error)));
  }

  /** Where the calls go. */
  public get baseUrl(): string {
    return this.#client.baseURL ?? '';
  }

  /**
   * The app's hooks, as Stream holds them. The values of every hook that is not ours are noted, so that no Stream
   * message quotes them later.
   */
  public async readHooks(isOurs: (hook: EventHook) => boolean): Promise<EventHook[]> {
    return (await this.readApp(isOurs)).hooks;
  }

  /** {@link readHooks}, with the app's `use_hook_v2` as Stream answered it (undefined: not in the answer). */
  public async readApp(isOurs: (hook: EventHook) => boolean): Promise<{ hooks: EventHook[]; useHookV2: unknown }> {
    const answer = await this.#withRetries('read app settings', () => this.#client.getAppSettings());
    const hooks = hooksOfApp(answer, `${this.baseUrl}/app`);
    for (const hook of hooks) {
      if (!isOurs(hook)) for (const value of valuesOf(hook)) this.#hidden.add(value);
      else {
        // Of our hooks, what the setup shows (hook-view.ts) may be quoted; every other value is a credential by
        // default (the SNS key and secret, under any name): a Delete never reads the keys it wrote, so they are
        // known here only, and Stream's refusal of a write may quote them.
        const unshown = Object.fromEntries(Object.entries(hook).filter(([name]) => !SHOWN_FIELDS_OF_OURS.has(name))) as EventHook;
        const values = valuesOf(unshown);
        for (const value of values) this.#hidden.add(value);
        this.#scrubber.add(values.map((value) => ({ value, visible: 0 })));
      }
    }
    return { hooks, useHookV2: useHookV2Of(answer) };
  }

  /**
   * The event types Stream lists for hooks (GET /hook/events), those of the chat and moderation products (or of no
   * product named): the ones a chat app's hook can carry. Video or feeds types are left out.
   *
   * @throws StreamAnswerError unless the answer holds a list of events with string names.
   */
  public async readHookEvents(): Promise<string[]> {
    const answer = await this.#withRetries('read the hook event types', () => this.#client.getHookEvents());
    return hookEventTypesOf(answer, `${this.baseUrl}/hook/events`);
  }

  /**
   * Sends hook changes in explicit-deletion mode: hooks not named stay as they are. Made once.
   *
   * @throws StreamTransientError when the outcome is unknown (no answer, a timeout, a 5xx): read the app to know;
   *   `unanswered` says whether the write may still land later.
   */
  public async writeHooks(changes: EventHook[]): Promise<void> {
    this.#stopAtDeadline('write the hooks');
    await this.#call('write the hooks', () =>
      this.#client.updateAppSettings({ event_hooks: changes, explicit_event_hooks_deletion: true }),
    );
  }

  /** Stream's SNS check: Stream publishes a test message to the topic. */
  public async checkSns(
    topicArn: string,
    keys: { sns_key?: string | undefined; sns_secret?: string | undefined },
  ): Promise<SnsCheckResult> {
    const answer = await this.#withRetries('check SNS', () => this.#client.testSNSSettings({ sns_topic_arn: topicArn, ...keys }));
    const result = snsCheckResultOf(answer, `${this.baseUrl}/check_sns`, this.#hidden);
    return this.#scrubber.scrubValue(result);
  }

  /**
   * Waits `ms` (for a write that may land late) unless the run's deadline comes first.
   *
   * @returns whether the wait ended before the deadline.
   */
  public async wait(name: string, ms: number, call: string): Promise<boolean> {
    const { deadlineAt, signal, onWait } = this.#options;
    if (deadlineAt !== undefined && Date.now() + ms > deadlineAt) return false;
    onWait({ name, ms, call });
    return sleep(ms, signal);
  }

  #stopAtDeadline(call: string): void {
    if (this.#options.signal?.aborted) throw new SetupDeadlineError(`before ${call}`);
  }

  async #withRetries<T>(call: string, request: () => Promise<T>): Promise<T> {
    const { attempts, retryBaseDelayMs, signal, deadlineAt, onWait } = this.#options;
    try {
      return await retry(() => this.#call(call, request), {
        operation: `Stream: ${call}`,
        wait: 'retry after Stream failed',
        attempts,
        firstDelayMs: retryBaseDelayMs,
        maxDelayMs: LONGEST_RETRY_DELAY_MS,
        maxNamedDelayMs: LONGEST_NAMED_WAIT_MS,
        signal,
        remainingMs: deadlineAt === undefined ? undefined : () => deadlineAt - Date.now(),
        retryable: (error) => error instanceof StreamTransientError,
        namedWait: (error) => {
          const ms = (error as StreamTransientError).retryAfterMs;
          return ms === undefined ? undefined : { ms, name: 'Stream rate limit' };
        },
        onWait: ({ ms, name }) => onWait({ name, ms, call }),
      });
    } catch (error) {
      if (error instanceof RetriesExhaustedError)
        throw new StreamUnavailableError(`${call}: ${(error.cause as Error).message}`, error.attempts);
      if (error instanceof RetryDeadlineError) {
        throw new SetupDeadlineError(
          error.wait === undefined
            ? `during ${call}`
            : `${call}: the ${Math.ceil((error.waitMs ?? 0) / 1000)} s wait for the ${error.wait} would end after it`,
        );
      }
      throw error;
    }
  }

  /** One call within its own deadline; its failure as a specific, scrubbed error. */
  async #call<T>(call: string, request: () => Promise<T>): Promise<T> {
    const { requestTimeoutMs, signal } = this.#options;
    const callDeadline = new AbortController();
    const timer = setTimeout(() => callDeadline.abort(), requestTimeoutMs);
    this.#callSignal = signal === undefined ? callDeadline.signal : AbortSignal.any([signal, callDeadline.signal]);
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof CallFailure))
        throw error instanceof SetupError ? error : new SetupError(`${call}: ${this.#scrubber.scrub(String((error as Error).message))}`);
      const detail = this.#scrubber.scrub(error.detail);
      switch (error.kind) {
        case 'aborted':
          if (signal?.aborted) throw new SetupDeadlineError(`during ${call}`);
          throw new StreamTransientError(`${call}: no complete answer within ${Math.round(requestTimeoutMs / 100) / 10} s`, {
            unanswered: true,
          });
        case 'no-answer':
          throw new StreamTransientError(detail, { unanswered: true });
        case 'redirect':
          throw new StreamRedirectError(call, error.status!, detail);
        case 'too-large':
          throw new StreamAnswerError(
            `${this.baseUrl} (${call})`,
            'an answer the setup reads',
            `larger than the ${this.#options.maxAnswerBytes} bytes it reads`,
          );
        case 'status': {
          const status = error.status!;
          if (status === 401 || status === 403) throw new StreamCredentialsError(status, detail);
          if (status === 404) throw new StreamAppNotFoundError(detail);
          if (status === 429 || status >= 500)
            throw new StreamTransientError(`HTTP ${status}: ${detail}`, { retryAfterMs: error.retryAfterMs, unanswered: false });
          throw new StreamRefusedError(call, status, detail);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** What of an axios error may travel: never its config, request or headers, which hold the token. */
  #failureOf(error: AxiosError): CallFailure {
    const { response } = error;
    if (response !== undefined) {
      const { status } = response;
      if (status >= 300 && status < 400) return new CallFailure('redirect', targetHost(response), status);
      const body = streamErrorBody(response.data, this.#hidden);
      const message = body.code === undefined ? body.message : `Stream error ${body.code}: ${body.message}`;
      return new CallFailure('status', message, status, namedWaitMs(status, response.headers as Record<string, string>));
    }
    if (error.code === 'ERR_CANCELED') return new CallFailure('aborted', 'aborted');
    if (/maxContentLength/.test(String(error.message))) return new CallFailure('too-large', 'too large');
    const code = typeof error.code === 'string' ? error.code : 'no answer';
    return new CallFailure('no-answer', reduced(`${code}: ${error.message}`, this.#hidden, 200));
  }
}

/** The host a redirect points to, without any credential or path: enough to tell where, nothing to reuse. */
function targetHost(response: AxiosResponse): string {
  const location = String(response.headers.location ?? '');
  // Against the URL the request went to: the SDK asks for absolute URLs (its base URL and the path), which axios
  // takes as they are (its own baseURL, set too, is not to be put in front of them).
  for (const base of [undefined, response.config.url]) {
    try {
      const { host } = new URL(location, base);
      return reduced(host, new Set(), 100) || 'an unnamed host';
    } catch {
      // A relative Location: resolved against the request's URL next.
    }
  }
  return 'a target that is not a URL';
}

/**
 * How long Stream asks to wait: Retry-After (seconds), or on a 429 the X-RateLimit-Reset its API documents (the Unix
 * time in seconds when the window resets). Stream sends X-RateLimit-* on every answer, so on a 500 the reset says
 * nothing about when to try again. Undefined when it names no wait, or none in the future.
 */
export function namedWaitMs(status: number, headers: Record<string, string> | undefined): number | undefined {
  const retryAfter = Number(headers?.['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  if (status !== 429) return undefined;
  const resetAt = Number(headers?.['x-ratelimit-reset']) * 1000;
  if (Number.isFinite(resetAt) && resetAt > Date.now()) return resetAt - Date.now();
  return undefined;
}
