/**
 * The setup against a Stream stand-in that fails the way real services and networks do: writes applied then
 * answered 500 or answered too late, 200 answers that are not an app, 400s that echo the request. Whatever happens,
 * the app ends with exactly one hook for our topic (none after remove), other hooks untouched, and no credential
 * printed.
 */
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import {
  type FakeStream,
  type FakeStreamHook,
  HOOKS_OF_OTHERS,
  StreamFault,
  startFakeStream,
} from '../support/fake-stream.js';
import { runSetupCli } from '../support/setup-cli.js';

const API_KEY = 'faults-api-key-31d0';
const API_SECRET = 'faults-api-secret-c07e66';
const SNS_KEY = 'AKIAPUBLISHER9X2';
const SNS_SECRET = 'sns-publisher-secret-44be90';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const CLIENT_TIMEOUT_MS = 400;

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const options = () => ({ baseUrl: stream.baseUrl, retryBaseDelayMs: 10, requestTimeoutMs: CLIENT_TIMEOUT_MS });
const ours = () => stream.hooks.filter((hook) => hook.hook_type === 'sns' && hook.sns_topic_arn === TOPIC);
const others = () => stream.hooks.filter((hook) => !(hook.hook_type === 'sns' && hook.sns_topic_arn === TOPIC));
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const cli = (args: string[], env: Record<string, string> = {}) =>
  runSetupCli([...args, '--base-url', stream.baseUrl], { STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, ...env });
const ourHookAsOlderVersionsLeftIt = (id: string): FakeStreamHook => ({
  id, hook_type: 'sns', enabled: true, event_types: [], sns_topic_arn: TOPIC, sns_region: 'eu-west-1', sns_auth_type: 'resource',
});

describe('setup faults: a retried write never adds a second hook', () => {
  it.each([
    ['applied, then answered 500', { route: 'PATCH /app', fault: StreamFault.AppliedThen500 }],
    ["applied, then answered after the client's timeout", { route: 'PATCH /app', fault: StreamFault.AppliedThenLate, delayMs: CLIENT_TIMEOUT_MS * 3 }],
  ])('apply leaves exactly one hook when a write is %s', async (_, fault) => {
    // Prepare
    stream.faults.push(fault);

    // Act
    const report = await runSetup('apply', resource, credentials, options());

    // Assess
    expect(ours()).toHaveLength(1);
    expect(report.hooksAfter.filter((hook) => hook.sns_topic_arn === TOPIC)).toHaveLength(1);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('gives our hook a name-based UUID of the topic, the same in every app and on every run', async () => {
    // Prepare
    const second = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });

    // Act
    await runSetup('apply', resource, credentials, options());
    await runSetup('apply', resource, credentials, { ...options(), baseUrl: second.baseUrl });
    await second.close();

    // Assess
    const id = ours()[0]?.id ?? '';
    expect(isUuid(id) && uuidVersion(id)).toBe(5);
    expect(second.hooks[0]?.id).toBe(id);
    expect((writes()[0]?.body as { event_hooks: Array<{ id?: string }> }).event_hooks[0]?.id).toBe(id);
  });

  it('keeps the Stream-made id of a hook an older version created', async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('stream-made-1'));

    // Act
    await runSetup('apply', { ...resource, eventTypes: ['message.new'] }, credentials, options());

    // Assess
    expect(ours()).toEqual([expect.objectContaining({ id: 'stream-made-1', event_types: ['message.new'] })]);
  });

  it('apply reduces several hooks for our topic to one and says so', async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('dup-1'), ourHookAsOlderVersionsLeftIt('dup-2'), ourHookAsOlderVersionsLeftIt('dup-3'));

    // Act
    const run = await cli(['--topic-arn', TOPIC]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(run.stdout).toMatch(/removed 2 duplicate hooks for this topic/);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });

  it('remove deletes every hook for our topic, and a second remove finds none', async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('dup-1'), ourHookAsOlderVersionsLeftIt('dup-2'));

    // Act
    const report = await runSetup('remove', resource, credentials, options());
    const again = await runSetup('remove', resource, credentials, options());

    // Assess
    expect(report.changed).toBe(true);
    expect(ours()).toEqual([]);
    expect(again.changed).toBe(false);
    expect(JSON.stringify(stream.hooks)).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });
});

describe('setup faults: an answer that is not an app stops the run', () => {
  it.each([StreamFault.TruncatedJson, StreamFault.EmptyObject, StreamFault.Html])('apply on a 200 with %s: a clear error naming the URL, nothing written', async (fault) => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault });

    // Act
    const failure = await runSetup('apply', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(`${stream.baseUrl}/app`);
    expect((failure as Error).message).toMatch(/not a Stream app/);
    expect(writes()).toEqual([]);
    expect(ours()).toEqual([]);
  });

  it('the command exits 1 on remove when the answer is an HTML page, and the hook stays', { tags: ['child-process'] }, async () => {
    // Prepare
    stream.hooks.push(ourHookAsOlderVersionsLeftIt('ours-1'));
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Html });

    // Act
    const run = await cli(['--topic-arn', TOPIC, '--remove']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${stream.baseUrl}/app`);
    expect(writes()).toEqual([]);
    expect(ours()).toHaveLength(1);
  });
});

describe('setup faults: no credential is printed', () => {
  it('scrubs a Stream 400 that echoes the request before printing it', { tags: ['child-process'] }, async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.EchoingBadRequest });

    // Act
    const run = await cli(['--topic-arn', TOPIC, '--auth', 'keys'], { SNS_KEY, SNS_SECRET });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/HTTP 400/);
    expect(run.stdout + run.stderr).not.toContain(SNS_SECRET);
    expect(run.stdout + run.stderr).not.toContain(SNS_KEY.slice(4));
  });
});
