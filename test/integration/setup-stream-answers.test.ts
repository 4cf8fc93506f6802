/**
 * Stream's 200 answers that are not what was asked for, through the real stream-chat SDK against the local stand-in:
 * a cut-short app, an HTML page from a wrong base URL, `{}`, `null`, an app whose hooks are not hooks. Each stops the
 * run before anything is written, with an error that names the URL and says what came back, never quoting it (a
 * cut-short app holds other teams' credentials). An app whose `event_hooks` is absent or null is an app without hooks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamAnswerError, StreamCredentialsError } from '../../functions/setup/errors.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { CREDENTIALS_OF_OTHERS, type FakeStream, HOOKS_OF_OTHERS, StreamFault, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'answers-api-key-71c2';
const API_SECRET = 'answers-api-secret-9e04aa';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };
const HTML_PAGE = '\n  <!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>';
const app = (eventHooks: unknown) => JSON.stringify({ app: { name: 'fake-app', event_hooks: eventHooks } });

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const options = () => ({ baseUrl: stream.baseUrl, retryBaseDelayMs: 1 });
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const ours = () => stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC);

describe('setup answers: a read of the app that is not an app stops the run', () => {
  it.each([
    ['the app cut short', StreamFault.TruncatedJson, undefined, /it is \d+ characters that are not JSON \(cut short\?\)/],
    [
      'the app cut short after a "<" in its text',
      StreamFault.Answer,
      `{"app":{"name":"Support <EU>","event_hooks":[{"id":"wh-1","hook_`,
      /it is \d+ characters that are not JSON \(cut short\?\)/,
    ],
    ['an HTML page', StreamFault.Answer, HTML_PAGE, new RegExp(`it is an HTML or XML page of ${HTML_PAGE.length} characters`)],
    ['{}', StreamFault.Answer, '{}', /it is an object without `app`/],
    ['null', StreamFault.Answer, 'null', /it is null\./],
    ['an app of null', StreamFault.Answer, '{"app":null}', /it is an object without `app`/],
    ['hooks that are not a list', StreamFault.Answer, app({ id: 'wh-1', hook_type: 'webhook' }), /`app.event_hooks` is object, not a list/],
    [
      'a second hook without an id',
      StreamFault.Answer,
      app([HOOKS_OF_OTHERS[0], { hook_type: 'sns' }]),
      /hook 2 has no string `id` and `hook_type`/,
    ],
    ['a hook without a type', StreamFault.Answer, app([{ id: 'wh-1' }]), /hook 1 has no string `id` and `hook_type`/],
    ['a hook of null', StreamFault.Answer, app([null]), /hook 1 has no string `id` and `hook_type`/],
  ])('apply on %s: says what came back from which URL, writes nothing', async (_, fault, body, found) => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault, ...(body === undefined ? {} : { body }) });

    // Act
    const failure = await runSetup('apply', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect((failure as Error).message).toContain(`Stream's answer from ${stream.baseUrl}/app is not a Stream app`);
    expect((failure as Error).message).toMatch(found);
    expect(writes()).toEqual([]);
    expect(ours()).toEqual([]);
  });

  it("never quotes a cut-short app, whose hooks hold other teams' credentials", async () => {
    // Prepare
    stream.faults.push({ route: 'GET /app', fault: StreamFault.TruncatedJson });

    // Act
    const failure = await runSetup('remove', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    for (const secret of CREDENTIALS_OF_OTHERS) expect((failure as Error).message).not.toContain(secret);
  });
});

describe('setup answers: an app without hooks', () => {
  it.each([['no `event_hooks` (Stream leaves an empty list out)', JSON.stringify({ app: { name: 'fake-app' } })]])(
    'apply on an app with %s reads it as an app without hooks and creates ours',
    async (_, body) => {
      // Prepare
      stream.hooks = [];
      stream.faults.push({ route: 'GET /app', fault: StreamFault.Answer, body });

      // Act
      const report = await runSetup('apply', resource, credentials, options());

      // Assess
      expect(report.hooksBefore).toEqual([]);
      expect(report.changed).toBe(true);
      expect(ours()).toHaveLength(1);
    },
  );
});

describe('setup answers: hooks the answer does not tell apart (case 7)', () => {
  it('case 7: `event_hooks: null` says nothing of the app: remove stops with that reason instead of reporting no change', async () => {
    // Prepare
    stream.hooks.push({
      id: hookIdFor(TOPIC),
      hook_type: 'sns',
      enabled: true,
      sns_topic_arn: TOPIC,
      sns_region: 'eu-west-1',
      sns_auth_type: 'resource',
      event_types: [],
    });
    stream.faults.push({ route: 'GET /app', fault: StreamFault.Answer, body: app(null) });

    // Act
    const failure = await runSetup('remove', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect((failure as Error).message).toContain('`app.event_hooks` is null, not a list: it does not say which hooks the app holds');
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect(writes()).toEqual([]);
    expect(ours()).toHaveLength(1);
  });

  it('case 7: two hooks sharing one id stop the run before any write: a delete by id would delete both', async () => {
    // Prepare: ours, and another team's hook under the same id.
    const id = hookIdFor(TOPIC);
    stream.hooks.push(
      { id, hook_type: 'sns', enabled: true, sns_topic_arn: TOPIC, sns_region: 'eu-west-1', sns_auth_type: 'resource', event_types: [] },
      { id, hook_type: 'webhook', enabled: true, webhook_url: 'https://example.org/theirs' },
    );

    // Act
    const failure = await runSetup('remove', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect((failure as Error).message).toContain(`two hooks share the id ${id}, so a change by id cannot tell them apart`);
    expect(writes()).toEqual([]);
    expect(stream.hooks.filter((hook) => hook.id === id)).toHaveLength(2);
  });
});

describe('setup answers: a 401 is the credentials, whatever its body (case 8)', () => {
  it.each([['null'], [''], ['<html>401</html>'], ['{"code":"five"}']])(
    'case 8: a 401 with the body %j is named as bad credentials at once, not retried as unreachable',
    async (body) => {
      // Prepare
      stream.failNext.push(...Array.from({ length: 5 }, () => ({ status: 401, body })));

      // Act
      const failure = await runSetup('apply', resource, credentials, options()).catch((error: unknown) => error);

      // Assess
      expect((failure as Error).message).toMatch(/^Stream rejected the API key or secret \(HTTP 401: /);
      expect(failure).toBeInstanceOf(StreamCredentialsError);
      expect(stream.requests).toHaveLength(1);
    },
  );
});

describe('setup answers: an SNS check answer that is not a result stops the run', () => {
  it.each([
    ['{}', StreamFault.Answer, '{}', /it is an object without `status`/],
    ['an HTML page', StreamFault.Answer, HTML_PAGE, /it is an HTML or XML page of \d+ characters/],
    ['null', StreamFault.Answer, 'null', /it is null\./],
    ['a number', StreamFault.Answer, '42', /it is number\./],
  ])('check on %s: says what came back from which URL', async (_, fault, body, found) => {
    // Prepare
    stream.faults.push({ route: 'POST /check_sns', fault, ...(body === undefined ? {} : { body }) });

    // Act
    const failure = await runSetup('check', resource, credentials, options()).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(StreamAnswerError);
    expect((failure as Error).message).toContain(`Stream's answer from ${stream.baseUrl}/check_sns is not an SNS check result`);
    expect((failure as Error).message).toMatch(found);
  });
});
