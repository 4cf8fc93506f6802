/**
 * The setup core (functions/setup/stream-hook.ts) through the real stream-chat SDK against the local stand-in: what
 * each action reports (what it wrote, what it would write, what it left, what drifts), what the read-back proves, how
 * it waits after a write that failed or went unanswered, and what its errors say, before and after a write.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineAfter } from '../../functions/setup/deadlines.js';
import {
  HookNotSettledError,
  OtherHooksChangedError,
  SetupDeadlineError,
  SetupError,
  StreamAnswerError,
  StreamRefusedError,
} from '../../functions/setup/errors.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import type { HookRecord } from '../../functions/setup/hook-record.js';
import type { SetupOptions, SetupWait } from '../../functions/setup/stream-app.js';
import { assertCheckPassed, runSetup, undoSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, type FakeStreamHook, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'core-api-key-7e21';
const API_SECRET = 'core-api-secret-5b90c4';
const SNS_KEY = 'AKIACOREPUB3K8W';
const SNS_SECRET = 'core-sns-secret-a16f03';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const ID = hookIdFor(TOPIC);
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const keys: HookSettings = { ...resource, authType: 'keys', snsKey: SNS_KEY, snsSecret: SNS_SECRET };
const perCategory: HookSettings = { ...resource, routing: 'per-category' };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const WROTE = "This run had written to Stream's app";
const HTML_PAGE = '<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>';

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const options = (more: Partial<SetupOptions> = {}): Partial<SetupOptions> => ({ baseUrl: stream.baseUrl, retryBaseDelayMs: 1, ...more });
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const topicOf = (category: string) => `${TOPIC}-${category}`;
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
const thrownBy = (act: () => void) => {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  return undefined;
};
/** An SNS hook for `topic` as an older version, or a person in the dashboard, left it. */
const snsHook = (id: string, topic = TOPIC, more: Partial<FakeStreamHook> = {}): FakeStreamHook => ({
  id,
  hook_type: 'sns',
  enabled: true,
  event_types: [],
  sns_topic_arn: topic,
  sns_region: 'eu-west-1',
  sns_auth_type: 'resource',
  should_send_custom_events: true,
  ...more,
});
const ourKeysHook = (secret: string): FakeStreamHook =>
  snsHook(ID, TOPIC, { sns_auth_type: 'keys', sns_key: SNS_KEY, sns_secret: secret, created_at: '2026-01-05T00:00:00Z' });
/** A hook switched from SNS to a webhook in the dashboard: Stream may keep the SNS fields it had. */
const webhookNamingOurTopic: FakeStreamHook = {
  id: 'wh-was-sns',
  hook_type: 'webhook',
  enabled: true,
  webhook_url: 'https://hooks.example.org/was-sns',
  sns_topic_arn: TOPIC,
  sns_region: 'eu-west-1',
  event_types: [],
};

describe('setup core: what a dry run reports', () => {
  it('reports what it would create, and nothing deleted or updated', async () => {
    // Act
    const report = await runSetup('dry-run', resource, credentials, options());

    // Assess
    expect(report.changed).toBe(true);
    expect(report.written).toEqual({ created: [ID], updated: [], deleted: [] });
    expect(writes()).toEqual([]);
  });

  it('reports no change on an app that holds our hook as wanted', async () => {
    // Prepare
    await runSetup('apply', resource, credentials, options());

    // Act
    const report = await runSetup('dry-run', resource, credentials, options());

    // Assess
    expect(report.changed).toBe(false);
    expect(report.written).toEqual({ created: [], updated: [], deleted: [] });
  });

  it('under keys auth, would write a hook whose only difference is a rotated secret', async () => {
    // Prepare
    stream.hooks.push(ourKeysHook('the-secret-before-rotation'));

    // Act
    const report = await runSetup('dry-run', keys, credentials, options());

    // Assess
    expect(report.changed).toBe(true);
    expect(report.written).toEqual({ created: [], updated: [ID], deleted: [] });
    expect(writes()).toEqual([]);
  });
});

describe("setup core: drift against Stream's own list", () => {
  it('warns of nothing when Stream lists exactly the catalog', async () => {
    // Act
    const report = await runSetup('dry-run', resource, credentials, options());

    // Assess
    expect(report.drift).toEqual({ streamOnly: [], catalogOnly: [] });
    expect(report.warnings).toEqual([]);
  });

  it('names every type Stream lists that the catalog lacks, and every catalog type it does not list, sorted', async () => {
    // Prepare: message.new comes before channel.frozen in the catalog.
    stream.hookEvents = [
      ...stream.hookEvents.filter((event) => event.name !== 'message.new' && event.name !== 'channel.frozen'),
      { name: 'poll.voted', description: 'a new type', products: ['chat'] },
      { name: 'poll.created', description: 'a new type', products: ['chat'] },
    ];

    // Act
    const report = await runSetup('dry-run', resource, credentials, options());

    // Assess
    expect(report.drift).toEqual({ streamOnly: ['poll.created', 'poll.voted'], catalogOnly: ['channel.frozen', 'message.new'] });
    expect(report.warnings).toEqual([
      'Stream lists 2 event types the catalog does not have (poll.created, poll.voted): they reach `other` through the catch-all hook; ' +
        'give each a category in shared/catalog.ts if it is not for `other`',
      'the catalog has 2 event types Stream does not list (channel.frozen, message.new): a renamed or retired type, or one Stream ' +
        'sends without listing it',
    ]);
  });

  it.each<[string, HookSettings, string]>([
    [
      'streamEventTypes narrows the hooks',
      { ...resource, eventTypes: ['message.new'] },
      'streamEventTypes narrows the hooks, so they are not sent unless listed there',
    ],
    [
      "catchAll is false (the events topic's hook follows the list)",
      { ...perCategory, catchAll: false },
      "the setup adds them to the events topic's hook, so they reach `other`; give each a category in shared/catalog.ts",
    ],
  ])('says where a type Stream lists and the catalog lacks goes when %s', async (_, settings, reach) => {
    // Prepare
    stream.hookEvents = [...stream.hookEvents, { name: 'poll.created', description: 'a new type', products: ['chat'] }];

    // Act
    const report = await runSetup('dry-run', settings, credentials, options());

    // Assess
    expect(report.warnings).toEqual([`Stream lists 1 event type the catalog does not have (poll.created): ${reach}`]);
  });
});

describe("setup core: Stream's SNS check", () => {
  it('names the topic and the role of the hook whose check failed, in per-category mode', async () => {
    // Prepare
    stream.checkAnswer = (asked) =>
      asked.sns_topic_arn === topicOf('users') ? { status: 'error', error: 'NotFound: topic does not exist' } : { status: 'ok' };

    // Act
    const report = await runSetup('check', perCategory, credentials, options());

    // Assess
    expect(report.check).toEqual({ status: 'error', error: `users topic ${topicOf('users')}: NotFound: topic does not exist` });
  });

  it('says that Stream gave no reason when its failed check names none, in per-category mode', async () => {
    // Prepare
    stream.checkAnswer = (asked) => (asked.sns_topic_arn === topicOf('users') ? { status: 'error' } : { status: 'ok' });

    // Act
    const report = await runSetup('check', perCategory, credentials, options());

    // Assess
    expect(report.check).toEqual({ status: 'error', error: `users topic ${topicOf('users')}: no reason given` });
  });

  it('shows neither the SNS secret nor the key beyond its first four characters when the check quotes them', async () => {
    // Prepare
    stream.checkAnswer = (asked) => ({ status: 'error', error: `InvalidClientTokenId: key ${asked.sns_key}, secret ${asked.sns_secret}` });

    // Act
    const report = await runSetup('check', keys, credentials, options());

    // Assess
    expect(report.check).toEqual({ status: 'error', error: 'InvalidClientTokenId: key AKIA****, secret ****' });
  });

  it('a failed check when nothing was written says nothing about writing', async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: 'not authorized' };
    const report = await runSetup('check', resource, credentials, options());

    // Act
    const failure = thrownBy(() => assertCheckPassed(report, 'resource'));

    // Assess
    expect(failure?.message).toBe(
      `Stream's SNS check failed: status error, "not authorized". Likely cause: the topic policy does not let Stream's account ` +
        '(arn:aws:iam::185583345998:root) publish, or the topic is in another region than its ARN says',
    );
  });

  it('a failed check after the hooks were created names each of them', async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: 'not authorized' };
    const report = await runSetup('apply', perCategory, credentials, options());

    // Act
    const failure = thrownBy(() => assertCheckPassed(report, 'resource'));

    // Assess
    expect(report.written.created).toHaveLength(5);
    expect(failure?.message).toContain(
      `${WROTE} before the check (created: ${report.written.created.join(', ')}; updated: none; deleted: none).`,
    );
  });
});

describe('setup core: which hooks are ours', () => {
  it('per-category apply adopts a hook made by hand for a category topic, and updates it in place', async () => {
    // Prepare
    stream.hooks.push(snsHook('made-by-hand-users', topicOf('users'), { enabled: false }));

    // Act
    const report = await runSetup('apply', perCategory, credentials, options());

    // Assess
    expect(report.adopted.map(({ id }) => id)).toEqual(['made-by-hand-users']);
    expect(report.written.updated).toEqual(['made-by-hand-users']);
    expect(stream.hooks.find((hook) => hook.id === 'made-by-hand-users')).toMatchObject({ enabled: true, sns_topic_arn: topicOf('users') });
  });

  it('a webhook that still names our topic is not ours: shown by id, type and state only, and left as it is', async () => {
    // Prepare
    stream.hooks.push(structuredClone(webhookNamingOurTopic));

    // Act
    const report = await runSetup('apply', resource, credentials, options());

    // Assess
    expect(report.hooksBefore.find((hook) => hook.id === 'wh-was-sns')).toEqual({ id: 'wh-was-sns', hook_type: 'webhook', enabled: true });
    expect(stream.hooks.find((hook) => hook.id === 'wh-was-sns')).toEqual(webhookNamingOurTopic);
    expect(report.left).toEqual([]);
  });

  it('remove names the SNS hooks for our topic it leaves, and not a webhook that still names the topic', async () => {
    // Prepare
    stream.hooks.push(snsHook(ID), snsHook('made-by-hand-1'), structuredClone(webhookNamingOurTopic));

    // Act
    const report = await runSetup('remove', resource, credentials, options());

    // Assess
    expect(report.written.deleted).toEqual([ID]);
    expect(report.left).toEqual(['made-by-hand-1']);
  });
});

describe('setup core: the scheduled sync', () => {
  it('deletes a duplicate of our hook and reports it as one', async () => {
    // Prepare
    await runSetup('apply', resource, credentials, options());
    stream.hooks.push(snsHook('dup-1'));

    // Act
    const report = await runSetup('sync', resource, credentials, options());

    // Assess
    expect(report.duplicatesRemoved).toEqual(['dup-1']);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC).map((hook) => hook.id)).toEqual([ID]);
  });

  it('when Stream does not apply its writes, says that the app does not hold our hooks as wanted', async () => {
    // Prepare
    stream.faults.push(...Array.from({ length: 3 }, () => ({ route: 'PATCH /app', fault: StreamFault.IgnoredWrite })));

    // Act
    const failure = await failureOf(runSetup('sync', resource, credentials, options({ attempts: 2 })));

    // Assess
    expect(failure).toBeInstanceOf(HookNotSettledError);
    expect(failure?.message).toMatch(/^after 2 writes, Stream's app still does not hold exactly our hooks for \S+ with our settings/);
  });
});

describe('setup core: undo', () => {
  it('deletes a hook it recorded as created under an id Stream made, without calling it a duplicate', async () => {
    // Prepare
    stream.hooks.push(snsHook('stream-made-1'));
    const record: HookRecord = { topicArn: TOPIC, created: ['stream-made-1'], adopted: [] };

    // Act
    const report = await undoSetup(record, credentials, options());

    // Assess
    expect(report.written.deleted).toEqual(['stream-made-1']);
    expect(report.duplicatesRemoved).toEqual([]);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('puts back the settings of an adopted hook that had keys auth, and says that its key and secret must be set again', async () => {
    // Prepare: the stack took the hook over and made it resource auth; its record has its settings, never its keys.
    stream.hooks.push(snsHook('made-by-hand-1'));
    const before = { enabled: false, event_types: ['message.new'], sns_topic_arn: TOPIC, sns_region: 'eu-west-1', sns_auth_type: 'keys' };
    const record: HookRecord = { topicArn: TOPIC, created: [], adopted: [{ id: 'made-by-hand-1', before }] };

    // Act
    const report = await undoSetup(record, credentials, options());

    // Assess
    expect(stream.hooks.find((hook) => hook.id === 'made-by-hand-1')).toMatchObject(before);
    expect(report.notes).toEqual([
      'hook made-by-hand-1 had keys auth: its settings are back, its SNS key and secret were never recorded; set them again',
    ]);
  });
});

describe('setup core: notes on the SNS secret', () => {
  it('says nothing of the secret when the hook is created with it', async () => {
    // Act
    const report = await runSetup('apply', keys, credentials, options());

    // Assess
    expect(report.changed).toBe(true);
    expect(report.notes).toEqual([]);
  });

  it('reports no hook updated when the write changed nothing Stream shows (a secret it answers masked)', async () => {
    // Prepare
    stream.hooks.push({ ...ourKeysHook('wrong-and-unseen'), updated_at: '2026-01-05T00:00:00Z' });
    stream.maskedInAnswers = ['sns_secret'];

    // Act
    const report = await runSetup('apply', keys, credentials, options());

    // Assess: Stream's updated_at moved; no setting did.
    expect(report.changed).toBe(true);
    expect(report.written).toEqual({ created: [], updated: [], deleted: [] });
    expect(stream.hooks.find((hook) => hook.id === ID)).toMatchObject({ sns_secret: SNS_SECRET });
  });
});

describe('setup core: what changes in the app while the run writes', () => {
  /** Runs `action`, and calls `meanwhile` while its first write is held by Stream. */
  const whileWriting = async <T>(meanwhile: () => void, action: Promise<T>): Promise<T> => {
    await vi.waitFor(() => expect(writes()).toHaveLength(1), { interval: 1 });
    meanwhile();
    return action;
  };

  it('a hook another team adds meanwhile is not reported as created by the run', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Slow, delayMs: 50 });
    const added: FakeStreamHook = { id: 'wh-2', hook_type: 'webhook', enabled: true, webhook_url: 'https://example.org/new' };

    // Act
    const report = await whileWriting(() => stream.hooks.push(added), runSetup('apply', resource, credentials, options()));

    // Assess
    expect(report.written).toEqual({ created: [ID], updated: [], deleted: [] });
    expect(report.hooksAfter.find((hook) => hook.id === 'wh-2')).toEqual({ id: 'wh-2', hook_type: 'webhook', enabled: true });
  });

  it('a hook of another team changed meanwhile is named with every changed field', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Slow, delayMs: 50 });

    // Act
    const failure = await failureOf(
      whileWriting(
        () => Object.assign(stream.hooks.find((hook) => hook.id === 'sqs-1')!, { sqs_key: 'AKIAROTATED', sqs_secret: 'rotated-sqs-77aa' }),
        runSetup('apply', resource, credentials, options()),
      ),
    );

    // Assess
    expect(failure).toBeInstanceOf(OtherHooksChangedError);
    expect(failure?.message).toContain('hook sqs-1 (sqs) changed: sqs_key, sqs_secret');
  });

  it('a hook pointed at our topic meanwhile is one more duplicate: deleted and reported, not a change to the hooks of others', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Slow, delayMs: 50 });

    // Act
    const report = await whileWriting(
      () => Object.assign(stream.hooks.find((hook) => hook.id === 'sns-other')!, { sns_topic_arn: TOPIC }),
      runSetup('apply', resource, credentials, options()),
    );

    // Assess
    expect(report.duplicatesRemoved).toEqual(['sns-other']);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC).map((hook) => hook.id)).toEqual([ID]);
  });
});

describe('setup core: what an error says about writing', () => {
  it('a write Stream refused says nothing about writing: nothing was', async () => {
    // Prepare
    stream.faults.push({
      route: 'PATCH /app',
      fault: StreamFault.Answer,
      status: 400,
      body: '{"code":4,"message":"the hooks are not valid"}',
    });

    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, options()));

    // Assess
    expect(failure).toBeInstanceOf(StreamRefusedError);
    expect(failure?.message).toBe('Stream refused to write the hooks (HTTP 400: Stream error 4: the hooks are not valid)');
  });

  it('after a remove, says which hook it deleted and what the app held when last read', async () => {
    // Prepare: the app holds our hook and one other; the read after the write answers a web page.
    stream.hooks = [structuredClone(HOOKS_OF_OTHERS[0]!), snsHook(ID)];
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Answer, body: HTML_PAGE, skip: 1 });

    // Act
    const failure = await failureOf(runSetup('remove', resource, credentials, options()));

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect(failure?.message).toMatch(
      new RegExp(
        `is not a Stream app: .* ${WROTE} 1 time \\(hooks written: none; deleted: ${ID}\\)\\. ` +
          `When last read, the app held our hooks ${ID} and 1 other hook \\(wh-1\\)\\.$`,
      ),
    );
  });
});

describe('setup core: waits after a write (fake clock)', () => {
  let waits: SetupWait[];
  beforeEach(() => {
    waits = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Options of a run whose waits are recorded and then pass on the fake clock as soon as their timer is set. */
  const clocked = (more: Partial<SetupOptions> = {}): Partial<SetupOptions> => ({
    baseUrl: stream.baseUrl,
    requestTimeoutMs: 5_000,
    retryBaseDelayMs: 100,
    onWait: (wait) => {
      waits.push(wait);
      queueMicrotask(() => vi.advanceTimersByTime(wait.ms));
    },
    ...more,
  });
  const reads = () => stream.requests.filter((request) => request.method === 'GET' && request.path === '/app');
  /** Starts `run`, lets its first write reach Stream, then moves the clock past the call's deadline. */
  const unansweredWrite = async <T>(run: Promise<T>): Promise<T> => {
    await vi.waitFor(() => expect(writes()).toHaveLength(1), { interval: 1 });
    vi.advanceTimersByTime(5_000);
    return run;
  };
  const answer = (status: number, message: string) => JSON.stringify({ code: status === 429 ? 9 : -1, message });

  it('doubles its wait from one failed write to the next', async () => {
    // Prepare
    stream.faults.push(
      ...Array.from({ length: 2 }, () => ({
        route: 'PATCH /app',
        fault: StreamFault.Answer,
        status: 503,
        body: answer(503, 'unavailable'),
      })),
    );

    // Act
    const report = await runSetup('apply', resource, credentials, clocked());

    // Assess
    expect(report.changed).toBe(true);
    expect(waits).toEqual([
      { name: 'retry after Stream failed', ms: 100, call: 'write the hooks' },
      { name: 'retry after Stream failed', ms: 200, call: 'write the hooks' },
    ]);
  });

  it('waits the Retry-After of a rate-limited write, and says it waits for the rate limit', async () => {
    // Prepare
    stream.faults.push({
      route: 'PATCH /app',
      fault: StreamFault.Answer,
      status: 429,
      body: answer(429, 'Too many requests'),
      headers: { 'retry-after': '3' },
    });

    // Act
    await runSetup('apply', resource, credentials, clocked());

    // Assess
    expect(waits).toEqual([{ name: 'Stream rate limit', ms: 3_000, call: 'write the hooks' }]);
  });

  it('stops, naming the failure, when the wait before writing again would end past the deadline', async () => {
    // Prepare
    stream.faults.push({
      route: 'PATCH /app',
      fault: StreamFault.Answer,
      status: 429,
      body: answer(429, 'Too many requests'),
      headers: { 'retry-after': '5' },
    });

    // Act
    const failure = await failureOf(runSetup('apply', resource, credentials, clocked({ deadlineAt: Date.now() + 2_000 })));

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toContain(
      '(waiting to write the hooks again after: HTTP 429: Stream error 9: Too many requests); deploy again, or run npm run setup to finish it',
    );
    expect(waits).toEqual([]);
  });

  it('after a write left unanswered, waits out the rest of a call deadline, then reads the app again before ending', async () => {
    // Prepare: Stream applies the write and holds its answer (300 ms real time) past the call's 5 s deadline.
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: 300 });

    // Act
    const report = await unansweredWrite(runSetup('apply', resource, credentials, clocked()));

    // Assess: given up at the write's deadline (5 s), then 100 ms of retry wait, then the rest of one more deadline.
    expect(waits).toEqual([
      { name: 'retry after Stream failed', ms: 100, call: 'write the hooks' },
      { name: 'a write that may land late', ms: 4_900, call: 'read app settings' },
    ]);
    expect(reads().at(-1)!.at - reads().at(-2)!.at).toBe(4_900);
    expect(report.written.created).toEqual([ID]);
    expect(writes()).toHaveLength(1);
  });

  it('stops, saying what it wrote, when that wait would end past the deadline', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: 300 });

    // Act
    const failure = await failureOf(unansweredWrite(runSetup('apply', resource, credentials, clocked({ deadlineAt: Date.now() + 6_000 }))));

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toBe(
      'the setup stopped at its deadline before finishing (waiting for a write that may land late); deploy again, or run npm run ' +
        `setup to finish it ${WROTE} 1 time (hooks written: ${ID}; deleted: none). When last read, the app held our hooks ${ID} ` +
        'and 4 other hooks (wh-1, sqs-1, sns-other, pm-1).',
    );
  });

  it('an unexpected error after a write (the wait reporter failing) is a setup error that says what it wrote', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: 300 });
    const broken = new Error('the log stream is closed');
    const onWait = (wait: SetupWait) => {
      if (wait.name === 'a write that may land late') throw broken;
      queueMicrotask(() => vi.advanceTimersByTime(wait.ms));
    };

    // Act
    const failure = await failureOf(unansweredWrite(runSetup('apply', resource, credentials, clocked({ onWait }))));

    // Assess
    expect(failure).toBeInstanceOf(SetupError);
    expect(failure?.message).toMatch(new RegExp(`^unexpected error: the log stream is closed ${WROTE} 1 time`));
    expect(failure?.cause).toBe(broken);
  });

  it('writes nothing when the deadline passes while the list of hook event types is read, and names the call', async () => {
    // Prepare: the list is held 300 ms (real time); the run's deadline falls during it.
    stream.faults.push({ route: 'GET /hook/events', fault: StreamFault.Slow, delayMs: 300 });
    const deadline = deadlineAfter(100, 'the test deadline');

    // Act
    const running = failureOf(runSetup('apply', resource, credentials, clocked({ signal: deadline.signal, deadlineAt: deadline.at })));
    await vi.waitFor(() => expect(stream.requests.filter((request) => request.path === '/hook/events')).toHaveLength(1), { interval: 1 });
    vi.advanceTimersByTime(100);
    const failure = await running;
    deadline.clear();

    // Assess
    expect(failure).toBeInstanceOf(SetupDeadlineError);
    expect(failure?.message).toContain('(during read the hook event types)');
    expect(writes()).toEqual([]);
  });
});
