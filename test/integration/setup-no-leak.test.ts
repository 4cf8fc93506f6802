/**
 * The whole setup against a production-like app (other teams' hooks of every type, with credentials): apply, apply
 * with keys, dry-run and remove, through the command (text and --json) and through the setup function (its real
 * Powertools log lines and its answers to CloudFormation). Other hooks stay byte for byte; no credential, theirs or
 * ours, appears in anything printed, logged or answered.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { CREDENTIALS_OF_OTHERS, type FakeStream, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { lambdaContext } from '../../scripts/local/lambda-context.cjs';
import { runSetupCli } from '../support/setup-cli.js';

const API_KEY = 'noleak-api-key-6a3f';
const API_SECRET = 'noleak-api-secret-e2d917';
const SNS_KEY = 'AKIANOLEAKPUB7Q3';
const SNS_SECRET = 'noleak-sns-secret-9c04ab';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';
/** Ours and theirs; a key counts beyond its first four characters. */
const CREDENTIALS = [...CREDENTIALS_OF_OTHERS, API_SECRET, API_KEY.slice(4), SNS_SECRET, SNS_KEY.slice(4)];

let stream: FakeStream;
let responses: ResponseUrl;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
  responses = await startResponseUrl();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await stream.close();
  await responses.close();
});

/** Runs `act` while collecting what the process writes to stdout and stderr (where Powertools Logger writes). */
async function captureOutput(act: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const keep = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  try {
    await act();
  } finally {
    vi.restoreAllMocks();
  }
  return written.join('');
}

function customResourceRequest(type: 'Create' | 'Update' | 'Delete', authType: string) {
  return streamHookRequest(type, {
    responseUrl: responses.url,
    properties: { TopicArn: TOPIC, AuthType: authType, EventTypes: '' },
    physicalResourceId: type === 'Create' ? undefined : `stream-sns-hook:${TOPIC}`,
  });
}

describe('setup: no credential printed, logged or answered, other hooks untouched', () => {
  it('through the command: apply, apply with keys, dry-run and remove, in text and --json', { tags: ['child-process'] }, async () => {
    // Prepare
    const env = { STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, SNS_KEY, SNS_SECRET, STREAM_BASE_URL: stream.baseUrl };
    const topic = ['--topic-arn', TOPIC];

    // Act
    const runs = [
      await runSetupCli([...topic], env),
      await runSetupCli([...topic, '--auth', 'keys', '--json'], env),
      await runSetupCli([...topic, '--auth', 'keys', '--event-types', 'message.new', '--dry-run'], env),
      await runSetupCli([...topic, '--dry-run', '--json'], env),
      await runSetupCli([...topic, '--remove'], env),
    ];

    // Assess
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0, 0]);
    const printed = runs.map((run) => run.stdout + run.stderr).join('\n');
    expect(printed).toContain('hooks.example.org/stream');
    for (const secret of CREDENTIALS) expect(printed).not.toContain(secret);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('through the setup function: its log lines and its answers to CloudFormation, including a Stream 400 that echoes our secret', async () => {
    // Prepare
    const handler = createSetupHandler({
      streamCredentials: async () => ({ apiKey: API_KEY, apiSecret: API_SECRET }),
      snsKeys: async () => ({ snsKey: SNS_KEY, snsSecret: SNS_SECRET }),
      options: { baseUrl: stream.baseUrl, retryBaseDelayMs: 10 },
      logger: new Logger({ serviceName: 'stream-chat-events', logLevel: 'INFO' }),
    });
    vi.stubEnv('STREAM_TOPIC_NAME', 'stream-chat-events-dev-events');
    vi.stubEnv('STREAM_SNS_AUTH', 'keys');

    // Act
    const logged = await captureOutput(async () => {
      await handler(customResourceRequest('Create', 'resource'), lambdaContext());
      await handler(customResourceRequest('Update', 'keys'), lambdaContext());
      await handler({ action: 'dry-run' }, lambdaContext({ functionName: 'stream-chat-events-dev-setup' }));
      stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Echo });
      await handler(customResourceRequest('Update', 'resource'), lambdaContext());
      await handler(customResourceRequest('Delete', 'keys'), lambdaContext());
    });
    vi.unstubAllEnvs();

    // Assess
    expect(logged).toMatch(/"message":"Stream hook setup"/);
    expect(logged).toContain('hooks.example.org/stream');
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED', 'SUCCESS']);
    expect(responses.answers[2]?.Reason).toMatch(/HTTP 400/);
    for (const secret of CREDENTIALS) expect(logged + JSON.stringify(responses.answers)).not.toContain(secret);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });
});
