/**
 * The setup against a Stream stand-in that fails the way real services, proxies and networks do: writes applied then
 * answered 500, answered too late or landing late, 200 answers that are not an app, redirects, a body that trickles
 * or never ends, a Stream that ignores client ids or drops the other hooks. Whatever happens, the app ends with
 * exactly our hook (none after remove), other hooks untouched, or the run fails saying what it wrote.
 */
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OtherHooksChangedError, StreamAnswerError, StreamUnavailableError } from '../../functions/setup/errors.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, type FakeStreamHook, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';
import { runSetupCommand } from '../support/setup-cli.js';

const API_KEY = 'faults-api-key-31d0';
const API_SECRET = 'faults-api-secret-c07e66';
const SNS_KEY = 'AKIAPUBLISHER9X2';
const SNS_SECRET = 'sns-publisher-secret-44be90';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const CLIENT_TIMEOUT_MS = 400;
const HTML_PAGE = '<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>';

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const options = () => ({ baseUrl: stream.baseUrl, retryBaseDelayMs: 10, requestTimeoutMs: CLIENT_TIMEOUT_MS });
const ours = () => stream.hooks.filter((hook) => hook.hook_type === 'sns' && hook.sns_topic_arn === TOPIC);
const others = () => stream.hooks.filter((hook) => !(hook.hook_type === 'sns' && hook.sns_topic_arn === TOPIC));
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const cli = (args: string[], env: Record<string, string> = {}) =>
  runSetupCommand([...args, '--routing', 'single-topic', '--base-url', stream.baseUrl], {
    STREAM_API_KEY: API_KEY,
    STREAM_API_SECRET: API_SECRET,
    ...env,
  });
const ourHookAsOlderVersionsLeftIt = (id: string): FakeStreamHook => ({
  id,
  hook_type: 'sns',
  enabled: true,
  event_types: [],
  sns_topic_arn: TOPIC,
  sns_region: 'eu-west-1',
  sns_auth_type: 'resource',
});
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

describe('setup faults: a retried write never adds a second hook', () => {
  it.each([
    ['applied, then answered 500', { route: 'PATCH /app', fault: StreamFault.AppliedThen500 }],
    [
      "applied, then answered after the client's timeout",
      { route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: CLIENT_TIMEOUT_MS * 3 },
    ],
  ])('apply leaves exactly one hook when a write is %s', async (_, fault) => {
    // Prepare
    stream.faults.push(fault);

    // Act
    const report = await runSetup('apply', resource, credentials, options());

    // Assess
    expect(ours()).toHaveLength(1);
    expect(report.hooksAfter.filter((hook) => hook.sns_topic_arn === TOPIC)).toHaveLength(1);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('gives our hook a name-based UUID of the topic, the same in every app and on every run', async () => {
    // Prepare
    const second = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });

    // Act
    await runSetup('apply', resource, credentials, options());
    await runSetup('apply', resource, credentials, { ...options(), baseUrl: second.baseUrl });
    await second.close();

    // Assess
    const id = ours()[0]?.id ?? '';
    expect(isUuid(id) && uuidVersion(id)).toBe(5);
    expect(second.hooks[0]?.id).toBe(id);
    expect((writes()[0]!.body as { event_hooks: Array<{ id?: string }> }).event_hooks[0]?.id).toBe(id);
  });

  it('keeps the Stream-made id of a hook an older version created', async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('stream-made-1'));

    // Act
    await runSetup('apply', { ...resource, eventTypes: ['message.new'] }, credentials, options());

    // Assess
    expect(ours()).toEqual([expect.objectContaining({ id: 'stream-made-1', event_types: ['message.new'] })]);
  });

  it('apply reduces several hooks for our topic to one and says so', async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('dup-1'), ourHookAsOlderVersionsLeftIt('dup-2'), ourHookAsOlderVersionsLeftIt('dup-3'));

    // Act
    const run = await cli(['--topic-arn', TOPIC]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(run.stdout).toMatch(/removed 2 duplicate hooks for this topic/);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('remove deletes the hook with our id, leaves the hooks for the topic that it did not make, and names them', async () => {
    // Prepare
    await runSetup('apply', resource, credentials, options());
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('made-by-hand-1'), ourHookAsOlderVersionsLeftIt('made-by-hand-2'));

    // Act
    const report = await runSetup('remove', resource, credentials, options());
    const again = await runSetup('remove', resource, credentials, options());

    // Assess
    expect(report).toMatchObject({ changed: true, written: { deleted: [hookIdFor(TOPIC)] }, left: ['made-by-hand-1', 'made-by-hand-2'] });
    expect(ours().map((hook) => hook.id)).toEqual(['made-by-hand-1', 'made-by-hand-2']);
    expect(again.changed).toBe(false);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });
});

describe('setup faults: an answer that is not an app stops the run', () => {
  it.each([
    ['the app cut short', { fault: StreamFault.TruncatedJson }],
    ['{}', { fault: StreamFault.Answer, body: '{}' }],
    ['an HTML page', { fault: StreamFault.Answer, body: HTML_PAGE }],
  ])('apply on a 200 with %s: a clear error naming the URL, nothing written', async (_, fault) => {
    // Prepare
    stream.faults.push({ route: 'GET /app', ...fault });

    // Act
    const failure = await runSetup('apply', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(`${stream.baseUrl}/app`);
    expect((failure as Error).message).toMatch(/not a Stream app/);
    expect(writes()).toEqual([]);
    expect(ours()).toEqual([]);
  });

  it('the command exits 1 on remove when the answer is an HTML page, and the hook stays', async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt(hookIdFor(TOPIC)));
    stream.faults.push({
      route: 'GET /app',
      fault: StreamFault.Answer,
      body: '<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>',
    });

    // Act
    const run = await cli(['--topic-arn', TOPIC, '--remove']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${stream.baseUrl}/app`);
    expect(writes()).toEqual([]);
    expect(ours()).toHaveLength(1);
  });
});

describe('setup faults: no credential is printed', () => {
  it('scrubs a Stream 400 that echoes the request before printing it', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Echo });

    // Act
    const run = await cli(['--topic-arn', TOPIC, '--auth', 'keys'], { SNS_KEY, SNS_SECRET });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/HTTP 400/);
    expect(run.stdout + run.stderr).not.toContain(SNS_SECRET);
    expect(run.stdout + run.stderr).not.toContain(SNS_KEY.slice(4));
  });
});

describe('setup faults: redirects are never followed (case 4)', () => {
  let elsewhere: FakeStream;
  beforeEach(async () => {
    // Another origin that would accept the request, credentials and all.
    elsewhere = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  });
  afterEach(async () => elsewhere.close());

  it.each([
    ['PATCH /app', 307],
    ['PATCH /app', 308],
    ['GET /app', 301],
    ['GET /app', 302],
  ])(
    'case 4: a %s answered %i sends nothing to the target, exits 1 naming the status and host, and claims no change',
    async (route, status) => {
      // Prepare
      stream.faults.push({
        route,
        fault: StreamFault.Redirect,
        status,
        location: `${elsewhere.baseUrl.replace('127.0.0.1', 'localhost')}/app?token=redirect-token-9f1e`,
      });

      // Act
      const run = await cli(['--topic-arn', TOPIC, '--auth', 'keys'], { SNS_KEY, SNS_SECRET });

      // Assess
      expect(elsewhere.requests).toEqual([]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`HTTP ${status}, a redirect to ${new URL(elsewhere.baseUrl.replace('127.0.0.1', 'localhost')).host}`);
      expect(run.stdout + run.stderr).not.toMatch(/changed|redirect-token/);
    },
  );
});

describe('setup faults: deadlines for the whole call and the whole run (case 12)', () => {
  it('case 12: a read that trickles one byte every 100 ms is cut at the call deadline, named, and retried as a failure', async () => {
    // Prepare: real sockets, real time; the socket never idles long enough for a socket timeout.
    stream.faults.push(
      { route: 'GET /app', fault: StreamFault.Trickle, intervalMs: 100, delayMs: 6_000 },
      { route: 'GET /app', fault: StreamFault.Trickle, intervalMs: 100, delayMs: 6_000 },
    );
    const started = Date.now();

    // Act
    const failure = await failureOf(runSetup('check', resource, credentials, { ...options(), requestTimeoutMs: 500, attempts: 2 }));

    // Assess
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect(failure?.message).toContain('after 2 attempts (read app settings: read app settings: no complete answer within 0.5 s)');
  }, 10_000);

  it("case 12: the command stops at its run's deadline (--timeout) while a read trickles, and says so", async () => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Trickle, intervalMs: 100, delayMs: 6_000 });
    const started = Date.now();

    // Act
    const run = await cli(['--topic-arn', TOPIC, '--timeout', '1']);

    // Assess
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: the setup stopped at its deadline before finishing \(during read app settings\)/);
  }, 10_000);
});

describe('setup faults: an answer is read up to a size cap (case 17)', () => {
  it('case 17: a 200 whose body never ends is read to 2 MiB, then refused; the server sent far less than it would have', async () => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Endless, limitBytes: 64 * 1024 * 1024 });

    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, options()));

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect(failure?.message).toContain(`larger than the ${2 * 1024 * 1024} bytes it reads`);
    expect(stream.bytesSent).toBeLessThan(16 * 1024 * 1024);
    expect(writes()).toEqual([]);
  }, 20_000);
});

describe('setup faults: a Stream that ignores client ids, and a write that lands late (case 14)', () => {
  it('case 14: the late write is seen before the run ends, its duplicate deleted, and the report says what the whole run did', async () => {
    // Prepare: the first write is held past the client's deadline; Stream gives each hook an id of its own.
    stream.ignoreClientIds = true;
    let release: (value?: unknown) => void = () => undefined;
    const held = { route: 'PATCH /app', fault: StreamFault.LandsLate, release: new Promise((resolve) => (release = resolve)) };
    stream.faults.push(held);

    // Act: the held write lands only after the read that follows the second write (the run's last, but for the wait).
    const running = runSetup('apply', resource, credentials, options());
    await vi.waitFor(() => expect(stream.requests.filter((request) => request.method === 'GET')).toHaveLength(3), {
      timeout: 5_000,
      interval: 2,
    });
    release();
    const report = await running;
    await vi.waitFor(() => expect(held).toMatchObject({ applied: true }), { timeout: 5_000, interval: 5 });

    // Assess
    expect(ours()).toHaveLength(1);
    expect(report.written.created).toEqual([ours()[0]?.id]);
    expect(report.duplicatesRemoved).toHaveLength(1);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  }, 10_000);
});

describe('setup faults: the read-back proves the whole app (case 15)', () => {
  it('case 15: a Stream that drops the other hooks on our write fails the run, naming each hook lost and saying that it wrote', async () => {
    // Prepare
    stream.dropOtherHooks = true;

    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, options()));
    stream.hooks = structuredClone(HOOKS_OF_OTHERS);
    const run = await cli(['--topic-arn', TOPIC]);

    // Assess
    for (const hook of HOOKS_OF_OTHERS) expect(failure?.message).toContain(`hook ${hook.id} (${hook.hook_type}) is gone`);
    expect(failure).toBeInstanceOf(OtherHooksChangedError);
    expect(failure?.message).toContain("This run had written to Stream's app 1 time");
    expect(run.code).toBe(1);
  });

  it('case 15: a changed hook of another team is named with the names of its changed fields, never their values', async () => {
    // Prepare: someone changes the SQS hook while we write.
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Slow, delayMs: 1 });
    const write = runSetup('apply', resource, credentials, options());
    await vi.waitFor(() => expect(writes()).toHaveLength(1), { interval: 1 });
    Object.assign(stream.hooks.find((hook) => hook.id === 'sqs-1')!, { sqs_secret: 'rotated-sqs-secret-77aa' });

    // Act
    const failure = await failureOf(write);

    // Assess
    expect(failure?.message).toContain('hook sqs-1 (sqs) changed: sqs_secret');
    expect(failure?.message).not.toMatch(/rotated-sqs-secret|other-sqs-secret/);
  });
});

describe('setup faults: after a write, every error says so (case 19)', () => {
  it('case 19: when the read after a successful write fails, the error says that the write was made and what the app held when last read', async () => {
    // Prepare: the first read and the write go through; the read after the write answers a web page.
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Answer, body: HTML_PAGE, skip: 1 });

    // Act
    const run = await cli(['--topic-arn', TOPIC]);

    // Assess
    expect(run.code).toBe(1);
    expect(ours()).toHaveLength(1);
    expect(run.stderr).toContain(`is not a Stream app`);
    expect(run.stderr).toContain(
      `This run had written to Stream's app 1 time (hooks written: ${hookIdFor(TOPIC)}; deleted: none). When last read, the app held our hooks none and 4 other hooks (wh-1, sqs-1, sns-other, pm-1).`,
    );
  });
});

describe('setup faults: a check that fails after a write says what was written (case 19)', () => {
  it("case 19: Stream's SNS check failing after the hook was written says that it was, by id", async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: 'not authorized' };

    // Act
    const run = await cli(['--topic-arn', TOPIC]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `This run had written to Stream's app before the check (created: ${hookIdFor(TOPIC)}; updated: none; deleted: none).`,
    );
  });
});
