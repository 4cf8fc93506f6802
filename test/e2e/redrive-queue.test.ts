/**
 * `npm run redrive -- --queue` (its `main`, in-process) against local stand-ins of SQS, Lambda and SNS, through the
 * real SDK clients (pointed there by AWS_ENDPOINT_URL_SQS, _LAMBDA, _SNS): each message is sent again as its kind says and deleted
 * only after that succeeded; a message whose redrive failed stays in the queue and the exit status says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/redrive.js';
import { capturedIo } from '../support/command-io.js';
import { type FakeLambda, startFakeLambda } from '../support/fake-lambda.js';
import { type FakeSns, startFakeSns } from '../support/fake-sns.js';
import { type FakeSqs, startFakeSqs } from '../support/fake-sqs.js';

const FUNCTION_ARN = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:stream-chat-events-prod-${name}:$LATEST`;
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:stream-chat-events-prod-events';
const QUEUE = 'stream-chat-events-prod-messages-dlq';

/** A Lambda on-failure record, as Lambda sends it to an SQS destination. */
const onFailureRecord = (name: string, payload: unknown) =>
  JSON.stringify({
    version: '1.0',
    timestamp: '2026-07-14T12:00:00.000Z',
    requestContext: {
      requestId: `request-${name}`,
      functionArn: FUNCTION_ARN(name),
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: payload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'downstream unavailable' },
  });
/** An SNS notification, as a subscription's redrive policy keeps it. */
const snsMessage = (message: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'c346279d-abe3-5057-a68f-2ff0ddb82bb7',
    TopicArn: TOPIC_ARN,
    Message: message,
    Timestamp: '2026-07-14T12:00:00.000Z',
    SignatureVersion: '1',
  });

let sqs: FakeSqs;
let lambda: FakeLambda;
let sns: FakeSns;
beforeEach(async () => {
  [sqs, lambda, sns] = await Promise.all([startFakeSqs(), startFakeLambda(), startFakeSns()]);
  sns.topics.add(TOPIC_ARN);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([sqs.close(), lambda.close(), sns.close()]);
});

async function redrive(args: string[]): Promise<{ code: number; report: any; stderr: string }> {
  const env = {
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  // The SDK clients read their endpoints and credentials from the process's environment.
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const io = capturedIo();
  const code = await main(['--json', ...args], io);
  return { code, report: io.out ? JSON.parse(io.out) : undefined, stderr: io.err };
}

const outcomes = (report: { records: Array<{ kind: string; outcome: string }> }) =>
  report.records.map((record) => `${record.kind} ${record.outcome}`);

describe('npm run redrive -- --queue', () => {
  it('re-invokes on-failure records, republishes SNS messages, deletes each only after it succeeded', async () => {
    // Prepare
    const queueUrl = sqs.createQueue(QUEUE, [
      onFailureRecord('messages', { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'first' } }] }),
      onFailureRecord('channels', { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'second' } }] }),
      snsMessage('H4sIAAAAAAAA/6tWKqksSFWyUlDKSy1XqAUA'),
      'not a record at all',
    ]);
    lambda.answer = ({ functionName }) =>
      functionName.includes('channels')
        ? { functionError: 'Unhandled', payload: { errorType: 'Error', errorMessage: 'still broken' } }
        : { payload: { outcome: 'processed' } };

    // Act
    const { code, report } = await redrive(['--queue', queueUrl]);

    // Assess
    expect(code).toBe(1);
    expect(outcomes(report)).toEqual(['lambda redriven', 'lambda failed', 'sns redriven', 'unreadable failed']);
    expect(report.records[0].detail).toBe('processed');
    expect(report.records[1].detail).toMatch(/^FunctionError Unhandled: .*still broken/);
    expect(lambda.invocations).toEqual([
      {
        functionName: FUNCTION_ARN('messages'),
        invocationType: 'RequestResponse',
        // Marked as sent again, so that its age is counted apart (ReplayedEventAge).
        payload: { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'first' } }], streamReprocess: {} },
      },
      {
        functionName: FUNCTION_ARN('channels'),
        invocationType: 'RequestResponse',
        // Marked as sent again, so that its age is counted apart (ReplayedEventAge).
        payload: { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'second' } }], streamReprocess: {} },
      },
    ]);
    expect(sns.publishes).toEqual([{ topicArn: TOPIC_ARN, message: 'H4sIAAAAAAAA/6tWKqksSFWyUlDKSy1XqAUA', subject: undefined }]);
    expect(sqs.bodies(QUEUE)).toEqual([
      onFailureRecord('channels', { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'second' } }] }),
      'not a record at all',
    ]);
    expect(report.summary).toEqual({ records: 4, redriven: 2, failed: 2, dryRun: false });
  });

  it('rides out answers that fail the way AWS fails: an invoke applied then 500 is retried; a 202 to a synchronous invoke is not success', async () => {
    // Prepare: the queue by name, as an operator types it.
    sqs.createQueue(QUEUE, [
      onFailureRecord('messages', { n: 1 }),
      onFailureRecord('users', { n: 2 }),
      snsMessage('{"type":"message.new"}'),
    ]);
    lambda.failNext.push({ when: ({ path }) => path.includes('messages'), status: 500, applied: true });
    sns.failNext.push({ when: () => true, status: 500, applied: false });
    sqs.failNext.push({ when: ({ headers }) => headers['x-amz-target'] === 'AmazonSQS.DeleteMessage', status: 500, applied: true });
    lambda.answer = ({ functionName }) =>
      functionName.includes('users') ? { status: 202, payload: {} } : { payload: { outcome: 'duplicate' } };

    // Act
    const { code, report } = await redrive(['--queue', QUEUE, '--region', 'eu-west-1']);

    // Assess
    expect(code).toBe(1);
    expect(outcomes(report)).toEqual(['lambda redriven', 'lambda failed', 'sns redriven']);
    expect(report.records[1].detail).toMatch(/status 202/);
    expect(lambda.invocations.map((invocation) => invocation.functionName)).toEqual([
      FUNCTION_ARN('messages'),
      FUNCTION_ARN('messages'),
      FUNCTION_ARN('users'),
    ]);
    expect(sns.publishes).toHaveLength(1);
    expect(sqs.bodies(QUEUE)).toEqual([onFailureRecord('users', { n: 2 })]);
  });

  it('with --dry-run sends and deletes nothing, and leaves every message visible', async () => {
    // Prepare
    const queueUrl = sqs.createQueue(QUEUE, [onFailureRecord('messages', { n: 1 }), snsMessage('x')]);

    // Act
    const { code, report } = await redrive(['--queue', queueUrl, '--dry-run']);
    const second = await redrive(['--queue', queueUrl, '--dry-run']);

    // Assess
    expect(code).toBe(0);
    expect(outcomes(report)).toEqual(['lambda dry-run', 'sns dry-run']);
    expect(lambda.invocations).toEqual([]);
    expect(sns.publishes).toEqual([]);
    expect(sqs.actions).not.toContain('DeleteMessage');
    expect(outcomes(second.report)).toEqual(['lambda dry-run', 'sns dry-run']);
  });

  it('stops with status 2 and the reason when the queue does not exist', async () => {
    // Act
    const { code, stderr, report } = await redrive(['--queue', 'no-such-queue']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(/no queue named no-such-queue \(QueueDoesNotExist/);
    expect(report).toBeUndefined();
  });
});
