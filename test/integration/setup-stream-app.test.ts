/**
 * The setup's Stream client (functions/setup/stream-app.ts) on its own, through the real stream-chat SDK against the
 * local stand-in: how each way a call can fail (a redirect, an error status, an answer too large, the call's or the
 * run's deadline, a dropped connection) becomes an error of its own whose message says what happened; what Stream's
 * messages may quote (our own hook, yes; other teams' values and our token, no); the wait for a write that may land
 * late; and that a call leaves no timer behind.
 */
import type { EventHook } from 'stream-chat';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SetupDeadlineError,
  StreamAnswerError,
  StreamRedirectError,
  StreamRefusedError,
  StreamTransientError,
} from '../../functions/setup/errors.js';
import { SecretScrubber } from '../../functions/setup/scrubber.js';
import { SETUP_DEFAULTS, type SetupOptions, type SetupWait, StreamApp } from '../../functions/setup/stream-app.js';
import { type FakeStream, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'stream-app-api-key-7c21';
const API_SECRET = 'stream-app-api-secret-e5a904';
// Not in eu-west-1: that region is a value of another team's hook, masked wherever Stream quotes it.
const TOPIC = 'arn:aws:sns:ap-southeast-2:111122223333:stream-chat-events-dev-events';
const OTHER_TOPIC = 'arn:aws:sns:us-east-1:444455556666:someone-else';
const ourHook: EventHook = { hook_type: 'sns', enabled: true, sns_topic_arn: TOPIC, sns_auth_type: 'resource', event_types: [] };

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => {
  vi.useRealTimers();
  await stream.close();
});

/** A client of the stand-in that makes each call once. */
const appOf = (more: Partial<SetupOptions> = {}) =>
  new StreamApp(
    { apiKey: API_KEY, apiSecret: API_SECRET },
    { ...SETUP_DEFAULTS, baseUrl: stream.baseUrl, attempts: 1, ...more },
    new SecretScrubber(),
  );
const notOurs = () => false;
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
const redirectMessage = (status: number, target: string) =>
  `Stream's API answered read app settings with HTTP ${status}, a redirect to ${target}. The setup follows no redirect ` +
  '(it would send the credentials there). Point --base-url (or STREAM_BASE_URL) at the API itself.';

describe('setup Stream client: redirects', () => {
  it.each([
    [
      'a 300 to another host, by its host only',
      300,
      'https://elsewhere.example.net/app?token=redirect-token-9f1e',
      'elsewhere.example.net',
    ],
    ['a Location of a URL without a host', 302, 'file:///etc/stream', 'an unnamed host'],
    ['a Location that is no URL at all', 307, 'http://[not-a-host', 'a target that is not a URL'],
  ])('names %s', async (_, status, location, target) => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Redirect, status, location });

    // Act
    const failure = await failureOf(appOf().readHooks(notOurs));

    // Assess
    expect(failure).toBeInstanceOf(StreamRedirectError);
    expect(failure?.message).toBe(redirectMessage(status, target));
  });

  it('names the host a relative Location points to: the one the request went to', async () => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Redirect, status: 301, location: '/v2/app' });

    // Act
    const failure = await failureOf(appOf().readHooks(notOurs));

    // Assess
    expect(failure).toBeInstanceOf(StreamRedirectError);
    expect(failure?.message).toBe(redirectMessage(301, new URL(stream.baseUrl).host));
  });
});

describe('setup Stream client: error answers and answers that are not what was asked', () => {
  it("gives what an error body without Stream's code is, not a code it does not have", async () => {
    // Prepare: a proxy's page, not Stream's JSON.
    const page = '<!doctype html><html><body>Bad request</body></html>';
    stream.failNext.push({ status: 400, body: page });

    // Act
    const failure = await failureOf(appOf().readHooks(notOurs));

    // Assess
    expect(failure).toBeInstanceOf(StreamRefusedError);
    expect(failure?.message).toBe(`Stream refused to read app settings (HTTP 400: an HTML or XML page of ${page.length} characters)`);
  });

  it('names the reading of the hook event types when Stream refuses it', async () => {
    // Prepare
    stream.failNext.push({ status: 400, message: 'unknown product' });

    // Act
    const failure = await failureOf(appOf().readHookEvents());

    // Assess
    expect(failure).toBeInstanceOf(StreamRefusedError);
    expect(failure?.message).toBe('Stream refused to read the hook event types (HTTP 400: Stream error -1: unknown product)');
  });

  it('names the URL of a list of hook events that is not one', async () => {
    // Prepare
    stream.failNext.push({ status: 200, body: '{}' });

    // Act
    const failure = await failureOf(appOf().readHookEvents());

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect(failure?.message).toContain(
      `Stream's answer from ${stream.baseUrl}/hook/events is not a list of hook events: it is an object without a list \`events\`.`,
    );
  });

  it('stops reading an answer larger than it reads, naming the URL, the call and the limit', async () => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Endless, limitBytes: 1024 * 1024 });

    // Act
    const failure = await failureOf(appOf({ maxAnswerBytes: 4096 }).readHooks(notOurs));

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect(failure?.message).toBe(
      `Stream's answer from ${stream.baseUrl} (read app settings) is not an answer the setup reads: it is larger than the 4096 bytes it ` +
        "reads. The setup stopped without using it. If the URL is not Stream's API, fix --base-url (or STREAM_BASE_URL); otherwise try again.",
    );
  });
});

describe('setup Stream client: a write without an answer', () => {
  it('says a write cut at its own deadline may still land', async () => {
    // Prepare: Stream holds the write 300 ms (real time); one call may take 5 s of the fake clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Slow, delayMs: 300 });

    // Act
    const running = failureOf(appOf({ requestTimeoutMs: 5_000 }).writeHooks([ourHook]));
    await vi.waitFor(() => expect(writes()).toHaveLength(1), { interval: 1 });
    vi.advanceTimersByTime(5_000);
    const failure = await running;

    // Assess
    expect(failure).toBeInstanceOf(StreamTransientError);
    expect(failure?.message).toBe('write the hooks: no complete answer within 5 s');
    expect((failure as StreamTransientError).unanswered).toBe(true);
  });

  it('says a write whose connection was closed without an answer may still land', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.HangUp });

    // Act
    const failure = await failureOf(appOf().writeHooks([ourHook]));

    // Assess
    expect(failure).toBeInstanceOf(StreamTransientError);
    expect(failure?.message).toBe('ECONNRESET: socket hang up');
    expect((failure as StreamTransientError).unanswered).toBe(true);
  });
});

describe("setup Stream client: the run's deadline", () => {
  it('sends no write once the deadline has passed, and says it stopped before the write', async () => {
    // Act
    const failure = await failureOf(appOf({ signal: AbortSignal.abort() }).writeHooks([ourHook]));

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toBe(
      'the setup stopped at its deadline before finishing (before write the hooks); deploy again, or run npm run setup to finish it',
    );
    expect(stream.requests).toEqual([]);
  });

  it("names the run's deadline, not the call's, when it cuts a write under way", async () => {
    // Prepare
    const run = new AbortController();
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Slow, delayMs: 2_000 });

    // Act
    const running = failureOf(appOf({ signal: run.signal }).writeHooks([ourHook]));
    await vi.waitFor(() => expect(writes()).toHaveLength(1), { interval: 1 });
    run.abort(new Error('the invocation is about to time out'));
    const failure = await running;

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toBe(
      'the setup stopped at its deadline before finishing (during write the hooks); deploy again, or run npm run setup to finish it',
    );
  });
});

describe("setup Stream client: what Stream's messages may quote", () => {
  it("quotes our own hook's topic, and masks the values of other teams' hooks", async () => {
    // Prepare
    stream.hooks.push({ id: 'ours', ...ourHook } as never);
    stream.checkAnswer = { status: 'error', error: `publish to ${TOPIC} failed; also tried ${OTHER_TOPIC}` };
    const app = appOf();

    // Act
    await app.readHooks((hook) => hook.sns_topic_arn === TOPIC);
    const result = await app.checkSns(TOPIC, {});

    // Assess
    expect(result).toEqual({ status: 'error', error: `publish to ${TOPIC} failed; also tried ****` });
  });

  it('masks the token the SDK signs with our secret when Stream echoes it base64-encoded', async () => {
    // Prepare: the raw token is masked by its JWT shape anyway; encoded, only the client's knowing it finds it.
    let encoded = '';
    stream.faults.push({
      route: 'PATCH /app',
      fault: StreamFault.Echo,
      transform: (echo) => {
        encoded = Buffer.from(String(JSON.parse(echo).headers.authorization)).toString('base64');
        return encoded;
      },
    });

    // Act
    const failure = await failureOf(appOf().writeHooks([ourHook]));

    // Assess
    expect(failure).toBeInstanceOf(StreamRefusedError);
    expect(encoded.length).toBeGreaterThan(100);
    expect(failure?.message).toMatch(/^Stream refused to write the hooks \(HTTP 400: Stream error 4: request rejected: \*\*\*\*/);
    expect(failure?.message).not.toContain(encoded.slice(8, 48));
  });
});

describe('setup Stream client: timers', () => {
  it('leaves no timer behind once a call is answered, so that nothing keeps the process alive', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

    // Act
    const hooks = await appOf().readHooks(notOurs);

    // Assess
    expect(hooks).toHaveLength(HOOKS_OF_OTHERS.length);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('setup Stream client: the wait for a write that may land late', () => {
  let waits: SetupWait[];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    waits = [];
  });
  /** A client whose waits are recorded and then pass on the fake clock as soon as their timer is set. */
  const waitingApp = (deadlineAt: number) =>
    appOf({
      deadlineAt,
      onWait: (wait) => {
        waits.push(wait);
        queueMicrotask(() => vi.advanceTimersByTime(wait.ms));
      },
    });

  it("does not start a wait that would end after the run's deadline", async () => {
    // Prepare
    const app = waitingApp(Date.now() + 1_000);

    // Act
    const ended = await app.wait('a write that may land late', 1_001, 'write the hooks');

    // Assess
    expect(ended).toBe(false);
    expect(waits).toEqual([]);
  });

  it('makes a wait that ends right at the deadline, told of it before it starts', async () => {
    // Prepare
    const app = waitingApp(Date.now() + 1_000);
    const started = Date.now();

    // Act
    const ended = await app.wait('a write that may land late', 1_000, 'write the hooks');

    // Assess
    expect(ended).toBe(true);
    expect(waits).toEqual([{ name: 'a write that may land late', ms: 1_000, call: 'write the hooks' }]);
    expect(Date.now() - started).toBe(1_000);
  });
});
