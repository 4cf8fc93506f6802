/**
 * The setup function's entry point, against the Stream stand-in: what it does on demand (`sls invoke -f setup`),
 * the error type Lambda reports when it fails (errorType is the error's name), and as a custom resource how it reads
 * the request's properties, when it removes what a failed Create or Update wrote, and what it logs when a hook may
 * remain for a person to remove.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { createSetupHandler, type SetupDependencies } from '../../functions/setup/handler.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { type FakeStream, type FakeStreamHook, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';
import { capturePowertoolsOutput } from '../support/powertools-output.js';
import { leaksIn } from '../support/secret-forms.js';

const API_KEY = 'handler-api-key-2b7e';
const API_SECRET = 'handler-api-secret-61f0a4';
const TOPIC_NAME = 'stream-chat-events-dev-events';
/** The topic of the function's own region and account (lambdaContext's ARN). */
const TOPIC = `arn:aws:sns:us-east-1:111122223333:${TOPIC_NAME}`;
const REMEDY = 'remove them with npm run setup -- --remove';

let stream: FakeStream;
let responses: ResponseUrl;
/** The setup function's error log lines, as CloudWatch would hold them. */
let errorLog: Array<{ message: string; reason?: unknown }>;
/** Its info log lines, each with its details. */
let infoLog: Array<Record<string, unknown>>;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  responses = await startResponseUrl();
  errorLog = [];
  infoLog = [];
  vi.stubEnv('STREAM_TOPIC_NAME', TOPIC_NAME);
  vi.stubEnv('STREAM_SNS_AUTH', undefined);
  vi.stubEnv('STREAM_EVENT_TYPES', undefined);
  vi.stubEnv('STREAM_ROUTING', 'single-topic');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await stream.close();
  await responses.close();
});

function handlerWith(overrides: Partial<SetupDependencies> = {}) {
  return createSetupHandler({
    streamCredentials: async () => ({ apiKey: API_KEY, apiSecret: API_SECRET }),
    snsKeys: async () => ({ snsKey: 'AKIAHANDLERKEYS1', snsSecret: 'handler-sns-secret' }),
    options: { baseUrl: stream.baseUrl, retryBaseDelayMs: 10, attempts: 2 },
    logger: {
      info: (message: unknown, ...details: unknown[]) => {
        infoLog.push({ message: String(message), ...(details[0] as object) });
      },
      warn: () => undefined,
      error: (message: unknown, ...details: unknown[]) => {
        errorLog.push({ message: String(message), ...(details[0] as object) });
      },
    },
    ...overrides,
  });
}

function request(type: 'Create' | 'Update' | 'Delete', properties: Record<string, string | undefined> = {}, physicalResourceId?: string) {
  const all = { TopicArn: TOPIC, AuthType: 'resource', EventTypes: '', Routing: 'single-topic', ...properties };
  const defined = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return streamHookRequest(type, { responseUrl: responses.url, properties: defined, physicalResourceId });
}
const ours = () => stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC);
/** Another writer puts the app's hook list back after each of our writes (an older tool replacing the whole list). */
function listRestoredByAnotherWriter(): void {
  Object.defineProperty(stream, 'hooks', { get: () => structuredClone(HOOKS_OF_OTHERS), set: () => undefined });
}
/** Our hook comes back after each of our writes (another writer putting back the list it read before the remove). */
function hookRestoredByAnotherWriter(): void {
  const ourHook: FakeStreamHook = { id: hookIdFor(TOPIC), hook_type: 'sns', enabled: true, sns_topic_arn: TOPIC };
  Object.defineProperty(stream, 'hooks', { get: () => [...structuredClone(HOOKS_OF_OTHERS), { ...ourHook }], set: () => undefined });
}
/** At the moment of our write, someone else deletes the first of the other teams' hooks and disables the second. */
function otherHooksChangedByAnotherWriter(): void {
  let hooks = structuredClone(HOOKS_OF_OTHERS);
  Object.defineProperty(stream, 'hooks', {
    get: () => hooks,
    set: (written: FakeStreamHook[]) => {
      hooks = written.slice(1).map((hook, index) => (index === 0 ? { ...hook, enabled: false } : hook));
    },
  });
}

describe('setup function on demand', () => {
  it('stops before Lambda would cut it off, and reports why, when Stream asks to wait past the timeout', async () => {
    // Prepare: a 429 asking for a minute, in an invocation that has 3 s left.
    stream.failNext.push({ status: 429, message: 'Too many requests', headers: { 'retry-after': '60' } });

    const context = lambdaContext({ timeoutMs: 3_000 });

    // Act
    const failure = await handlerWith()({}, context).catch((error: unknown) => error);

    // Assess: the reason comes back with time to spare, instead of Lambda's "Task timed out" with none.
    expect((failure as Error).name).toBe('SetupDeadlineError');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it("applies the topic of the function's own region and account, with resource auth and every event type by default", async () => {
    // Act
    const report = (await handlerWith()({}, lambdaContext())) as { changed: boolean };

    // Assess
    expect(report.changed).toBe(true);
    expect(stream.hooks).toEqual([expect.objectContaining({ sns_topic_arn: TOPIC, sns_auth_type: 'resource', event_types: [] })]);
  });

  it("check answers with Stream's failed check in its report, for a person to read, rather than failing", async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' };

    // Act
    const report = (await handlerWith()({ action: 'check' }, lambdaContext())) as { check?: unknown };

    // Assess
    expect(report.check).toEqual({ status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' });
    expect(stream.requests.filter((call) => call.method === 'PATCH')).toEqual([]);
  });

  it.each([
    {
      when: 'the action is unknown',
      event: { action: 'delete' },
      name: 'SetupConfigurationError',
      says: 'action must be one of apply, dry-run, check, remove, sync, not "delete"',
    },
    {
      when: 'Stream rejects the API secret',
      apiSecret: 'not-the-secret',
      name: 'StreamCredentialsError',
      says: 'or the SSM parameters the setup function reads; the secret is the server-side one',
    },
    {
      when: 'Stream knows no app for the key',
      prepare: () => stream.failNext.push({ status: 404 }),
      name: 'StreamAppNotFoundError',
      says: 'Stream found no app for this API key',
    },
    {
      when: 'Stream keeps failing',
      prepare: () => stream.failNext.push({ status: 503 }, { status: 503 }),
      name: 'StreamUnavailableError',
      says: 'Stream is unreachable or overloaded after 2 attempts',
    },
    {
      when: 'the base URL answers a web page',
      prepare: () =>
        stream.faults.push({
          route: 'GET /app',
          fault: StreamFault.Answer,
          body: '<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>',
        }),
      name: 'StreamAnswerError',
      says: "If the URL is not Stream's API, fix --base-url (or STREAM_BASE_URL); otherwise try again.",
    },
    {
      when: 'Stream refuses the write with a 400',
      prepare: () => stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Echo }),
      name: 'StreamRefusedError',
      says: 'Stream refused to write the hooks (HTTP 400',
    },
    {
      when: 'another writer undoes every write',
      prepare: listRestoredByAnotherWriter,
      name: 'HookNotSettledError',
      says: `after 2 writes, Stream's app still does not hold exactly our hooks for ${TOPIC} with our settings (hook ${hookIdFor(TOPIC)} (catch-all, ${TOPIC}) is missing). Run the setup again; if this persists, look at the app's hooks. This run had written to Stream's app 2 times`,
    },
    {
      when: 'another writer undoes every write, and one write failed',
      prepare: () => {
        listRestoredByAnotherWriter();
        stream.faults.push({ route: 'PATCH /app', fault: StreamFault.AppliedThen500 });
      },
      name: 'HookNotSettledError',
      says: 'is missing) (last failure: HTTP 500: Stream error -1: internal error). Run the setup again',
    },
    {
      when: 'another writer puts our hook back after every remove',
      event: { action: 'remove' },
      prepare: hookRestoredByAnotherWriter,
      name: 'HookNotSettledError',
      says: `after 2 writes, Stream's app still does not hold none of our hooks for ${TOPIC}. Run the setup again; if this persists, look at the app's hooks. This run had written`,
    },
    {
      when: 'another writer undoes every write of the five per-category hooks',
      prepare: () => {
        vi.stubEnv('STREAM_ROUTING', 'per-category');
        listRestoredByAnotherWriter();
      },
      name: 'HookNotSettledError',
      says: `is missing; hook ${hookIdFor(`${TOPIC}-channels`)} (channels, ${TOPIC}-channels) is missing; hook`,
    },
    {
      when: "someone else changes other teams' hooks during the write",
      prepare: otherHooksChangedByAnotherWriter,
      name: 'OtherHooksChangedError',
      says:
        "Stream's app no longer holds the other hooks as they were before the write: hook wh-1 (webhook) is gone; hook sqs-1 (sqs) changed: " +
        "enabled. Restore them in Stream's dashboard from what their owners configured.",
    },
    {
      when: 'Stream answers with a redirect',
      prepare: () => stream.faults.push({ route: 'GET /app', fault: StreamFault.Redirect }),
      name: 'StreamRedirectError',
      says:
        "Stream's API answered read app settings with HTTP 307, a redirect to elsewhere.example.net. The setup follows no redirect " +
        '(it would send the credentials there). Point --base-url (or STREAM_BASE_URL) at the API itself.',
    },
    {
      when: 'per-category routing meets an app that does not say it has multi-event hooks',
      prepare: () => {
        vi.stubEnv('STREAM_ROUTING', 'per-category');
        stream.useHookV2 = undefined;
      },
      name: 'MultiEventHooksRequiredError',
      says:
        'per-category routing needs a Stream app on multi-event hooks, and this one answers use_hook_v2: nothing. ' +
        "Migrate the app to multi-event hooks in Stream's dashboard, or deploy with --param routing=single-topic " +
        '(npm run setup -- --routing single-topic). Nothing was written.',
    },
    {
      when: 'per-category routing meets an app on single-event hooks',
      prepare: () => {
        vi.stubEnv('STREAM_ROUTING', 'per-category');
        stream.useHookV2 = false;
      },
      name: 'MultiEventHooksRequiredError',
      says: 'and this one answers use_hook_v2: false. Migrate the app',
    },
    {
      when: "the function's environment has no topic name",
      prepare: () => vi.stubEnv('STREAM_TOPIC_NAME', undefined),
      name: 'SetupConfigurationError',
      says: 'the environment variable STREAM_TOPIC_NAME is not set',
    },
    {
      when: "Stream's SNS check fails",
      prepare: () => (stream.checkAnswer = { status: 'error', error: 'not authorized' }),
      name: 'SnsCheckFailedError',
      says: `Stream's SNS check failed: status error, "not authorized". Likely cause: the topic policy`,
    },
  ])('fails as $name, saying what to do, when $when', async ({ event = {}, apiSecret = API_SECRET, prepare, name, says }) => {
    // Prepare
    prepare?.();
    const handler = handlerWith({ streamCredentials: async () => ({ apiKey: API_KEY, apiSecret }) });

    // Act
    const failure = await handler(event, lambdaContext()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect({ name: (failure as Error).name, message: (failure as Error).message }).toEqual({
      name,
      message: expect.stringContaining(says),
    });
  });
});

describe('setup function on demand: what it logs and when it stops', () => {
  it('keeps 2 s before the timeout: a 2 s rate limit in an invocation with 3 s left fails at once, naming the wait', async () => {
    // Prepare
    stream.failNext.push({ status: 429, message: 'Too many requests', headers: { 'retry-after': '2' } });

    // Act
    const failure = await handlerWith()({}, lambdaContext({ timeoutMs: 3_000 })).catch((error: unknown) => error);

    // Assess
    expect((failure as Error).message).toBe(
      'the setup stopped at its deadline before finishing (read app settings: the 2 s wait for the Stream rate limit would end after it); deploy again, or run npm run setup to finish it',
    );
  });

  it('logs each wait, in seconds, with what it waits for, and the report of the run', async () => {
    // Prepare: one 503, retried after 10 ms.
    stream.failNext.push({ status: 503 });

    // Act
    const report = (await handlerWith()({}, lambdaContext())) as Record<string, unknown>;

    // Assess
    expect(infoLog).toEqual([
      { message: 'waiting 1 s for the retry after Stream failed', name: 'retry after Stream failed', ms: 10, call: 'read app settings' },
      { message: 'Stream hook setup', ...report },
    ]);
    expect(report).toMatchObject({ action: 'apply', changed: true });
  });

  it('clears its deadline whether the run succeeds or fails, so that no timer outlives the invocation', async () => {
    // Prepare: the program's own timers on vitest's clock, so that the pending ones can be counted.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const handler = handlerWith();

    try {
      // Act
      await handler({ action: 'dry-run' }, lambdaContext());
      const afterSuccess = vi.getTimerCount();
      await handler({ action: 'delete' }, lambdaContext()).catch(() => undefined);
      const afterFailure = vi.getTimerCount();

      // Assess
      expect([afterSuccess, afterFailure]).toEqual([0, 0]);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['stream-chat-events when the environment names none', undefined, 'stream-chat-events'],
    ['the environment gives', 'renamed-service', 'renamed-service'],
  ])('logs, by default, under the service name %s', async (_, environment, service) => {
    // Prepare
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', environment);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const output = capturePowertoolsOutput();
    const handler = createSetupHandler({
      streamCredentials: async () => ({ apiKey: API_KEY, apiSecret: API_SECRET }),
      options: { baseUrl: stream.baseUrl },
    });

    // Act
    await handler({ action: 'dry-run' }, lambdaContext());
    const lines = output.lines();
    vi.restoreAllMocks();

    // Assess
    expect(lines.map((line) => [line.message, line.service])).toEqual([['Stream hook setup', service]]);
  });

  it('fails as SetupError, with the text, when a dependency throws something that is not an Error', async () => {
    // Prepare
    const handler = handlerWith({ streamCredentials: () => Promise.reject('SSM is unreachable') });

    // Act
    const failure = await handler({}, lambdaContext()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect({ name: (failure as Error).name, message: (failure as Error).message }).toEqual({
      name: 'SetupError',
      message: 'SSM is unreachable',
    });
  });

  it('shows no form of the API key or secret in a failure that no Stream call made (a base URL with the credentials pasted in)', async () => {
    // Prepare: not a URL, so the run stops before its first call, quoting it.
    const baseUrl = `chat.stream-io-api.com/?api_key=${API_KEY}&api_secret=${API_SECRET}`;

    // Act
    const failure = (await handlerWith({ options: { baseUrl } })({}, lambdaContext()).catch((error: unknown) => error)) as Error;

    // Assess
    expect(failure.message).toMatch(/^the base URL "chat\.stream-io-api\.com\/\?api_key=.+" is not a URL$/);
    expect(leaksIn(failure.message, [API_SECRET, API_KEY.slice(4)])).toEqual([]);
  });

  it('shows no form of the SNS key or secret in such a failure under keys auth', async () => {
    // Prepare
    vi.stubEnv('STREAM_SNS_AUTH', 'keys');
    const baseUrl = `chat.stream-io-api.com/?sns_key=AKIAHANDLERKEYS1&sns_secret=handler-sns-secret`;

    // Act
    const failure = (await handlerWith({ options: { baseUrl } })({}, lambdaContext()).catch((error: unknown) => error)) as Error;

    // Assess
    expect(failure.message).toMatch(/^the base URL "chat\.stream-io-api\.com\/\?sns_key=.+" is not a URL$/);
    expect(leaksIn(failure.message, ['handler-sns-secret', 'HANDLERKEYS1'])).toEqual([]);
  });
});

describe('setup function as a custom resource: the request', () => {
  it.each([
    ['listed with spaces and an empty entry', ' message.new, user.banned ,,', ['message.new', 'user.banned']],
    ['not given (every event)', undefined, []],
  ])('subscribes the hook to the event types %s', async (_, eventTypes, expected) => {
    // Act
    await handlerWith()(request('Create', { EventTypes: eventTypes }), lambdaContext());

    // Assess
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(ours().map((hook) => hook.event_types)).toEqual([expected]);
  });

  it('answers FAILED, naming the value, when the auth type is neither resource nor keys', async () => {
    // Act
    await handlerWith()(request('Create', { AuthType: 'iam' }), lambdaContext());

    // Assess
    expect(responses.answers).toEqual([
      expect.objectContaining({ Status: 'FAILED', Reason: 'auth type must be resource or keys, not "iam"' }),
    ]);
    expect(stream.requests).toEqual([]);
  });

  it('answers a Create whose TopicArn is not a topic FAILED, with a physical id that names no topic', async () => {
    // Act
    await handlerWith()(
      request('Create', { TopicArn: 'arn:aws:sqs:us-east-1:111122223333:stream-chat-events-dev-events' }),
      lambdaContext(),
    );

    // Assess
    expect(responses.answers).toEqual([
      expect.objectContaining({
        Status: 'FAILED',
        PhysicalResourceId: 'StreamHook-not-created',
        Reason: expect.stringContaining('is not an SNS topic ARN'),
      }),
    ]);
  });
});

describe('setup function as a custom resource: after a failure', () => {
  it('an Update of the same topic that fails keeps the hook, so events flow until the rollback restores its settings', async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());
    stream.checkAnswer = { status: 'error', error: 'not authorized' };

    // Act
    await handlerWith()(request('Update', { EventTypes: 'message.new' }, `stream-sns-hook:${TOPIC}`), lambdaContext());

    // Assess
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'FAILED']);
    expect(ours()).toHaveLength(1);
  });

  it('a Create that runs out of time stops 12 s early, removes the hook it wrote, and answers FAILED', async () => {
    // Prepare: 28 s left, so the apply has 1 s; Stream answers the write after 1.5 s.
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: 1_500 });

    // Act
    await handlerWith()(request('Create'), lambdaContext({ timeoutMs: 28_000 }));

    // Assess
    expect(responses.answers).toEqual([
      expect.objectContaining({ Status: 'FAILED', Reason: expect.stringContaining('the setup stopped at its deadline before finishing') }),
    ]);
    expect(ours()).toEqual([]);
  });

  it('logs that the hook may remain, and how to remove it, when a failed Create cannot remove it', async () => {
    // Prepare: Stream goes down while it answers the write (applied).
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: 300 });
    const handler = handlerWith();

    // Act
    const answered = handler(request('Create'), lambdaContext());
    await vi.waitFor(() => expect(stream.requests.some((call) => call.method === 'PATCH')).toBe(true));
    stream.failNext.push(...Array.from({ length: 4 }, () => ({ status: 503 })));
    await answered;

    // Assess
    expect(responses.answers).toEqual([
      expect.objectContaining({ Status: 'FAILED', Reason: expect.stringContaining('Stream is unreachable') }),
    ]);
    expect(errorLog).toEqual([
      { message: `The hooks for ${TOPIC} may remain; ${REMEDY}`, reason: expect.stringContaining('Stream is unreachable') },
    ]);
    expect(ours()).toHaveLength(1);
  });

  it("logs no form of the SNS key or secret when the undo of a failed Create with keys auth is refused by a message quoting the app's hooks", async () => {
    // Prepare: an operator's hook for the topic, which the Create adopts and writes our keys into; the SNS check
    // fails, and Stream refuses the undo's write with a message that prints the hooks' values (ours are not hidden).
    stream.hooks.push({
      id: 'made-by-operator',
      hook_type: 'sns',
      sns_secret: 'operator-sns-secret',
      sns_key: 'AKIAOPERATOR',
      enabled: true,
      sns_topic_arn: TOPIC,
      sns_region: 'us-east-1',
      sns_auth_type: 'keys',
      event_types: ['message.new'],
    });
    stream.checkAnswer = { status: 'error', error: 'not authorized' };
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.QuotingApp, skip: 1 });

    // Act
    await handlerWith()(request('Create', { AuthType: 'keys' }), lambdaContext());

    // Assess
    expect(responses.answers).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
    expect(errorLog).toEqual([
      { message: `The hooks for ${TOPIC} may remain; ${REMEDY}`, reason: expect.stringContaining('UpdateApp failed with error') },
    ]);
    expect(leaksIn(JSON.stringify(errorLog), ['handler-sns-secret', 'HANDLERKEYS1'])).toEqual([]);
  });

  it("answers a Delete refused by a message quoting the app's hooks without any credential of the hook it adopted", async () => {
    // Prepare: a keys-auth Create adopts an operator's hook for the topic; the Delete puts the operator's hook back,
    // and Stream refuses that write with a message that prints every hook's values, the adopted one's keys included.
    stream.hooks.push({
      id: 'made-by-operator',
      hook_type: 'sns',
      sns_secret: 'operator-sns-secret-9c2d',
      sns_key: 'AKIAOPERATORKEY7',
      enabled: true,
      sns_topic_arn: TOPIC,
      sns_region: 'us-east-1',
      sns_auth_type: 'keys',
      event_types: ['message.new'],
    });
    await handlerWith()(request('Create', { AuthType: 'keys' }), lambdaContext());
    const [created] = responses.answers as Array<{ Status: string; PhysicalResourceId: string }>;
    expect(created?.Status).toBe('SUCCESS');
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.QuotingApp });

    // Act
    await handlerWith()(request('Delete', { AuthType: 'keys' }, created!.PhysicalResourceId), lambdaContext());

    // Assess: the refusal is reported, and neither CloudFormation's Reason nor the log holds a form of any key.
    const said = JSON.stringify([responses.answers.slice(1), errorLog]);
    expect(said).toContain('UpdateApp failed with error');
    expect(leaksIn(said, ['operator-sns-secret-9c2d', 'OPERATORKEY7', 'handler-sns-secret', 'HANDLERKEYS1'])).toEqual([]);
  });

  it('logs how to remove the hook when a Delete cannot, and answers SUCCESS so the stack is not stuck', async () => {
    // Prepare
    stream.failNext.push({ status: 503 }, { status: 503 });

    // Act
    await handlerWith()(request('Delete', {}, `stream-sns-hook:${TOPIC}`), lambdaContext());

    // Assess
    expect(responses.answers).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', Reason: expect.stringContaining('hooks not removed: Stream is unreachable') }),
    ]);
    expect(errorLog).toEqual([
      { message: `The Stream hooks could not be removed; ${REMEDY}`, reason: expect.stringContaining('Stream is unreachable') },
    ]);
  });
});
