/**
 * The hook and its SNS check as the setup leaves them, through the real stream-chat SDK against the local stand-in:
 * keys auth (Stream publishes with an SNS access key and secret instead of the topic policy), the check made on what
 * the hook will use, Stream's messages scrubbed of every credential in play, and a Stream that answers writes
 * without applying them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HookNotSettledError, SetupConfigurationError, SnsCheckFailedError } from '../../functions/setup/errors.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { assertCheckPassed, runSetup } from '../../functions/setup/stream-hook.js';
import {
  CREDENTIALS_OF_OTHERS,
  type FakeStream,
  type FakeStreamHook,
  HOOKS_OF_OTHERS,
  type SnsCheckRequest,
  StreamFault,
  startFakeStream,
} from '../support/fake-stream.js';

const API_KEY = 'keys-api-key-2b7e';
const API_SECRET = 'keys-api-secret-d41f08';
const SNS_KEY = 'AKIAKEYSAUTH5R8W';
const SNS_SECRET = 'keys-sns-secret-77a3c1';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const keys: HookSettings = {
  topicArn: TOPIC,
  authType: 'keys',
  routing: 'single-topic',
  catchAll: true,
  eventTypes: [],
  snsKey: SNS_KEY,
  snsSecret: SNS_SECRET,
};
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };

/**
 * Stream's SNS check as it goes for this stack's topic: publishing with our key and secret works; through the topic
 * policy it does not (the policy does not let Stream's account publish), nor with any other topic.
 */
function checkOfOurTopic(asked: SnsCheckRequest) {
  if (asked.sns_topic_arn !== TOPIC) return { status: 'error', error: `NotFound: topic ${asked.sns_topic_arn} does not exist` };
  if (asked.sns_key === undefined) return { status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' };
  return asked.sns_key === SNS_KEY && asked.sns_secret === SNS_SECRET
    ? { status: 'ok' }
    : { status: 'error', error: 'InvalidClientTokenId' };
}

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
  stream.checkAnswer = checkOfOurTopic;
});
afterEach(async () => stream.close());

const options = () => ({ baseUrl: stream.baseUrl, retryBaseDelayMs: 1 });
const ours = () => stream.hooks.filter((hook) => hook.sns_topic_arn === TOPIC);
const writes = () => stream.requests.filter((request) => request.method === 'PATCH');
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
const ourHook = (id: string): FakeStreamHook => ({
  id,
  hook_type: 'sns',
  enabled: true,
  event_types: [],
  sns_topic_arn: TOPIC,
  sns_region: 'eu-west-1',
  sns_auth_type: 'keys',
  sns_key: SNS_KEY,
  sns_secret: SNS_SECRET,
  should_send_custom_events: true,
});

describe('setup keys auth: the hook and its check', () => {
  it('apply gives Stream the key and secret to publish with, and checks the topic with them', async () => {
    // Act
    const report = await runSetup('apply', keys, credentials, options());

    // Assess
    expect(ours()).toEqual([
      expect.objectContaining({ sns_auth_type: 'keys', sns_key: SNS_KEY, sns_secret: SNS_SECRET, sns_region: 'eu-west-1' }),
    ]);
    expect(report.check).toEqual({ status: 'ok' });
    expect(() => assertCheckPassed(report, 'keys')).not.toThrow();
  });

  it('under resource auth, checks the topic policy even when keys are configured', async () => {
    // Prepare: the command passes SNS_KEY and SNS_SECRET from the environment whatever --auth says.
    const resourceWithKeysAround: HookSettings = { ...keys, authType: 'resource' };

    // Act
    const report = await runSetup('check', resourceWithKeysAround, credentials, options());

    // Assess
    expect(report.check).toEqual({ status: 'error', error: 'AuthorizationError: not authorized to perform SNS:Publish' });
    expect(() => assertCheckPassed(report, 'resource')).toThrow(/topic policy/);
  });

  it('a failed check under keys auth points at the key and secret', async () => {
    // Prepare
    stream.checkAnswer = { status: 'error' };

    // Act
    const report = await runSetup('check', keys, credentials, options());

    // Assess
    expect(() => assertCheckPassed(report, 'keys')).toThrow(SnsCheckFailedError);
    expect(() => assertCheckPassed(report, 'keys')).toThrow(/failed: status error\. Likely cause: the SNS key and secret are wrong/);
  });

  it('check changes nothing and removes no duplicate, even when the app holds several hooks of ours', async () => {
    // Prepare
    stream.hooks.push(ourHook('dup-1'), ourHook('dup-2'));

    // Act
    const report = await runSetup('check', keys, credentials, options());

    // Assess
    expect(report).toMatchObject({ changed: false, duplicatesRemoved: [], check: { status: 'ok' } });
    expect(writes()).toEqual([]);
  });

  it.each([
    ['the key', { snsKey: undefined }],
    ['the secret', { snsSecret: undefined }],
    ['both', { snsKey: '', snsSecret: '' }],
  ])('apply and check without %s are refused before Stream is called', async (_, missing) => {
    // Act
    const failures = [
      await failureOf(runSetup('apply', { ...keys, ...missing }, credentials, options())),
      await failureOf(runSetup('check', { ...keys, ...missing }, credentials, options())),
    ];

    // Assess
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(SetupConfigurationError);
      expect(failure?.message).toMatch(/keys auth needs the SNS access key and secret/);
    }
    expect(stream.requests).toEqual([]);
  });

  it('remove needs no keys: it deletes our hook whatever auth made it', async () => {
    // Prepare
    stream.hooks.push(ourHook(hookIdFor(TOPIC)));

    // Act
    const report = await runSetup(
      'remove',
      { topicArn: TOPIC, authType: 'keys', routing: 'single-topic', catchAll: true, eventTypes: [] },
      credentials,
      options(),
    );

    // Assess
    expect(report.changed).toBe(true);
    expect(ours()).toEqual([]);
  });
});

describe("setup keys auth: Stream's messages are scrubbed", () => {
  it('a Stream 400 that echoes our write shows neither the SNS secret nor the key beyond its first four characters', async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.Echo });

    // Act
    const failure = await failureOf(runSetup('apply', keys, credentials, options()));

    // Assess
    expect(failure?.message).toMatch(/HTTP 400: Stream error 4: request rejected/);
    expect(failure?.message).not.toContain(SNS_SECRET);
    expect(failure?.message).not.toContain(SNS_KEY.slice(4));
  });

  it("a Stream 400 that prints the app's hooks as bare values shows none of the credentials in them, theirs or ours", async () => {
    // Prepare
    stream.faults.push({ route: 'PATCH /app', fault: StreamFault.QuotingApp });

    // Act
    const failure = await failureOf(runSetup('apply', keys, credentials, options()));

    // Assess
    expect(failure?.message).toMatch(/HTTP 400: Stream error 4: UpdateApp failed with error/);
    for (const secret of [...CREDENTIALS_OF_OTHERS, SNS_SECRET, SNS_KEY.slice(4)]) expect(failure?.message).not.toContain(secret);
  });
});

describe('setup: a Stream that answers writes without applying them (with keys auth, the case seen)', () => {
  it('stops after as many writes as the attempts allow, saying what the app does not hold', async () => {
    // Prepare
    stream.faults.push(...Array.from({ length: 10 }, () => ({ route: 'PATCH /app', fault: StreamFault.IgnoredWrite })));

    // Act
    const failure = await failureOf(runSetup('apply', keys, credentials, { ...options(), attempts: 3 }));

    // Assess
    expect(failure).toBeInstanceOf(HookNotSettledError);
    expect(failure?.message).toMatch(
      /after 3 writes, Stream's app still does not hold exactly our hooks for .*stream-chat-events-dev-events with our settings/,
    );
    expect(writes()).toHaveLength(3);
    expect(ours()).toEqual([]);
  });

  it('remove stops likewise, and the hook stays', async () => {
    // Prepare
    stream.hooks.push(ourHook(hookIdFor(TOPIC)));
    stream.faults.push(...Array.from({ length: 10 }, () => ({ route: 'PATCH /app', fault: StreamFault.IgnoredWrite })));

    // Act
    const failure = await failureOf(runSetup('remove', keys, credentials, { ...options(), attempts: 2 }));

    // Assess
    expect(failure).toBeInstanceOf(HookNotSettledError);
    expect(failure?.message).toMatch(/after 2 writes, Stream's app still does not hold none of our hooks for arn:aws:sns/);
    expect(writes()).toHaveLength(2);
    expect(ours()).toHaveLength(1);
  });
});

describe('setup keys auth: the stored secret is compared too (case 6)', () => {
  it('case 6: a hook holding our key with an old secret (a rotated secret) is written with the new one, and the run says so', async () => {
    // Prepare
    stream.hooks.push({ ...ourHook(hookIdFor(TOPIC)), sns_secret: 'the-secret-before-rotation' });

    // Act
    const report = await runSetup('apply', keys, credentials, options());

    // Assess
    expect(report.changed).toBe(true);
    expect(ours()).toEqual([expect.objectContaining({ sns_key: SNS_KEY, sns_secret: SNS_SECRET })]);
    expect(report.notes).toEqual(['the SNS secret Stream held was not the one given (a rotated secret): it was written']);
  });

  it('case 6: a secret changed by hand in the dashboard is repaired, and a second run changes nothing', async () => {
    // Prepare
    await runSetup('apply', keys, credentials, options());
    ours()[0]!.sns_secret = 'typed-by-hand';

    // Act
    const repaired = await runSetup('apply', keys, credentials, options());
    const again = await runSetup('apply', keys, credentials, options());

    // Assess
    expect(repaired.changed).toBe(true);
    expect(ours()[0]?.sns_secret).toBe(SNS_SECRET);
    expect(again.changed).toBe(false);
  });

  it('case 6: when Stream answers the secret masked, each apply writes it once, says that it cannot be confirmed, and converges', async () => {
    // Prepare
    stream.maskedInAnswers = ['sns_secret'];
    await runSetup('apply', keys, credentials, options());
    ours()[0]!.sns_secret = 'wrong-and-unseen';
    const writesBefore = writes().length;

    // Act
    const report = await runSetup('apply', keys, credentials, options());

    // Assess
    expect(writes().length - writesBefore).toBe(1);
    expect(ours()[0]?.sns_secret).toBe(SNS_SECRET);
    expect(report.notes).toEqual([
      'Stream does not show the SNS secret it holds, so it cannot be compared: it was written once and cannot be confirmed',
    ]);
    expect(JSON.stringify(report)).not.toContain(SNS_SECRET);
  });
});
