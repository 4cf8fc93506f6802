/**
 * How the setup waits and retries when Stream fails, through the real stream-chat SDK against the local stand-in:
 * how many attempts, how long between them (doubling, or what a 429's Retry-After names), which answers are retried
 * and which stop the run at once, and the run's deadline (the custom resource must answer CloudFormation in time).
 */
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SetupDeadlineError,
  SetupError,
  StreamCredentialsError,
  StreamUnavailableError,
} from '../../functions/setup/errors.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'retries-api-key-58aa';
const API_SECRET = 'retries-api-secret-0f93d2';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const reads = () => stream.requests.filter((request) => request.method === 'GET');
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
/** The time between one read of the app and the next, in ms. */
const waitsBetweenReads = () => reads().slice(1).map((read, index) => read.at - reads()[index]!.at);
const failing = (count: number, status: number, headers?: Record<string, string>) =>
  Array.from({ length: count }, () => ({ status, message: `injected ${status}`, ...(headers ? { headers } : {}) }));

describe('setup retries: how many attempts', () => {
  it('reads the app exactly as many times as the attempts allow, then gives up naming them', async () => {
    // Prepare
    stream.failNext.push(...failing(10, 500));

    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 1, attempts: 3 }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect((failure as Error).message).toMatch(/after 3 attempts \(read app settings: HTTP 500: injected 500\)/);
    expect(reads()).toHaveLength(3);
    expect(writes()).toEqual([]);
  });

  it('succeeds when Stream answers on the last attempt', async () => {
    // Prepare
    stream.failNext.push(...failing(2, 503));

    // Act
    const report = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 1, attempts: 3 });

    // Assess
    expect(report.changed).toBe(true);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC)).toHaveLength(1);
  });

  it('gives up as soon as the last attempt fails, without waiting once more', async () => {
    // Prepare
    stream.failNext.push(...failing(2, 500));

    // Act
    const failure = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 1_000, attempts: 2 }).catch((e: unknown) => e);
    const gaveUpAt = performance.now();

    // Assess: a wait after the last attempt would be 2 s; giving up takes milliseconds (1 s of room for a busy machine).
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect(gaveUpAt - reads().at(-1)!.at).toBeLessThan(1_000);
  });
});

describe('setup retries: how long between attempts', () => {
  it('doubles the wait from one attempt to the next when Stream names no wait', async () => {
    // Prepare
    stream.failNext.push(...failing(2, 500));

    // Act
    await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 400 });

    // Assess: 400 ms, then 800 ms (with room for a busy machine, but less than the next doubling).
    const [first, second] = waitsBetweenReads();
    expect(first).toBeGreaterThanOrEqual(400);
    expect(first).toBeLessThan(750);
    expect(second).toBeGreaterThanOrEqual(800);
  });

  it('retries a 429 after the Retry-After it names', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'retry-after': '1' }));

    // Act
    const report = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 10 });

    // Assess
    expect(report.check).toEqual({ status: 'ok' });
    expect(waitsBetweenReads()[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('waits for the rate-limit window to reset when a 429 names only X-RateLimit-Reset', async () => {
    // Prepare: Stream documents X-RateLimit-Reset (Unix seconds) on its rate limits, not always Retry-After.
    const resetAt = Math.ceil(Date.now() / 1000) + 2;
    stream.failNext.push(...failing(1, 429, { 'x-ratelimit-reset': String(resetAt) }));

    // Act
    const report = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 10 });

    // Assess: the second read comes after the reset, not after the 10 ms backoff.
    expect(report.check).toEqual({ status: 'ok' });
    expect(reads()[1]!.at - reads()[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt * 1000);
  });

  it('backs off as usual when a 429 names a rate-limit reset already past', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 5) }));

    // Act
    await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 400 });

    // Assess
    expect(waitsBetweenReads()[0]).toBeGreaterThanOrEqual(400);
  });

  it('ignores the X-RateLimit-Reset that Stream sends on every answer when the failure is not a rate limit', async () => {
    // Prepare: a 503 in a window that resets in 30 s.
    const resetAt = Math.ceil(Date.now() / 1000) + 30;
    stream.failNext.push(...failing(1, 503, { 'x-ratelimit-reset': String(resetAt) }));

    // Act
    const report = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 10, signal: AbortSignal.timeout(10_000) });

    // Assess: retried after its own backoff, long before the reset (or the 10 s deadline).
    expect(report.check).toEqual({ status: 'ok' });
    expect(reads()).toHaveLength(2);
  });

  it('keeps doubling its wait when a 429 names a Retry-After of 0 or less, so the rate limit is not hammered', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'retry-after': '0' }), ...failing(1, 429, { 'retry-after': '-1' }));

    // Act
    await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 150 });

    // Assess
    const [first, second] = waitsBetweenReads();
    expect(first).toBeGreaterThanOrEqual(150);
    expect(second).toBeGreaterThanOrEqual(300);
  });
});

describe('setup retries: what is retried', () => {
  it.each([
    [400, SetupError, /Stream refused to read app settings \(HTTP 400: injected 400\)/],
    [409, SetupError, /Stream refused to read app settings \(HTTP 409/],
    [403, StreamCredentialsError, /Stream rejected the API key or secret \(HTTP 403/],
  ])('does not retry a %i: asking again gets the same answer', async (status, kind, message) => {
    // Prepare
    stream.failNext.push(...failing(5, status));

    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 1 }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(kind);
    expect(failure).not.toBeInstanceOf(StreamUnavailableError);
    expect((failure as Error).message).toMatch(message);
    expect(reads()).toHaveLength(1);
  });

  it('retries when the connection is closed without an answer, and names the reset when it persists', async () => {
    // Prepare
    const hangUps = Array.from({ length: 3 }, () => ({ route: 'POST /check_sns', fault: StreamFault.HangUp }));
    stream.faults.push(...hangUps.slice(0, 1));
    const recovered = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 1 });
    stream.faults.push(...hangUps);

    // Act
    const failure = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 1, attempts: 3 }).catch((e: unknown) => e);

    // Assess
    expect(recovered.check).toEqual({ status: 'ok' });
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect((failure as Error).message).toMatch(/check SNS: ECONNRESET/);
  });
});

describe('setup retries: the deadline', () => {
  it('calls Stream not at all once the deadline has passed', async () => {
    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, signal: AbortSignal.abort() }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(stream.requests).toEqual([]);
  });

  it('stops waiting at the deadline: a long Retry-After does not hold the run past it', async () => {
    // Prepare
    stream.failNext.push(...failing(1, 429, { 'retry-after': '5' }));
    const started = performance.now();

    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(stream.requests).toHaveLength(1);
  });

  it('writes nothing when the deadline passes while the app is being read', async () => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Slow, delayMs: 300 });

    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(reads()).toHaveLength(1);
    expect(writes()).toEqual([]);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC)).toEqual([]);
  });
});
