/**
 * The setup function's answer to CloudFormation: PUT once to the pre-signed response URL (a local stand-in that
 * refuses like S3), retried when refused, within the time kept for it, never larger than CloudFormation accepts;
 * the work stopped at its deadline so that nothing reaches Stream after the answer. The waits are the program's own
 * timers, so they run on vitest's fake clock: the tests read it, and skip each wait as it starts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { type AnswerOptions, answerCustomResource } from '../../functions/setup/custom-resource.js';
import type { Deadline } from '../../functions/setup/deadlines.js';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { SecretScrubber } from '../../functions/setup/scrubber.js';
import type { SetupWait } from '../../functions/setup/stream-app.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { type FakeStream, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'answer-api-key-e40a';
const API_SECRET = 'answer-api-secret-93d1c7';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';
/** CloudFormation refuses a custom resource response larger than this ("Response object is too long"). */
const RESPONSE_LIMIT_BYTES = 4096;

let stream: FakeStream;
let responses: ResponseUrl;
/** Every wait the code started, as it reported it (on the fake clock). */
let waits: SetupWait[];
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  responses = await startResponseUrl();
  waits = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await stream.close();
  await responses.close();
});

/** Records a wait, then lets it pass on the fake clock as soon as its timer is set. */
const skipWait = (wait: SetupWait) => {
  waits.push(wait);
  queueMicrotask(() => vi.advanceTimersByTime(wait.ms));
};
const answering = (): AnswerOptions => ({ scrubber: new SecretScrubber(), log: () => undefined, onWait: skipWait });
const settings = { topicArn: TOPIC, authType: 'resource' as const, routing: 'single-topic' as const, catchAll: true, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const create = () =>
  streamHookRequest('Create', {
    responseUrl: responses.url,
    properties: { TopicArn: TOPIC, AuthType: 'resource', EventTypes: '', Routing: 'single-topic' },
  });
/** The work of a Create: apply against the Stream stand-in, stopping at its deadline. */
const applyWork = (deadline: Deadline) =>
  runSetup('apply', settings, credentials, {
    baseUrl: stream.baseUrl,
    retryBaseDelayMs: 10,
    signal: deadline.signal,
    deadlineAt: deadline.at,
    onWait: skipWait,
  }).then(() => ({
    physicalResourceId: 'stream-hooks:test',
  }));
const failedWith = () => 'StreamHook-not-created';

describe('setup custom resource: delivering the answer', () => {
  it('answers on the third attempt when the response URL refuses the first two, waiting 500 ms between attempts', async () => {
    // Prepare
    responses.refuseNext.push(503, 500);

    // Act
    await answerCustomResource(create(), lambdaContext(), applyWork, failedWith, answering());

    // Assess
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(responses.attempts).toHaveLength(3);
    expect(waits).toEqual([
      { name: 'CloudFormation answer', ms: 500, call: 'answer CloudFormation' },
      { name: 'CloudFormation answer', ms: 500, call: 'answer CloudFormation' },
    ]);
    const [first = 0, second = 0, third = 0] = responses.attempts;
    expect([second - first, third - second]).toEqual([500, 500]);
  });

  it('sends an empty Content-Type, which the signature of the pre-signed URL does not cover', async () => {
    // Act
    await answerCustomResource(create(), lambdaContext(), applyWork, failedWith, answering());

    // Assess: the stand-in refuses a Content-Type with 403, as S3 does.
    expect(responses.attempts).toHaveLength(1);
    expect(responses.answers).toHaveLength(1);
  });

  it.each([
    ['refuses every attempt', [503, 503, 503], 'could not answer CloudFormation: HTTP 503'],
    ['drops the connection on the last attempt', [503, 503, 'drop'], 'could not answer CloudFormation: fetch failed'],
  ] as const)('fails the invocation, saying why, as soon as the response URL %s', async (_, refusals, reason) => {
    // Prepare
    responses.refuseNext.push(...refusals);

    // Act
    const failure = await answerCustomResource(create(), lambdaContext(), applyWork, failedWith, answering()).catch(
      (error: unknown) => error,
    );

    // Assess: no wait after the last attempt: the time kept to answer counts two waits, not three.
    expect((failure as Error).message).toBe(reason);
    expect(responses.attempts).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('gives up an attempt that gets no answer within 4 s, and says so once every attempt has', async () => {
    // Prepare: the response URL holds each PUT open without answering.
    responses.refuseNext.push('hold', 'hold', 'hold');
    const done = async () => ({ physicalResourceId: 'stream-hooks:test' });

    // Act
    const answered = answerCustomResource(create(), lambdaContext(), done, failedWith, answering()).catch((error: unknown) => error);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      // setImmediate is real: it lets the PUT reach the stand-in before the fake clock moves 4 s.
      while (responses.attempts.length < attempt) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(4_000);
    }
    const failure = await answered;

    // Assess
    expect((failure as Error).message).toBe('could not answer CloudFormation: no answer within 4 s');
    expect(responses.attempts).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it("cuts the Reason at CloudFormation's limit of 1,000 characters", async () => {
    // Prepare
    const reason = `the setup failed: ${'a long reason; '.repeat(100)}`;
    const failing = async () => Promise.reject(new Error(reason));

    // Act
    await answerCustomResource(create(), lambdaContext(), failing, failedWith, answering());

    // Assess
    expect(responses.answers).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: reason.slice(0, 1_000) })]);
  });

  it("keeps the answer within CloudFormation's size limit when Stream's reason is very long", async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: `AuthorizationError: ${'not authorized to publish; '.repeat(400)}` };
    const handler = createSetupHandler({
      streamCredentials: async () => credentials,
      options: { baseUrl: stream.baseUrl },
      onWait: skipWait,
    });

    // Act
    await handler(create(), lambdaContext());

    // Assess
    const [answer] = responses.answers;
    expect(answer?.Status).toBe('FAILED');
    expect(answer?.Reason).toMatch(/^Stream's SNS check failed: status error, "AuthorizationError: not authorized to publish; /);
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
  });
});

describe('setup custom resource: no timer outlives the invocation', () => {
  it('clears the deadlines of the work and of the apply, and the time limit of each attempt at the answer', async () => {
    // Prepare: the first attempt at the answer is refused, so that two attempts are made.
    responses.refuseNext.push(503);
    const handler = createSetupHandler({
      streamCredentials: async () => credentials,
      options: { baseUrl: stream.baseUrl, retryBaseDelayMs: 10 },
      onWait: skipWait,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });

    // Act: fetch's own timers (undici's keep-alive, 3 s, and its half-second clock) end within 3.5 s; the program's
    // would still be pending: the work's deadline and the apply's for over a minute, an attempt's limit for 4 s.
    await handler(create(), lambdaContext({ timeoutMs: 120_000 }));
    await vi.advanceTimersByTimeAsync(3_500);

    // Assess: a timer left pending would abort, seconds later, work that has ended.
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(responses.attempts).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('setup custom resource: the deadline of the work', () => {
  it('gives the work the remaining time less 15 s: a rate limit asking for longer fails at once, and nothing reaches Stream after the answer', async () => {
    // Prepare: 17 s left, so 2 s of work; Stream rate limits the first read for 3 s.
    stream.failNext.push({ status: 429, headers: { 'retry-after': '3' } });

    // Act
    await answerCustomResource(create(), lambdaContext({ timeoutMs: 17_000 }), applyWork, failedWith, answering());
    await vi.advanceTimersByTimeAsync(5_000);

    // Assess
    expect(responses.answers.map((answer) => [answer.Status, answer.Reason])).toEqual([
      [
        'FAILED',
        'the setup stopped at its deadline before finishing (read app settings: the 3 s wait for the Stream rate limit would end after it); deploy again, or run npm run setup to finish it',
      ],
    ]);
    expect(waits).toEqual([]);
    expect(stream.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /app']);
  });

  it('answers FAILED when the work is still under way at its deadline, naming the time it had', async () => {
    // Prepare: 17 s left, so 2 s of work, which never ends on its own.
    const endless = () => new Promise<never>(() => undefined);

    // Act
    const answered = answerCustomResource(create(), lambdaContext({ timeoutMs: 17_000 }), endless, failedWith, answering());
    await vi.advanceTimersByTimeAsync(2_000);
    await answered;

    // Assess
    expect(responses.answers).toEqual([
      expect.objectContaining({
        Status: 'FAILED',
        Reason: 'the setup did not finish within 2 s',
        PhysicalResourceId: 'StreamHook-not-created',
      }),
    ]);
  });
});
