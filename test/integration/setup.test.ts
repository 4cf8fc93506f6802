/**
 * The Stream hook setup through the real stream-chat SDK, against a local server that plays Stream's API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SnsCheckFailedError,
  StreamAppNotFoundError,
  StreamCredentialsError,
  StreamUnavailableError,
} from '../../functions/setup/errors.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { assertCheckPassed, runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, type FakeStreamHook, startFakeStream } from '../support/fake-stream.js';
import { runSetupCli, runSetupCommand } from '../support/setup-cli.js';

const API_KEY = 'test-api-key-9f2c';
const API_SECRET = 'stream-api-secret-7d41b0c3e5a9';
const SNS_SECRET = 'sns-publisher-secret-1e8a55c2';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const OTHER_HOOKS: FakeStreamHook[] = [
  {
    id: 'wh-1',
    hook_type: 'webhook',
    enabled: true,
    webhook_url: 'https://example.org/hook',
    event_types: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  },
  {
    id: 'sqs-1',
    hook_type: 'sqs',
    enabled: true,
    sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/q',
    sqs_region: 'eu-west-1',
    sqs_auth_type: 'keys',
    sqs_key: 'AKIAOTHERSQS',
    sqs_secret: 'other-sqs-secret',
    event_types: ['message.new'],
    created_at: '2026-01-02T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
  },
  {
    id: 'sns-other',
    hook_type: 'sns',
    enabled: false,
    sns_topic_arn: 'arn:aws:sns:us-east-1:444455556666:someone-else',
    sns_region: 'us-east-1',
    sns_auth_type: 'resource',
    event_types: [],
    created_at: '2026-01-03T00:00:00Z',
    updated_at: '2026-01-03T00:00:00Z',
  },
];
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const fast = { retryBaseDelayMs: 10 };

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: OTHER_HOOKS });
});
afterEach(async () => stream.close());

const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const ours = () => stream.hooks.find((hook) => hook.sns_topic_arn === TOPIC);
const others = () => stream.hooks.filter((hook) => hook.sns_topic_arn !== TOPIC);

describe('setup: apply', () => {
  it('creates the hook when absent, keeping every other hook byte for byte', async () => {
    // Act
    const report = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(report.changed).toBe(true);
    expect(ours()).toMatchObject({ hook_type: 'sns', enabled: true, event_types: [], sns_region: 'eu-west-1', sns_auth_type: 'resource' });
    expect(JSON.stringify(others())).toBe(JSON.stringify(OTHER_HOOKS));
    expect(report.check).toEqual({ status: 'ok' });
    expect(report.hooksAfter).toHaveLength(4);
  });

  it('updates the hook in place when its settings change', async () => {
    // Prepare
    await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });
    const id = ours()?.id;

    // Act
    const report = await runSetup('apply', { ...resource, eventTypes: ['message.new', 'user.banned'] }, credentials, {
      baseUrl: stream.baseUrl,
    });

    // Assess
    expect(report.changed).toBe(true);
    expect(ours()).toMatchObject({ id, event_types: ['message.new', 'user.banned'] });
    expect(stream.hooks).toHaveLength(4);
    expect(JSON.stringify(others())).toBe(JSON.stringify(OTHER_HOOKS));
  });

  it('changes nothing on a second run', async () => {
    // Prepare
    await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });
    const writesBefore = writes().length;
    const hooksBefore = JSON.stringify(stream.hooks);

    // Act
    const report = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(report.changed).toBe(false);
    expect(writes().length).toBe(writesBefore);
    expect(JSON.stringify(stream.hooks)).toBe(hooksBefore);
  });

  it('sends only our hook, in explicit-deletion mode, so other hooks are never written', async () => {
    // Act
    await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(writes()).toHaveLength(1);
    const body = writes()[0]?.body as { event_hooks: unknown[]; explicit_event_hooks_deletion: boolean };
    expect(body.explicit_event_hooks_deletion).toBe(true);
    expect(body.event_hooks).toHaveLength(1);
  });
});

describe('setup: dry run, check, remove', () => {
  it('dry-run shows the planned hooks and writes nothing', async () => {
    // Act
    const report = await runSetup('dry-run', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(writes()).toEqual([]);
    expect(report.changed).toBe(true);
    expect(report.hooksAfter).toHaveLength(4);
    expect(stream.hooks).toHaveLength(3);
    expect(stream.requests.some((request) => request.path === '/check_sns')).toBe(false);
  });

  it('removes only our hook', async () => {
    // Prepare
    await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });

    // Act
    const report = await runSetup('remove', resource, credentials, { baseUrl: stream.baseUrl });
    const again = await runSetup('remove', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(report.changed).toBe(true);
    expect(again.changed).toBe(false);
    expect(ours()).toBeUndefined();
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(OTHER_HOOKS));
  });

  it("reports Stream's SNS check failure with the likely cause", async () => {
    // Prepare
    stream.checkAnswer = { status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' };

    // Act
    const report = await runSetup('check', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(report.check?.status).toBe('error');
    expect(() => assertCheckPassed(report, 'resource')).toThrow(SnsCheckFailedError);
    expect(() => assertCheckPassed(report, 'resource')).toThrow(/topic policy.*185583345998/);
  });
});

describe('setup: errors', () => {
  it('names the credentials when Stream answers 401', async () => {
    // Act
    const failure = await runSetup(
      'apply',
      resource,
      { apiKey: API_KEY, apiSecret: 'wrong-secret' },
      { baseUrl: stream.baseUrl, ...fast },
    ).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(StreamCredentialsError);
    expect((failure as Error).message).toMatch(/HTTP 401.*STREAM_API_KEY/);
  });

  it('says when Stream finds no app for the key', async () => {
    // Prepare
    stream.failNext.push({ status: 404, message: 'app not found' });

    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, ...fast }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(StreamAppNotFoundError);
    expect((failure as Error).message).toMatch(/no app for this API key \(Stream error -1: app not found\)/);
  });

  it('retries after a 429 and then succeeds', async () => {
    // Prepare
    stream.failNext.push({ status: 429, message: 'Too many requests', headers: { 'retry-after': '0' } });

    // Act
    const report = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, ...fast });

    // Assess
    expect(report.changed).toBe(true);
    expect(stream.requests.filter((r) => r.path === '/app' && r.method === 'GET')).toHaveLength(3);
  });

  it('gives up on persistent 500s with a clear error', async () => {
    // Prepare
    stream.failNext.push(...Array.from({ length: 10 }, () => ({ status: 500, message: 'internal' })));

    // Act
    const failure = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl, ...fast }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect((failure as Error).message).toMatch(/after 5 attempts.*HTTP 500: Stream error -1: internal/);
    expect(writes()).toEqual([]);
  });

  it('gives up clearly when Stream is unreachable', async () => {
    // Act
    const failure = await runSetup('check', resource, credentials, { baseUrl: 'http://127.0.0.1:9', ...fast, attempts: 2 }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(failure).toBeInstanceOf(StreamUnavailableError);
    expect((failure as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('setup: the command line', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runSetupCommand(['--routing', 'single-topic', ...args], { STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, ...env });

  it('runs as npm run setup: a dry run in a child process exits 0 and prints the plan', { tags: ['child-process'] }, async () => {
    // Act
    const run = await runSetupCli(['--topic-arn', TOPIC, '--dry-run', '--base-url', stream.baseUrl], {
      STREAM_API_KEY: API_KEY,
      STREAM_API_SECRET: API_SECRET,
    });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^dry-run arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events: would change/);
    expect(writes()).toEqual([]);
  });

  it('applies with --json: one document with hooks before and after and the check, secrets masked', async () => {
    // Act
    const run = await cli(['--topic-arn', TOPIC, '--auth', 'keys', '--base-url', stream.baseUrl, '--json'], {
      SNS_KEY: 'AKIAPUBLISHER1',
      SNS_SECRET,
    });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ action: 'apply', changed: true, check: { status: 'ok' } });
    expect(report.hooksAfter.find((hook: FakeStreamHook) => hook.sns_topic_arn === TOPIC)).toMatchObject({
      sns_key: 'AKIA****',
      sns_secret: '****',
    });
    expect(ours()).toMatchObject({ sns_key: 'AKIAPUBLISHER1', sns_secret: SNS_SECRET });
    for (const secret of [API_SECRET, SNS_SECRET, 'other-sqs-secret']) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('dry-run, check and remove, each with exit status 0; no secret printed', async () => {
    // Act
    const dryRun = await cli(['--topic-arn', TOPIC, '--dry-run', '--base-url', stream.baseUrl]);
    const writesAfterDryRun = writes().length;
    await cli(['--topic-arn', TOPIC, '--base-url', stream.baseUrl]);
    const check = await cli(['--topic-arn', TOPIC, '--check', '--base-url', stream.baseUrl]);
    const remove = await cli(['--topic-arn', TOPIC, '--remove'], { STREAM_BASE_URL: stream.baseUrl });

    // Assess
    expect([dryRun.code, check.code, remove.code]).toEqual([0, 0, 0]);
    expect(writesAfterDryRun).toBe(0);
    expect(dryRun.stdout).toMatch(/would change/);
    expect(check.stdout).toMatch(/SNS check: ok/);
    expect(ours()).toBeUndefined();
    for (const run of [dryRun, check, remove]) expect(run.stdout + run.stderr).not.toMatch(new RegExp(`${API_SECRET}|other-sqs-secret`));
  });

  it('prints its usage with --help and exits 0, without credentials', async () => {
    // Act
    const run = await cli(['--help'], { STREAM_API_KEY: '', STREAM_API_SECRET: '' });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run setup -- \[options\]/);
    expect(run.stdout).toMatch(/--remove +delete this stack's hooks \(those with its ids, in either\s+mode\) and nothing else/);
  });

  it('exits non-zero with the reason when the credentials are wrong or the check fails', async () => {
    // Prepare
    const wrong = await cli(['--topic-arn', TOPIC, '--base-url', stream.baseUrl], { STREAM_API_SECRET: 'nope' });
    stream.checkAnswer = { status: 'error', error: 'topic not found' };

    // Act
    const failedCheck = await cli(['--topic-arn', TOPIC, '--check', '--base-url', stream.baseUrl]);

    // Assess
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Stream rejected the API key or secret/);
    expect(failedCheck.code).toBe(1);
    expect(failedCheck.stderr).toMatch(/SNS check failed: status error, "topic not found"/);
  });
});
