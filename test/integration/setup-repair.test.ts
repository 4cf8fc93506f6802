/**
 * Apply repairs our hook when someone changed it in Stream's dashboard, through the real stream-chat SDK against the
 * local stand-in: a hook that is there but disabled, or that publishes to another region, delivers nothing, so a
 * run that reported it unchanged would leave the stack silently deaf.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import type { HookSettings } from '../../functions/setup/hook-plan.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, HOOKS_OF_OTHERS, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'repair-api-key-41d2';
const API_SECRET = 'repair-api-secret-c7e05a';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const credentials = { apiKey: API_KEY, apiSecret: API_SECRET };

let stream: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: HOOKS_OF_OTHERS });
});
afterEach(async () => stream.close());

const ours = () => stream.hooks.filter((hook) => hook.id === hookIdFor(TOPIC));
const others = () => stream.hooks.filter((hook) => hook.id !== hookIdFor(TOPIC));

describe('setup: apply repairs our hook', () => {
  it.each([
    ['disabled in the dashboard', { enabled: false }],
    ['set to publish to another region', { sns_region: 'us-east-1' }],
  ])('when it was %s, and leaves every other hook as it was', async (_, drift) => {
    // Prepare
    await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });
    Object.assign(ours()[0]!, drift);

    // Act
    const report = await runSetup('apply', resource, credentials, { baseUrl: stream.baseUrl });

    // Assess
    expect(report.changed).toBe(true);
    expect(ours()).toEqual([expect.objectContaining({ enabled: true, sns_region: 'eu-west-1', sns_topic_arn: TOPIC })]);
    expect(JSON.stringify(others())).toBe(JSON.stringify(HOOKS_OF_OTHERS));
  });
});

describe('setup: event types are a set (case 9)', () => {
  it('case 9: a type given twice settles in one write, and a second run changes nothing', async () => {
    // Act
    const first = await runSetup('apply', { ...resource, eventTypes: ['message.new', 'user.banned', 'message.new'] }, credentials, {
      baseUrl: stream.baseUrl,
      retryBaseDelayMs: 1,
    });
    const second = await runSetup('apply', { ...resource, eventTypes: ['message.new', 'user.banned', 'message.new'] }, credentials, {
      baseUrl: stream.baseUrl,
      retryBaseDelayMs: 1,
    });

    // Assess
    expect(first.changed).toBe(true);
    expect(second.changed).toBe(false);
    expect(ours()).toEqual([expect.objectContaining({ event_types: ['message.new', 'user.banned'] })]);
    expect(stream.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });
});
