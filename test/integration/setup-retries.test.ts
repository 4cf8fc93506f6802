/**
 * How the setup waits and retries when Stream fails, through the real stream-chat SDK against the local stand-in:
 * how many attempts, how long between them (doubling, or what a 429's Retry-After or rate-limit reset names), which
 * answers are retried and which stop the run at once, and the run's deadline. The waits are the setup's own timers:
 * they run on vitest's fake clock (each skipped as it starts), and the stand-in stamps requests with that clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineAfter } from '../../functions/setup/deadlines.js';
import { SetupDeadlineError, StreamCredentialsError, StreamRefusedError, StreamUnavailableError } from '../../functions/setup/errors.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import type { SetupOptions, SetupWait } from '../../functions/setup/stream-app.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'retries-api-key-58aa';
const API_SECRET = 'retries-api-secret-0f93d2';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };

let stream: FakeStream;
let waits: SetupWait[];
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
  waits = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await stream.close();
});

/** Options of a run whose waits are recorded and then pass on the fake clock as soon as their timer is set. */
const options = (more: Partial<SetupOptions> = {}): Partial<SetupOptions> => ({
  baseUrl: stream.baseUrl,
  onWait: (wait) => {
    waits.push(wait);
    queueMicrotask(() => vi.advanceTimersByTime(wait.ms));
  },
  ...more,
});
const reads = () => stream.requests.filter((request) => request.method === 'GET');
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
/** The time between one read of the app and the next, in ms of the fake clock. */
const waitsBetweenReads = () =>
  reads()
    .slice(1)
    .map((read, index) => read.at - reads()[index]!.at);
const failing = (count: number, status: number, headers?: Record<string, string>) =>
  Array.from({ length: count }, () => ({ status, message: `injected ${status}`, ...(headers ? { headers } : {}) }));
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

describe('setup retries: how many attempts', () => {
  it('reads the app exactly as many times as the attempts allow, then gives up naming them', async () => {
    // Prepare
    stream.failNext.push(...failing(10, 500));

    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, options({ retryBaseDelayMs: 1, attempts: 3 })));

    // Assess
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect(failure?.message).toMatch(/after 3 attempts \(read app settings: HTTP 500: Stream error -1: injected 500\)/);
    expect(reads()).toHaveLength(3);
    expect(writes()).toEqual([]);
  });

  it('succeeds when Stream answers on the last attempt', async () => {
    // Prepare
    stream.failNext.push(...failing(2, 503));

    // Act
    const report = await runSetup('apply', resource, credentials, options({ retryBaseDelayMs: 1, attempts: 3 }));

    // Assess
    expect(report.changed).toBe(true);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC)).toHaveLength(1);
  });

  it('gives up as soon as the last attempt fails, without waiting once more', async () => {
    // Prepare
    stream.failNext.push(...failing(2, 500));

    // Act
    const failure = await failureOf(runSetup('check', resource, credentials, options({ retryBaseDelayMs: 1_000, attempts: 2 })));

    // Assess
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect(waits.map((wait) => wait.ms)).toEqual([1_000]);
    expect(Date.now() - reads().at(-1)!.at).toBe(0);
  });
});

describe('setup retries: how long between attempts', () => {
  it('doubles the wait from one attempt to the next when Stream names no wait, up to 8 s', async () => {
    // Prepare
    stream.failNext.push(...failing(6, 500));

    // Act
    await failureOf(runSetup('check', resource, credentials, options({ retryBaseDelayMs: 3_000, attempts: 5 })));

    // Assess
    expect(waits).toEqual([3_000, 6_000, 8_000, 8_000].map((ms) => ({ name: 'retry after Stream failed', ms, call: 'read app settings' })));
    expect(waitsBetweenReads()).toEqual([3_000, 6_000, 8_000, 8_000]);
  });

  it('retries a 429 after the Retry-After it names, and says it waits for the rate limit', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'retry-after': '7' }));

    // Act
    const report = await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 10 }));

    // Assess
    expect(report.check).toEqual({ status: 'ok' });
    expect(waits).toEqual([{ name: 'Stream rate limit', ms: 7_000, call: 'read app settings' }]);
    expect(waitsBetweenReads()).toEqual([7_000]);
  });

  it('honours a named wait up to one rate-limit window (60 s), never longer', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'retry-after': '3600' }));

    // Act
    await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 10 }));

    // Assess
    expect(waits.map((wait) => wait.ms)).toEqual([60_000]);
  });

  it('waits for the rate-limit window to reset when a 429 names only X-RateLimit-Reset', async () => {
    // Prepare: Stream documents X-RateLimit-Reset (Unix seconds) on its rate limits, not always Retry-After.
    vi.setSystemTime(Math.ceil(Date.now() / 1000) * 1000);
    const resetAt = Date.now() / 1000 + 20;
    stream.failNext.push(...failing(1, 429, { 'x-ratelimit-reset': String(resetAt) }));

    // Act
    const report = await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 10 }));

    // Assess: the second read comes at the reset, not after the 10 ms backoff.
    expect(report.check).toEqual({ status: 'ok' });
    expect(waits).toEqual([{ name: 'Stream rate limit', ms: 20_000, call: 'read app settings' }]);
    expect(reads()[1]!.at).toBe(resetAt * 1000);
  });

  it('backs off as usual when a 429 names a rate-limit reset already past', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 5) }));

    // Act
    await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 400 }));

    // Assess
    expect(waits).toEqual([{ name: 'retry after Stream failed', ms: 400, call: 'read app settings' }]);
  });

  it('ignores the X-RateLimit-Reset that Stream sends on every answer when the failure is not a rate limit', async () => {
    // Prepare: a 503 in a window that resets in 30 s.
    stream.failNext.push(...failing(1, 503, { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 30) }));

    // Act
    const report = await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 10 }));

    // Assess
    expect(report.check).toEqual({ status: 'ok' });
    expect(waits.map((wait) => wait.ms)).toEqual([10]);
  });

  it('keeps doubling its wait when a 429 names a Retry-After of 0 or less, so the rate limit is not hammered', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'retry-after': '0' }), ...failing(1, 429, { 'retry-after': '-1' }));

    // Act
    await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 150 }));

    // Assess
    expect(waits.map((wait) => wait.ms)).toEqual([150, 300]);
  });

  it('waits after a failed write as after a failed read, then reads before writing again', async () => {
    // Prepare: the write is refused by a 503, not applied.
    stream.failNext.push(
      { status: 200, body: JSON.stringify({ app: { event_hooks: HOOKS_OF_OTHERS } }) },
      { status: 200, body: JSON.stringify({ events: [] }) },
      { status: 503 },
    );

    // Act
    await runSetup('apply', resource, credentials, options({ retryBaseDelayMs: 250 }));

    // Assess
    expect(waits).toEqual([{ name: 'retry after Stream failed', ms: 250, call: 'write the hooks' }]);
    expect(stream.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /app',
      'GET /hook/events',
      'PATCH /app',
      'GET /app',
      'PATCH /app',
      'GET /app',
      'POST /check_sns',
    ]);
  });
});

describe('setup retries: what is retried', () => {
  it.each([
    [400, StreamRefusedError, /Stream refused to read app settings \(HTTP 400: Stream error -1: injected 400\)/],
    [409, StreamRefusedError, /Stream refused to read app settings \(HTTP 409/],
    [403, StreamCredentialsError, /Stream rejected the API key or secret \(HTTP 403/],
  ])('does not retry a %i: asking again gets the same answer', async (status, kind, message) => {
    // Prepare
    stream.failNext.push(...failing(5, status));

    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, options({ retryBaseDelayMs: 1 })));

    // Assess
    expect(failure).toBeInstanceOf(kind);
    expect(failure?.message).toMatch(message);
    expect(reads()).toHaveLength(1);
  });

  it('retries when the connection is closed without an answer, and names the reset when it persists', async () => {
    // Prepare
    const hangUps = Array.from({ length: 3 }, () => ({ route: 'POST /check_sns', fault: StreamFault.HangUp }));
    stream.faults.push(...hangUps.slice(0, 1));
    const recovered = await runSetup('check', resource, credentials, options({ retryBaseDelayMs: 1 }));
    stream.faults.push(...hangUps);

    // Act
    const failure = await failureOf(runSetup('check', resource, credentials, options({ retryBaseDelayMs: 1, attempts: 3 })));

    // Assess
    expect(recovered.check).toEqual({ status: 'ok' });
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect(failure?.message).toMatch(/check SNS: ECONNRESET/);
  });
});

describe('setup retries: the deadline', () => {
  it('calls Stream not at all once the deadline has passed', async () => {
    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, options({ signal: AbortSignal.abort() })));

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(stream.requests).toEqual([]);
  });

  it('does not start a wait that would end past the deadline, and names the wait', async () => {
    // Prepare: Stream asks for 5 s; the run has 2 s.
    stream.failNext.push(...failing(1, 429, { 'retry-after': '5' }));
    const deadline = deadlineAfter(2_000, 'the test deadline');

    // Act
    const failure = await failureOf(
      runSetup('apply', resource, credentials, options({ signal: deadline.signal, deadlineAt: deadline.at })),
    );
    deadline.clear();

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toContain('(read app settings: the 5 s wait for the Stream rate limit would end after it)');
    expect(waits).toEqual([]);
    expect(stream.requests).toHaveLength(1);
  });

  it('writes nothing when the deadline passes while the app is being read, and names the call', async () => {
    // Prepare: the read is held 300 ms (real time); the run's deadline falls during it.
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Slow, delayMs: 300 });
    const deadline = deadlineAfter(100, 'the test deadline');

    // Act
    const running = failureOf(runSetup('apply', resource, credentials, options({ signal: deadline.signal, deadlineAt: deadline.at })));
    await vi.waitFor(() => expect(reads()).toHaveLength(1), { interval: 1 });
    vi.advanceTimersByTime(100);
    const failure = await running;

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toContain('(during read app settings)');
    expect(writes()).toEqual([]);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC)).toEqual([]);
  });

  it('cuts a call at its own deadline, named, when Stream holds the answer', async () => {
    // Prepare: Stream holds the check's answer 300 ms (real time); one call may take 5 s of the fake clock.
    stream.faults.push({ route: 'POST /check_sns', fault: StreamFault.Slow, delayMs: 300 });

    // Act
    const running = failureOf(runSetup('check', resource, credentials, options({ requestTimeoutMs: 5_000, attempts: 1 })));
    await vi.waitFor(() => expect(stream.requests.filter((request) => request.method === 'POST')).toHaveLength(1), { interval: 1 });
    vi.advanceTimersByTime(5_000);
    const failure = await running;

    // Assess
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect(failure?.message).toContain('(check SNS: check SNS: no complete answer within 5 s)');
  });
});
