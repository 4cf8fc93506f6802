/**
 * The setup function's answer to CloudFormation: PUT once to the pre-signed response URL (a local stand-in that
 * refuses like S3), retried when refused, within the time kept for it, never larger than CloudFormation accepts;
 * the work stopped at its deadline so that nothing reaches Stream after the answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerCustomResource } from '../../functions/setup/custom-resource.js';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { type FakeStream, startFakeStream } from '../support/fake-stream.js';
import { lambdaContext } from '../../scripts/local/lambda-context.cjs';

const API_KEY = 'answer-api-key-e40a';
const API_SECRET = 'answer-api-secret-93d1c7';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';
/** CloudFormation refuses a custom resource response larger than this ("Response object is too long"). */
const RESPONSE_LIMIT_BYTES = 4096;
/** The wait between two attempts of the answer. */
const RETRY_DELAY_MS = 500;

let stream: FakeStream;
let responses: ResponseUrl;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  responses = await startResponseUrl();
});
afterEach(async () => {
  await stream.close();
  await responses.close();
});

const settings = { topicArn: TOPIC, authType: 'resource' as const, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const create = () => streamHookRequest('Create', { responseUrl: responses.url, properties: { TopicArn: TOPIC, AuthType: 'resource', EventTypes: '' } });
/** The work of a Create: apply against the Stream stand-in, stopping when told to. */
const applyWork = (signal: AbortSignal) =>
  runSetup('apply', settings, credentials, { baseUrl: stream.baseUrl, retryBaseDelayMs: 10, signal }).then(() => ({ physicalResourceId: `stream-sns-hook:${TOPIC}` }));
const noLog = () => undefined;

describe('setup custom resource: delivering the answer', () => {
  it('answers on the third attempt when the response URL refuses the first two, waiting between attempts', async () => {
    // Prepare
    responses.refuseNext.push(503, 500);

    // Act
    await answerCustomResource(create(), lambdaContext(), applyWork, `stream-sns-hook:${TOPIC}`, noLog);

    // Assess
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(responses.attempts).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = responses.attempts;
    expect(second - first).toBeGreaterThanOrEqual(RETRY_DELAY_MS - 5);
    expect(third - second).toBeGreaterThanOrEqual(RETRY_DELAY_MS - 5);
  });

  it('sends an empty Content-Type, which the signature of the pre-signed URL does not cover', async () => {
    // Act
    await answerCustomResource(create(), lambdaContext(), applyWork, `stream-sns-hook:${TOPIC}`, noLog);

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
    const failure = await answerCustomResource(create(), lambdaContext(), applyWork, `stream-sns-hook:${TOPIC}`, noLog).catch((error: unknown) => error);
    const failedAt = Date.now();

    // Assess
    expect((failure as Error).message).toBe(reason);
    expect(responses.attempts).toHaveLength(3);
    // No wait after the last attempt: the time kept to answer counts two waits, not three.
    expect(failedAt - (responses.attempts[2] ?? 0)).toBeLessThan(RETRY_DELAY_MS);
  });

  it("keeps the answer within CloudFormation's size limit when Stream's reason is very long", async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: `AuthorizationError: ${'not authorized to publish; '.repeat(400)}` };
    const handler = createSetupHandler({
      streamCredentials: async () => credentials,
      options: { baseUrl: stream.baseUrl },
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

describe('setup custom resource: the deadline of the work', () => {
  it('gives the work the remaining time less 15 s, then stops it: nothing reaches Stream after the answer', async () => {
    // Prepare: 17 s left, so 2 s of work; Stream rate limits the first read for 3 s.
    stream.failNext.push({ status: 429, headers: { 'retry-after': '3' } });
    const started = Date.now();

    // Act
    await answerCustomResource(create(), lambdaContext({ timeoutMs: 17_000 }), applyWork, `stream-sns-hook:${TOPIC}`, noLog);
    const answeredAfter = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 3_500 - answeredAfter));

    // Assess
    expect(responses.answers.map((answer) => [answer.Status, answer.Reason])).toEqual([['FAILED', 'the setup did not finish within 2 s']]);
    expect(stream.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /app']);
    expect(stream.hooks).toEqual([]);
  });
});
