/**
 * The setup function as CloudFormation calls it: each request gets exactly one answer at its response URL (a local
 * server here), with the right status, whatever happens; its physical id records what the stack created and adopted,
 * so that a Delete or a rollback removes only what the stack made and puts back what was there before.
 */
import { randomUUID } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import { recordOf } from '../../functions/setup/hook-record.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { type FakeStream, type FakeStreamHook, HOOKS_OF_OTHERS, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'cfn-api-key';
const API_SECRET = 'cfn-api-secret-5b1e';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';
const NEW_TOPIC = `${TOPIC}-v2`;

let stream: FakeStream;
let responses: ResponseUrl;
let answers: ResponseUrl['answers'];

beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  responses = await startResponseUrl();
  answers = responses.answers;
});
afterEach(async () => {
  await stream.close();
  await responses.close();
});

function handlerWith(apiSecret = API_SECRET) {
  return createSetupHandler({
    streamCredentials: async () => ({ apiKey: API_KEY, apiSecret }),
    snsKeys: async () => ({ snsKey: 'AKIAKEYS', snsSecret: 'keys-secret' }),
    options: { baseUrl: stream.baseUrl, retryBaseDelayMs: 10, attempts: 2 },
    onWait: () => undefined,
  });
}

function request(
  type: 'Create' | 'Update' | 'Delete',
  properties: Record<string, string | undefined> = {},
  physicalResourceId?: string,
  oldProperties: Record<string, string> = {},
) {
  const all = { TopicArn: TOPIC, AuthType: 'resource', EventTypes: '', Routing: 'single-topic', ...properties };
  const defined = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return streamHookRequest(type, {
    responseUrl: responses.url,
    properties: defined,
    physicalResourceId,
    oldProperties: { TopicArn: TOPIC, ...oldProperties },
  });
}
/** A hook for `topic` that an operator made by hand before the stack existed, under an id Stream gave it. */
const madeByHand = (topic = TOPIC, id = 'made-by-operator'): FakeStreamHook => ({
  id,
  hook_type: 'sns',
  enabled: false,
  sns_topic_arn: topic,
  sns_region: 'us-east-1',
  sns_auth_type: 'resource',
  event_types: ['message.new'],
  created_at: '2025-12-01T00:00:00Z',
  updated_at: '2025-12-01T00:00:00Z',
});
/** The previous version's hook (or `npm run setup`'s), under the deterministic id, with other settings. */
const previousVersions = (): FakeStreamHook => madeByHand(TOPIC, hookIdFor(TOPIC));
const hook = (id: string) => stream.hooks.find((current) => current.id === id);
const failingCheck = () => (stream.checkAnswer = { status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' });
const rollbackDelete = (create: CloudFormationCustomResourceEvent, physicalResourceId: string) =>
  ({
    ...create,
    RequestType: 'Delete',
    RequestId: randomUUID(),
    PhysicalResourceId: physicalResourceId,
  }) as CloudFormationCustomResourceEvent;
const writes = () => stream.requests.filter((call) => call.method === 'PATCH');

describe('setup custom resource: rollback as CloudFormation runs it', () => {
  it('a Create that fails after writing the hook, then the Delete with the physical id of the FAILED answer, leave no hook', async () => {
    // Prepare: Stream accepts the hook, then its SNS check fails, so the Create answers FAILED and the stack rolls back.
    stream.hooks.push(...HOOKS_OF_OTHERS);
    failingCheck();
    const create = request('Create');

    // Act
    await handlerWith()(create, lambdaContext());
    const failed = answers[0]!;
    const hooksAfterCreate = stream.hooks.filter((current) => current.sns_topic_arn === TOPIC);
    await handlerWith()(rollbackDelete(create, failed.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['FAILED', 'SUCCESS']);
    expect(recordOf(failed.PhysicalResourceId)).toEqual({ topicArn: TOPIC, created: [], adopted: [] });
    expect(hooksAfterCreate).toEqual([]);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it("an Update to a new topic that fails, then the rollback Update to the old topic, leave only the old topic's hook", async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());
    const physicalResourceId = answers[0]!.PhysicalResourceId as string;
    stream.checkAnswer = { status: 'error', error: 'topic not found' };

    // Act
    await handlerWith()(request('Update', { TopicArn: NEW_TOPIC }, physicalResourceId), lambdaContext());
    stream.checkAnswer = { status: 'ok' };
    await handlerWith()(request('Update', {}, answers[1]!.PhysicalResourceId as string, { TopicArn: NEW_TOPIC }), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'FAILED', 'SUCCESS']);
    expect(answers.map((answer) => answer.PhysicalResourceId)).toEqual([physicalResourceId, physicalResourceId, physicalResourceId]);
    expect(stream.hooks.map((current) => current.sns_topic_arn)).toEqual([TOPIC]);
  });

  it("an Update to a new topic that succeeds gets a new physical id, and the cleanup Delete of the old one removes the old topic's hook only", async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());
    const old = answers[0]!.PhysicalResourceId as string;

    // Act
    await handlerWith()(request('Update', { TopicArn: NEW_TOPIC }, old), lambdaContext());
    await handlerWith()(request('Delete', {}, old), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(answers[1]!.PhysicalResourceId).not.toBe(old);
    expect(stream.hooks.map((current) => current.sns_topic_arn)).toEqual([NEW_TOPIC]);
  });
});

describe('setup custom resource: what a failed or removed stack leaves (case 10)', () => {
  it.each([
    ['made by an operator', () => madeByHand()],
    ["of a previous version (or npm run setup's), under our id", previousVersions],
  ])('case 10: a Create that fails, and its rollback Delete, put back a hook for the topic %s, as it was', async (_, existing) => {
    // Prepare
    const before = existing();
    stream.hooks.push(structuredClone(before));
    failingCheck();
    const create = request('Create');

    // Act
    await handlerWith()(create, lambdaContext());
    const afterCreate = structuredClone(hook(before.id));
    await handlerWith()(rollbackDelete(create, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['FAILED', 'SUCCESS']);
    for (const state of [afterCreate, hook(before.id)]) {
      expect(state).toMatchObject({ enabled: false, event_types: ['message.new'], sns_topic_arn: TOPIC, sns_auth_type: 'resource' });
    }
    expect(stream.hooks).toHaveLength(1);
  });

  it("case 10: a stack that adopted an operator's hook puts back its settings on Delete instead of deleting it", async () => {
    // Prepare
    stream.hooks.push(madeByHand());
    await handlerWith()(request('Create'), lambdaContext());
    const adoptedWhileLive = structuredClone(hook('made-by-operator'));

    // Act
    await handlerWith()(request('Delete', {}, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers[0]).toMatchObject({ Status: 'SUCCESS', Data: { Created: '', Adopted: 'made-by-operator' } });
    expect(adoptedWhileLive).toMatchObject({ enabled: true, event_types: [] });
    expect(stream.hooks).toEqual([expect.objectContaining({ id: 'made-by-operator', enabled: false, event_types: ['message.new'] })]);
    expect(answers[1]?.Reason).toBe('removed: none; put back: made-by-operator');
  });

  it("case 10: an Update to a new topic that fails puts back the hook that topic already had, and leaves the old topic's", async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());
    stream.hooks.push(madeByHand(NEW_TOPIC));
    failingCheck();

    // Act
    await handlerWith()(request('Update', { TopicArn: NEW_TOPIC }, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'FAILED']);
    expect(stream.hooks).toEqual([
      expect.objectContaining({ id: hookIdFor(TOPIC), sns_topic_arn: TOPIC, enabled: true }),
      expect.objectContaining({ id: 'made-by-operator', sns_topic_arn: NEW_TOPIC, enabled: false, event_types: ['message.new'] }),
    ]);
  });

  it('case 10: a Create refuses, before writing, a topic with several hooks already, which it could not put back', async () => {
    // Prepare
    stream.hooks.push(madeByHand(TOPIC, 'hand-1'), madeByHand(TOPIC, 'hand-2'));

    // Act
    await handlerWith()(request('Create'), lambdaContext());
    await handlerWith()(rollbackDelete(request('Create'), answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers[0]).toMatchObject({
      Status: 'FAILED',
      Reason:
        `Stream's app already holds 2 hooks for ${TOPIC} (hand-1, hand-2). The deploy would delete all but one and could not put them ` +
        `back if it failed. Reduce them to one first (npm run setup -- --topic-arn ${TOPIC} does), then deploy again. Nothing was written.`,
    });
    expect(writes()).toEqual([]);
    expect(stream.hooks.map((current) => current.id)).toEqual(['hand-1', 'hand-2']);
  });

  it('case 10: a Create refuses, before writing, a hook whose settings are too long for the record, which it could not put back', async () => {
    // Prepare: per-category, hand-made hooks for the messages topic and for the events topic, this one with a long
    // list of event types.
    const eventTypes = Array.from({ length: 40 }, (_, index) => `custom.long-event-type.${index}`);
    stream.hooks.push(madeByHand(`${TOPIC}-messages`, 'hand-messages'), { ...madeByHand(), event_types: eventTypes });

    // Act
    await handlerWith()(request('Create', { Routing: 'per-category' }), lambdaContext());

    // Assess
    expect(answers).toEqual([
      expect.objectContaining({
        Status: 'FAILED',
        PhysicalResourceId: 'StreamHook-not-created',
        Reason:
          `the settings of the hooks already there for ${TOPIC} (hand-messages, made-by-operator) are too long to record in the stack (1 KB), so a ` +
          'rollback could not put them back. Remove them or shorten their event types, then deploy again. Nothing was written.',
      }),
    ]);
    expect(writes()).toEqual([]);
    expect(hook('made-by-operator')?.event_types).toEqual(eventTypes);
  });

  it('case 10: the Delete of a per-category stack names every hook it removed and every hook it put back', async () => {
    // Prepare: hand-made hooks for the events topic and the messages topic, which the Create adopts.
    stream.hooks.push(madeByHand(TOPIC, 'hand-events'), madeByHand(`${TOPIC}-messages`, 'hand-messages'));
    await handlerWith()(request('Create', { Routing: 'per-category' }), lambdaContext());

    // Act
    await handlerWith()(request('Delete', { Routing: 'per-category' }, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    const [, removed = '', putBack = ''] = /^removed: (.+); put back: (.+)$/.exec(String(answers[1]?.Reason)) ?? [];
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(removed.split(', ').sort()).toEqual(
      ['channels', 'users', 'moderation'].map((category) => hookIdFor(`${TOPIC}-${category}`)).sort(),
    );
    expect(putBack.split(', ').sort()).toEqual(['hand-events', 'hand-messages']);
    expect(stream.hooks.map((current) => current.id).sort()).toEqual(['hand-events', 'hand-messages']);
  });

  it('case 10: the Delete of a stack set up by an older version removes the hook with our id and names the others for the topic', async () => {
    // Prepare
    stream.hooks.push({ ...previousVersions(), enabled: true }, madeByHand(TOPIC, 'made-by-operator'), madeByHand(TOPIC, 'made-later'));

    // Act
    await handlerWith()(request('Delete', {}, `stream-sns-hook:${TOPIC}`), lambdaContext());

    // Assess
    expect(answers).toEqual([
      expect.objectContaining({
        Status: 'SUCCESS',
        Reason: `removed: ${hookIdFor(TOPIC)}; put back: none; left (not created by this stack): made-by-operator, made-later`,
      }),
    ]);
    expect(stream.hooks.map((current) => current.id)).toEqual(['made-by-operator', 'made-later']);
  });

  it('case 10: the rollback Delete of a Create that wrote nothing (physical id StreamHook-not-created) removes nothing', async () => {
    // Prepare
    stream.hooks.push(previousVersions(), madeByHand(TOPIC, 'left-by-v1'));

    // Act
    await handlerWith()(request('Delete', {}, 'StreamHook-not-created'), lambdaContext());

    // Assess
    expect(answers).toEqual([expect.objectContaining({ Status: 'SUCCESS', Reason: 'no hook was recorded as written: nothing removed' })]);
    expect(stream.hooks).toHaveLength(2);
    expect(stream.requests).toEqual([]);
  });
});

describe('setup custom resource: registerHookOnDeploy false (case 11)', () => {
  it('case 11: an Update from true to false leaves the live hook and keeps the physical id, so no Delete follows; a later Delete removes nothing', async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());
    const physicalResourceId = answers[0]!.PhysicalResourceId;
    const live = structuredClone(stream.hooks);
    const requestsBefore = stream.requests.length;

    // Act
    await handlerWith()(request('Update', { Register: 'false' }, physicalResourceId, { Register: 'true' }), lambdaContext());
    await handlerWith()(request('Delete', { Register: 'false' }, physicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => [answer.Status, answer.PhysicalResourceId])).toEqual([
      ['SUCCESS', physicalResourceId],
      ['SUCCESS', physicalResourceId],
      ['SUCCESS', physicalResourceId],
    ]);
    expect(answers[2]?.Reason).toContain(`to remove this stack's, run npm run setup -- --topic-arn ${TOPIC} --remove`);
    expect(stream.hooks).toEqual(live);
    expect(stream.requests).toHaveLength(requestsBefore);
  });

  it('case 11: a Create with false touches nothing, and a later Update to true registers the hook', async () => {
    // Act
    await handlerWith()(request('Create', { Register: 'false' }), lambdaContext());
    const untouched = stream.requests.length;
    await handlerWith()(request('Update', { Register: 'true' }, answers[0]!.PhysicalResourceId, { Register: 'false' }), lambdaContext());

    // Assess
    expect(untouched).toBe(0);
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(recordOf(answers[1]!.PhysicalResourceId)).toEqual({ topicArn: TOPIC, created: [hookIdFor(TOPIC)], adopted: [] });
    expect(stream.hooks).toEqual([expect.objectContaining({ id: hookIdFor(TOPIC), enabled: true })]);
  });

  it('case 11: switched back to true, the stack keeps its record, so removing the stack then deletes the hook it created', async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());
    const physicalResourceId = answers[0]!.PhysicalResourceId;
    await handlerWith()(request('Update', { Register: 'false' }, physicalResourceId, { Register: 'true' }), lambdaContext());

    // Act
    await handlerWith()(request('Update', { Register: 'true' }, physicalResourceId, { Register: 'false' }), lambdaContext());
    await handlerWith()(request('Delete', { Register: 'true' }, answers[2]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.PhysicalResourceId)).toEqual([
      physicalResourceId,
      physicalResourceId,
      physicalResourceId,
      physicalResourceId,
    ]);
    expect(stream.hooks).toEqual([]);
  });
});

describe('setup custom resource: a Delete needs no auth type (case 9)', () => {
  it('case 9: a Delete whose properties have no AuthType removes the hook the stack created', async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());

    // Act
    await handlerWith()(request('Delete', { AuthType: undefined, EventTypes: undefined }, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => [answer.Status, answer.Reason])).toEqual([
      ['SUCCESS', 'done'],
      ['SUCCESS', `removed: ${hookIdFor(TOPIC)}; put back: none`],
    ]);
    expect(stream.hooks).toEqual([]);
  });
});

describe('setup custom resource', () => {
  it('Create registers the hook and answers SUCCESS once, its physical id and Data recording what it created', async () => {
    // Act
    await handlerWith()(request('Create'), lambdaContext());

    // Assess
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      method: 'PUT',
      Status: 'SUCCESS',
      LogicalResourceId: 'StreamHook',
      Data: { TopicArn: TOPIC, Created: hookIdFor(TOPIC), Adopted: '', Changed: 'true', Check: 'ok' },
    });
    expect(recordOf(answers[0]!.PhysicalResourceId)).toEqual({ topicArn: TOPIC, created: [hookIdFor(TOPIC)], adopted: [] });
    expect(stream.hooks).toHaveLength(1);
  });

  it('Update applies the new settings in place, keeps the physical id, and answers SUCCESS once', async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());

    // Act
    await handlerWith()(request('Update', { EventTypes: 'message.new,user.banned' }, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(answers[1]!.PhysicalResourceId).toBe(answers[0]!.PhysicalResourceId);
    expect(stream.hooks).toHaveLength(1);
    expect(stream.hooks[0]?.event_types).toEqual(['message.new', 'user.banned']);
  });

  it('Delete removes only our hook and answers SUCCESS once', async () => {
    // Prepare
    stream.hooks.push({ id: 'keep-me', hook_type: 'webhook', webhook_url: 'https://example.org' });
    await handlerWith()(request('Create'), lambdaContext());

    // Act
    await handlerWith()(request('Delete', {}, answers[0]!.PhysicalResourceId), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(stream.hooks.map((current) => current.id)).toEqual(['keep-me']);
  });

  it('answers FAILED once, with the reason, when Stream rejects the credentials, with a physical id that records nothing', async () => {
    // Act
    await handlerWith('wrong-secret')(request('Create'), lambdaContext());

    // Assess
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'StreamHook-not-created' });
    expect(answers[0]?.Reason).toMatch(/Stream rejected the API key or secret/);
    expect(JSON.stringify(answers)).not.toContain(API_SECRET);
  });

  it("answers FAILED once when Stream's SNS check fails", async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: 'not authorized' };

    // Act
    await handlerWith()(request('Create'), lambdaContext());

    // Assess
    expect(answers).toHaveLength(1);
    expect(answers[0]?.Status).toBe('FAILED');
    expect(answers[0]?.Reason).toMatch(/SNS check failed.*not authorized.*topic policy/);
  });

  it('answers Delete with SUCCESS and the reason when the hook cannot be removed, so the stack is not stuck', async () => {
    // Prepare
    await stream.close();

    // Act
    await handlerWith()(request('Delete', {}, `stream-sns-hook:${TOPIC}`), lambdaContext());

    // Assess
    expect(answers).toHaveLength(1);
    expect(answers[0]?.Status).toBe('SUCCESS');
    expect(answers[0]?.Reason).toMatch(/hooks not removed: Stream is unreachable/);
    stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  });

  it('answers FAILED before the deadline when the function has too little time left to apply and undo', async () => {
    // Prepare: 6 s left: 1 s of work, all of it kept to undo; nothing may reach Stream.
    const started = Date.now();

    // Act
    await handlerWith()(request('Create'), lambdaContext({ timeoutMs: 6_000 }));

    // Assess
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringContaining('the setup stopped at its deadline before finishing'),
    });
    expect(stream.requests).toEqual([]);
  });
});
