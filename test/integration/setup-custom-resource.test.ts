/**
 * The setup function as CloudFormation calls it: each request gets exactly one answer at its response URL (a
 * local server here), with the right status, whatever happens.
 */
import { randomUUID } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, HOOKS_OF_OTHERS, startFakeStream } from '../support/fake-stream.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { lambdaContext } from '../../emulator/index.js';

const API_KEY = 'cfn-api-key';
const API_SECRET = 'cfn-api-secret-5b1e';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';

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
    run: (action, settings, credentials, options) => runSetup(action, settings, credentials, { ...options, baseUrl: stream.baseUrl, retryBaseDelayMs: 10, attempts: 2 }),
  });
}

function request(type: 'Create' | 'Update' | 'Delete', properties: Record<string, string> = {}, physicalResourceId?: string) {
  return streamHookRequest(type, { responseUrl: responses.url, properties: { TopicArn: TOPIC, AuthType: 'resource', EventTypes: '', ...properties }, physicalResourceId });
}

describe('setup custom resource: rollback as CloudFormation runs it', () => {
  it('a Create that fails after writing the hook, then the Delete with the physical id of the FAILED answer, leave no hook', async () => {
    // Prepare: Stream accepts the hook, then its SNS check fails, so the Create answers FAILED and the stack rolls back.
    stream.hooks.push(...HOOKS_OF_OTHERS);
    stream.checkAnswer = { status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' };
    const create = request('Create');

    // Act
    await handlerWith()(create, lambdaContext());
    const failed = answers[0]!;
    const hooksAfterCreate = stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC);
    await handlerWith()({ ...create, RequestType: 'Delete', RequestId: randomUUID(), PhysicalResourceId: failed.PhysicalResourceId } as CloudFormationCustomResourceEvent, lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['FAILED', 'SUCCESS']);
    expect(failed.PhysicalResourceId).toBe(`stream-sns-hook:${TOPIC}`);
    expect(hooksAfterCreate).toEqual([]);
    expect(stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC)).toEqual([]);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('the rollback Delete of a Create answered by an older version (physical id StreamHook-not-created) removes the hook of its topic', async () => {
    // Prepare
    stream.hooks.push({ id: 'left-by-v1', hook_type: 'sns', enabled: true, sns_topic_arn: TOPIC, sns_region: 'us-east-1', sns_auth_type: 'resource', event_types: [] });

    // Act
    await handlerWith()(request('Delete', {}, 'StreamHook-not-created'), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(stream.hooks).toEqual([]);
  });

  it('an Update to a new topic that fails, then the rollback Update to the old topic, leave only the old topic\'s hook', async () => {
    // Prepare
    const NEW_TOPIC = `${TOPIC}-v2`;
    await handlerWith()(request('Create'), lambdaContext());
    const physicalResourceId = answers[0]!.PhysicalResourceId as string;
    stream.checkAnswer = { status: 'error', error: 'topic not found' };

    // Act
    await handlerWith()(request('Update', { TopicArn: NEW_TOPIC }, physicalResourceId), lambdaContext());
    stream.checkAnswer = { status: 'ok' };
    await handlerWith()(request('Update', {}, answers[1]!.PhysicalResourceId as string), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'FAILED', 'SUCCESS']);
    expect(stream.hooks.map((hook) => hook.sns_topic_arn)).toEqual([TOPIC]);
  });
});

describe('setup custom resource', () => {
  it('Create registers the hook and answers SUCCESS once', async () => {
    // Act
    await handlerWith()(request('Create'), lambdaContext());

    // Assess
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ method: 'PUT', Status: 'SUCCESS', PhysicalResourceId: `stream-sns-hook:${TOPIC}`, LogicalResourceId: 'StreamHook', Data: { Changed: 'true', Check: 'ok' } });
    expect(stream.hooks).toHaveLength(1);
  });

  it('Update applies the new settings in place and answers SUCCESS once', async () => {
    // Prepare
    await handlerWith()(request('Create'), lambdaContext());

    // Act
    await handlerWith()(request('Update', { EventTypes: 'message.new,user.banned' }, `stream-sns-hook:${TOPIC}`), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(stream.hooks).toHaveLength(1);
    expect(stream.hooks[0]?.event_types).toEqual(['message.new', 'user.banned']);
  });

  it('Delete removes only our hook and answers SUCCESS once', async () => {
    // Prepare
    stream.hooks.push({ id: 'keep-me', hook_type: 'webhook', webhook_url: 'https://example.org' });
    await handlerWith()(request('Create'), lambdaContext());

    // Act
    await handlerWith()(request('Delete', {}, `stream-sns-hook:${TOPIC}`), lambdaContext());

    // Assess
    expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(stream.hooks.map((hook) => hook.id)).toEqual(['keep-me']);
  });

  it('answers FAILED once, with the reason, when Stream rejects the credentials', async () => {
    // Act
    await handlerWith('wrong-secret')(request('Create'), lambdaContext());

    // Assess
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `stream-sns-hook:${TOPIC}` });
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
    expect(answers[0]?.Reason).toMatch(/hook not removed: Stream is unreachable/);
    stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  });

  it('answers FAILED before the deadline when Stream does not answer in time', async () => {
    // Prepare: Stream keeps rate limiting with long waits; the function has 6 s left.
    stream.failNext.push(...Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '5' } })));
    const started = Date.now();

    // Act
    await handlerWith()(request('Create'), lambdaContext({ timeoutMs: 6_000 }));

    // Assess
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.Status).toBe('FAILED');
    expect(answers[0]?.Reason).toMatch(/did not finish within 1 s/);
  });
});
