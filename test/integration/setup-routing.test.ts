/**
 * The setup of issue 23's routing modes through the real stream-chat SDK, against the Stream stand-in (which models
 * use_hook_v2, per-hook event_types, should_send_custom_events and GET /hook/events; its fan-out model is an
 * assumption, test/support/fake-stream.ts). The expected hooks are derived here from the catalog, not from
 * shared/routing.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { MultiEventHooksRequiredError } from '../../functions/setup/errors.js';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { runSetup, type SetupReport } from '../../functions/setup/stream-hook.js';
import { SYNC_METRIC } from '../../functions/setup/sync-metric.js';
import { CATEGORIES, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { type FakeStream, type FakeStreamHook, HOOKS_OF_OTHERS, startFakeStream } from '../support/fake-stream.js';
import { capturePowertoolsOutput } from '../support/powertools-output.js';
import { runSetupCommand } from '../support/setup-cli.js';

const API_KEY = 'routing-api-key-51f0';
const API_SECRET = 'routing-api-secret-0c3e9a7d';
const TOPIC_NAME = 'stream-chat-events-dev-events';
const TOPIC = `arn:aws:sns:eu-west-1:111122223333:${TOPIC_NAME}`;
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const perCategory: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'per-category', catchAll: true, eventTypes: [] };
const singleTopic: HookSettings = { ...perCategory, routing: 'single-topic' };

/** The catalog as the test reads it: every named category with its types, sorted; and `other`'s. */
const typesOf = (category: string) =>
  Object.entries(EVENT_TYPE_CATEGORY)
    .filter(([, owner]) => owner === category)
    .map(([type]) => type)
    .sort();
const NAMED = CATEGORIES.filter((category) => category !== 'other');
const topicOf = (category: string) => `${TOPIC}-${category}`;

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const options = () => ({ baseUrl: stream.baseUrl, retryBaseDelayMs: 5, attempts: 2 });
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const others = () => stream.hooks.filter((hook) => !hook.id.match(/^[0-9a-f-]{36}$/) && hook.sns_topic_arn !== TOPIC);
const oursByTopic = () =>
  Object.fromEntries(
    stream.hooks.filter((hook) => String(hook.sns_topic_arn).startsWith(TOPIC)).map((hook) => [String(hook.sns_topic_arn), hook]),
  );

/** The hooks a mode must leave, derived from the catalog: topic → what Stream must hold. */
function expectedHooks(settings: HookSettings): Record<string, Partial<FakeStreamHook>> {
  const catchAll = { id: hookIdFor(TOPIC), hook_type: 'sns', enabled: true, sns_auth_type: 'resource', sns_region: 'eu-west-1' };
  if (settings.routing === 'single-topic') return { [TOPIC]: { ...catchAll, event_types: [], should_send_custom_events: true } };
  const named = Object.fromEntries(
    NAMED.map((category) => [
      topicOf(category),
      { ...catchAll, id: hookIdFor(topicOf(category)), event_types: typesOf(category), should_send_custom_events: false },
    ]),
  );
  const events = settings.catchAll
    ? { event_types: [], should_send_custom_events: true }
    : { event_types: typesOf('other'), should_send_custom_events: true };
  return { ...named, [TOPIC]: { ...catchAll, ...events } };
}

function expectModeHooks(settings: HookSettings): void {
  const expected = expectedHooks(settings);
  const held = oursByTopic();
  expect(Object.keys(held).sort()).toEqual(Object.keys(expected).sort());
  for (const [topic, hook] of Object.entries(expected)) {
    expect(held[topic]).toMatchObject({ ...hook, sns_topic_arn: topic });
    expect(held[topic]?.event_types).toEqual(hook.event_types);
  }
  expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
}

describe('setup routing: per-category apply', () => {
  it('creates one hook per named category plus the catch-all, counted from the catalog, in one explicit-deletion write', async () => {
    // Act
    const report = await runSetup('apply', perCategory, credentials, options());

    // Assess
    expect(writes()).toHaveLength(1);
    const body = writes()[0]?.body as { event_hooks: unknown[]; explicit_event_hooks_deletion: boolean };
    expect(body.explicit_event_hooks_deletion).toBe(true);
    expect(body.event_hooks).toHaveLength(CATEGORIES.length);
    expectModeHooks(perCategory);
    expect(report.written.created.sort()).toEqual([TOPIC, ...NAMED.map(topicOf)].map(hookIdFor).sort());
    expect(report.check).toEqual({ status: 'ok' });
    expect(stream.requests.filter((request) => request.path === '/check_sns').map((request) => request.body)).toEqual(
      [...NAMED.map(topicOf), TOPIC].map((topic) => ({ sns_topic_arn: topic })),
    );
  });

  it('leaves Stream publishing each catalog type to its own topic and the catch-all, and anything else to the catch-all only', async () => {
    // Act
    await runSetup('apply', perCategory, credentials, options());

    // Assess (the stand-in's fan-out model, an assumption where Stream documents nothing)
    for (const [type, category] of Object.entries(EVENT_TYPE_CATEGORY)) {
      expect(stream.publishesTo(type).sort(), type).toEqual(category === 'other' ? [TOPIC] : [TOPIC, topicOf(category)].sort());
    }
    expect(stream.publishesTo('a.type.stream.adds.later')).toEqual([TOPIC]);
    expect(stream.publishesTo('my_custom_event', true)).toEqual([TOPIC]);
  });

  it('changes nothing on a second run', async () => {
    // Prepare
    await runSetup('apply', perCategory, credentials, options());
    const held = JSON.stringify(stream.hooks);

    // Act
    const again = await runSetup('apply', perCategory, credentials, options());

    // Assess
    expect(again.changed).toBe(false);
    expect(writes()).toHaveLength(1);
    expect(JSON.stringify(stream.hooks)).toBe(held);
  });

  it('under keys auth with a secret Stream answers masked, a second run writes it once, says so, and settles', async () => {
    // Prepare
    const keys: HookSettings = { ...perCategory, authType: 'keys', snsKey: 'AKIAROUTING1', snsSecret: 'routing-sns-secret-77' };
    await runSetup('apply', keys, credentials, options());
    stream.maskedInAnswers = ['sns_secret'];

    // Act
    const again = await runSetup('apply', keys, credentials, options());

    // Assess
    expect(writes()).toHaveLength(2);
    expect(again.notes).toEqual([expect.stringMatching(/it was written once and cannot be confirmed/)]);
    for (const hook of Object.values(oursByTopic()))
      expect(hook).toMatchObject({ sns_key: 'AKIAROUTING1', sns_secret: 'routing-sns-secret-77' });
  });

  it.each<[string, (hook: FakeStreamHook) => void]>([
    ['a wrong list', (hook) => (hook.event_types = ['message.new'])],
    ['disabled', (hook) => (hook.enabled = false)],
    ['a wrong topic', (hook) => (hook.sns_topic_arn = `${TOPIC}-gone`)],
    ['custom events off on the catch-all', (hook) => (hook.should_send_custom_events = false)],
  ])('repairs a hook drifted to %s, keeping its id', async (_, drift) => {
    // Prepare
    await runSetup('apply', perCategory, credentials, options());
    for (const id of [hookIdFor(topicOf('moderation')), hookIdFor(TOPIC)]) drift(stream.hooks.find((hook) => hook.id === id)!);

    // Act
    const report = await runSetup('apply', perCategory, credentials, options());

    // Assess
    expect(report.changed).toBe(true);
    expectModeHooks(perCategory);
  });

  it('narrows each named list to streamEventTypes, gives the catch-all what remains as a positive list, and leaves out empty ones', async () => {
    // Act
    await runSetup(
      'apply',
      { ...perCategory, eventTypes: ['message.new', 'user.banned', 'export.users.success', 'my.custom'] },
      credentials,
      options(),
    );

    // Assess
    const held = oursByTopic();
    expect(Object.keys(held).sort()).toEqual([TOPIC, topicOf('messages'), topicOf('moderation')].sort());
    expect(held[topicOf('messages')]?.event_types).toEqual(['message.new']);
    expect(held[topicOf('moderation')]?.event_types).toEqual(['user.banned']);
    expect(held[TOPIC]).toMatchObject({ event_types: ['export.users.success', 'my.custom'], should_send_custom_events: false });
  });
});

describe('setup routing: an app not on multi-event hooks', () => {
  it.each([false, undefined])('per-category with use_hook_v2 %s writes nothing and exits non-zero, saying what to do', async (flag) => {
    // Prepare
    stream.useHookV2 = flag;

    // Act
    const failure = await runSetup('apply', perCategory, credentials, options()).catch((error: unknown) => error);
    const run = await runSetupCommand(['--topic-arn', TOPIC, '--base-url', stream.baseUrl], {
      STREAM_API_KEY: API_KEY,
      STREAM_API_SECRET: API_SECRET,
    });

    // Assess
    expect(failure).toBeInstanceOf(MultiEventHooksRequiredError);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/migrate the app to multi-event hooks in Stream's dashboard, or deploy with --param routing=single-topic/i);
    expect(writes()).toEqual([]);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('single-topic still applies there', async () => {
    // Prepare
    stream.useHookV2 = false;

    // Act
    await runSetup('apply', singleTopic, credentials, options());

    // Assess
    expectModeHooks(singleTopic);
  });
});

describe('setup routing: switching modes and removing', () => {
  it('single-topic → per-category → single-topic leaves exactly the final mode hooks, under the same events hook id', async () => {
    // Act and assess, step by step
    await runSetup('apply', singleTopic, credentials, options());
    expectModeHooks(singleTopic);
    await runSetup('apply', perCategory, credentials, options());
    expectModeHooks(perCategory);
    const back = await runSetup('apply', singleTopic, credentials, options());
    expectModeHooks(singleTopic);
    expect(back.written.deleted.sort()).toEqual(NAMED.map((category) => hookIdFor(topicOf(category))).sort());
    expect(back.duplicatesRemoved).toEqual([]);
  });

  it('per-category → catchAll false → per-category leaves exactly each setting hooks', async () => {
    // Act and assess
    for (const settings of [perCategory, { ...perCategory, catchAll: false }, perCategory]) {
      await runSetup('apply', settings, credentials, options());
      expectModeHooks(settings);
    }
  });

  it('remove deletes every hook of either mode and leaves other hooks byte for byte', async () => {
    // Prepare
    await runSetup('apply', perCategory, credentials, options());

    // Act
    const report = await runSetup('remove', singleTopic, credentials, options());

    // Assess
    expect(report.written.deleted).toHaveLength(CATEGORIES.length);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });
});

describe('setup routing: the dry run', () => {
  it('shows every hook the mode wants with the topic ARN it derives from --topic-arn, and writes nothing', async () => {
    // Act
    const run = await runSetupCommand(['--topic-arn', TOPIC, '--dry-run', '--base-url', stream.baseUrl], {
      STREAM_API_KEY: API_KEY,
      STREAM_API_SECRET: API_SECRET,
    });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`per-category routing, ${CATEGORIES.length} hooks:`);
    for (const category of NAMED) {
      expect(run.stdout).toContain(
        `  ${category}: ${topicOf(category)} (id ${hookIdFor(topicOf(category))}; ${typesOf(category).length} event types)`,
      );
    }
    expect(run.stdout).toContain(`  catch-all: ${TOPIC} (id ${hookIdFor(TOPIC)}; every event type, custom events)`);
    expect(writes()).toEqual([]);
  });
});

describe("setup routing: drift against Stream's own list", () => {
  it('warns of each type Stream lists that the catalog lacks and each catalog type Stream does not list, and applies', async () => {
    // Prepare
    stream.hookEvents = [
      ...stream.hookEvents.filter((event) => event.name !== 'channel.frozen'),
      { name: 'poll.created', description: 'a new type', products: ['chat'] },
      { name: 'call.started', description: 'video only', products: ['video'] },
    ];

    // Act
    const run = await runSetupCommand(['--topic-arn', TOPIC, '--base-url', stream.baseUrl], {
      STREAM_API_KEY: API_KEY,
      STREAM_API_SECRET: API_SECRET,
    });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /warning: Stream lists 1 event type the catalog does not have \(poll\.created\): they reach `other` through the catch-all/,
    );
    expect(run.stdout).toMatch(/warning: the catalog has 1 event type Stream does not list \(channel\.frozen\)/);
    expectModeHooks(perCategory);
  });

  it('applies with a warning when the list cannot be read', async () => {
    // Prepare
    stream.faults.push(
      ...Array.from({ length: 2 }, () => ({ route: 'GET /hook/events', fault: 'answer' as const, status: 404, body: '{}' })),
    );

    // Act
    const report = await runSetup('apply', perCategory, credentials, options());

    // Assess
    expect(report.drift).toBeUndefined();
    expect(report.warnings).toEqual([expect.stringMatching(/could not be read, so drift is not known/)]);
    expectModeHooks(perCategory);
  });
});

describe('setup routing: catchAll false and the hourly sync', () => {
  const noCatchAll: HookSettings = { ...perCategory, catchAll: false };

  it("adds every type Stream lists and the catalog lacks to the events topic's hook, keeps them when the list is unreadable, and a type it never listed reaches no topic", async () => {
    // Prepare
    stream.hookEvents = [...stream.hookEvents, { name: 'poll.created', description: 'a new type', products: ['chat'] }];

    // Act
    await runSetup('apply', noCatchAll, credentials, options());
    stream.faults.push(
      ...Array.from({ length: 2 }, () => ({ route: 'GET /hook/events', fault: 'answer' as const, status: 500, body: '{}' })),
    );
    const unreadable = await runSetup('apply', noCatchAll, credentials, options());

    // Assess
    expect(oursByTopic()[TOPIC]?.event_types).toEqual([...typesOf('other'), 'poll.created'].sort());
    expect(unreadable.changed).toBe(false);
    expect(stream.publishesTo('poll.created')).toEqual([TOPIC]);
    expect(stream.publishesTo('message.new')).toEqual([topicOf('messages')]);
    expect(stream.publishesTo('a.type.stream.never.listed')).toEqual([]);
  });

  it('the scheduled sync adds a type Stream started listing, runs no SNS check, and emits the count the alarm reads', async () => {
    // Prepare
    const handler = createSetupHandler({
      streamCredentials: async () => credentials,
      options: options(),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    vi.stubEnv('STREAM_TOPIC_NAME', TOPIC_NAME);
    vi.stubEnv('STREAM_ROUTING', 'per-category');
    vi.stubEnv('STREAM_CATCH_ALL', 'false');
    // The metric is what the alarm reads: emitted as it is deployed (vitest.config.ts turns metrics off elsewhere).
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    await handler({ action: 'apply' }, lambdaContext({ functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:setup' }));
    stream.hookEvents = [...stream.hookEvents, { name: 'poll.created', description: 'new', products: ['chat'] }];
    const checks = stream.requests.filter((request) => request.path === '/check_sns').length;
    const output = capturePowertoolsOutput();

    // Act
    const report = (await handler(
      { action: 'sync' },
      lambdaContext({ functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:setup' }),
    )) as SetupReport;
    const lines = output.lines();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();

    // Assess
    expect(report.changed).toBe(true);
    expect(oursByTopic()[TOPIC]?.event_types).toContain('poll.created');
    expect(stream.requests.filter((request) => request.path === '/check_sns')).toHaveLength(checks);
    const metric = lines.find((line) =>
      line._aws?.CloudWatchMetrics?.[0]?.Metrics?.some(({ Name }: { Name: string }) => Name === SYNC_METRIC),
    );
    expect(metric?.[SYNC_METRIC]).toBe(1);
  });
});

describe('setup routing: the sync leaves Stream alone', () => {
  it('when registerHookOnDeploy is false (STREAM_REGISTER_HOOK), the scheduled sync reads and writes nothing', async () => {
    // Prepare
    const handler = createSetupHandler({
      streamCredentials: async () => credentials,
      options: options(),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    vi.stubEnv('STREAM_TOPIC_NAME', TOPIC_NAME);
    vi.stubEnv('STREAM_CATCH_ALL', 'false');
    vi.stubEnv('STREAM_REGISTER_HOOK', 'false');

    // Act
    const answer = await handler(
      { action: 'sync' },
      lambdaContext({ functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:setup' }),
    );
    vi.unstubAllEnvs();

    // Assess
    expect(answer).toMatchObject({ action: 'sync', leftAlone: expect.stringMatching(/registerHookOnDeploy is false/) });
    expect(stream.requests).toEqual([]);
  });
});

describe('setup routing: an apply on demand is not the sync', () => {
  const handler = () =>
    createSetupHandler({
      streamCredentials: async () => credentials,
      options: options(),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  const context = () => lambdaContext({ functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:setup' });

  it('when registerHookOnDeploy is false, an apply the operator invokes still writes the hooks', async () => {
    // Prepare
    vi.stubEnv('STREAM_TOPIC_NAME', TOPIC_NAME);
    vi.stubEnv('STREAM_ROUTING', 'single-topic');
    vi.stubEnv('STREAM_REGISTER_HOOK', 'false');

    // Act
    const report = await handler()({ action: 'apply' }, context());
    vi.unstubAllEnvs();

    // Assess
    expect(report).toMatchObject({ action: 'apply', changed: true });
    expectModeHooks(singleTopic);
  });

  it('emits no sync metric: only the scheduled sync reports to the alarm', async () => {
    // Prepare
    vi.stubEnv('STREAM_TOPIC_NAME', TOPIC_NAME);
    vi.stubEnv('STREAM_CATCH_ALL', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const output = capturePowertoolsOutput();

    // Act
    const report = await handler()({ action: 'apply' }, context());
    const lines = output.lines();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();

    // Assess
    expect(report).toMatchObject({ action: 'apply', changed: true });
    expect(lines.filter((line) => line._aws !== undefined)).toEqual([]);
  });
});

describe('setup routing: the custom resource', () => {
  let responses: ResponseUrl;
  beforeEach(async () => {
    responses = await startResponseUrl();
  });
  afterEach(async () => responses.close());

  const handler = () =>
    createSetupHandler({
      streamCredentials: async () => credentials,
      options: options(),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  const request = (type: 'Create' | 'Update' | 'Delete', properties: Record<string, string>, physicalResourceId?: string) =>
    streamHookRequest(type, {
      responseUrl: responses.url,
      properties: { TopicArn: TOPIC, AuthType: 'resource', EventTypes: '', ...properties },
      physicalResourceId,
      oldProperties: { TopicArn: TOPIC },
    });

  it('Create in per-category mode (the default), an Update to single-topic, then Delete: each leaves what it should', async () => {
    // Act and assess, step by step
    await handler()(request('Create', {}), lambdaContext());
    expect(responses.answers[0]).toMatchObject({ Status: 'SUCCESS' });
    expectModeHooks(perCategory);
    const physicalId = responses.answers[0]!.PhysicalResourceId;
    await handler()(request('Update', { Routing: 'single-topic', CatchAll: 'true' }, physicalId), lambdaContext());
    expect(responses.answers[1]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expectModeHooks(singleTopic);
    await handler()(request('Update', { Routing: 'per-category', CatchAll: 'false' }, physicalId), lambdaContext());
    expectModeHooks({ ...perCategory, catchAll: false });
    await handler()(request('Delete', {}, physicalId), lambdaContext());
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('a Create after npm run setup in per-category mode adopts the five hooks within the 1 KB record, and its Delete leaves them', async () => {
    // Prepare
    await runSetup('apply', perCategory, credentials, options());
    const before = JSON.stringify(stream.hooks);

    // Act
    await handler()(request('Create', {}), lambdaContext());
    await handler()(request('Delete', {}, responses.answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(responses.answers[0]).toMatchObject({ Status: 'SUCCESS', Data: { Created: '' } });
    expect(responses.answers[0]!.Data.Adopted.split(',').sort()).toEqual([TOPIC, ...NAMED.map(topicOf)].map(hookIdFor).sort());
    expect(Buffer.byteLength(responses.answers[0]!.PhysicalResourceId)).toBeLessThanOrEqual(1024);
    expect(JSON.stringify(stream.hooks)).toBe(before);
  });

  it('answers FAILED, naming the value, for a Routing the template does not know', async () => {
    // Act
    await handler()(request('Create', { Routing: 'by-magic' }), lambdaContext());

    // Assess
    expect(responses.answers[0]).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/routing is "by-magic"/) });
    expect(writes()).toEqual([]);
  });
});
