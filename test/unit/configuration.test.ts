import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, snsLambdaEvent } from '../../emulator/index.js';
import { requiredSetting, routingFromEnvironment } from '../../shared/configuration.js';
import { ConfigurationError, SettingValueError } from '../../shared/errors.js';
import { INJECTED_OPTIONS_KEY, streamEventFunction } from '../../shared/middleware.js';
import type { InvocationResult } from '../../shared/types.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('configuration of a deployed function', () => {
  it('fails at cold start, naming the missing variable, instead of falling back to another stage', () => {
    // Prepare
    vi.stubEnv('IS_LOCAL', undefined);
    vi.stubEnv('STREAM_LOCAL_RUN', undefined);
    vi.stubEnv('IDEMPOTENCY_TABLE', 'stream-chat-events-prod-idempotency');
    vi.stubEnv('REJECTED_DELIVERIES_QUEUE', undefined);

    // Act
    const build = () => streamEventFunction('messages', { fallback: async () => undefined });

    // Assess
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(/REJECTED_DELIVERIES_QUEUE/);
  });

  it('names the idempotency table when it is the one missing', () => {
    // Prepare
    vi.stubEnv('IS_LOCAL', undefined);
    vi.stubEnv('STREAM_LOCAL_RUN', undefined);
    vi.stubEnv('IDEMPOTENCY_TABLE', '');

    // Act
    const read = () => requiredSetting('IDEMPOTENCY_TABLE');

    // Assess
    expect(read).toThrow(/IDEMPOTENCY_TABLE is not set/);
  });

  it('uses what the environment says when it is set', () => {
    // Prepare
    vi.stubEnv('IS_LOCAL', undefined);
    vi.stubEnv('STREAM_LOCAL_RUN', undefined);
    vi.stubEnv('IDEMPOTENCY_TABLE', 'stream-chat-events-prod-idempotency');

    // Act
    const table = requiredSetting('IDEMPOTENCY_TABLE');

    // Assess
    expect(table).toBe('stream-chat-events-prod-idempotency');
  });

  it.each(['IS_LOCAL', 'STREAM_LOCAL_RUN'])(
    'does not fall back to another stage under %s either: the local hosts set every variable',
    (flag) => {
      // Prepare
      vi.stubEnv(flag, 'true');
      vi.stubEnv('IDEMPOTENCY_TABLE', undefined);

      // Act
      const read = () => requiredSetting('IDEMPOTENCY_TABLE');

      // Assess
      expect(read).toThrow(ConfigurationError);
    },
  );
});

describe('routing of a function, from its environment', () => {
  it('takes the defaults when nothing is set, and what serverless.yml sets when it is', () => {
    // Prepare
    vi.stubEnv('STREAM_ROUTING', undefined);
    vi.stubEnv('STREAM_CATCH_ALL', undefined);
    vi.stubEnv('STREAM_EVENT_TYPES', undefined);
    vi.stubEnv('STREAM_EVENTS_TOPIC_NAME', undefined);
    const defaults = routingFromEnvironment();
    vi.stubEnv('STREAM_ROUTING', 'single-topic');
    vi.stubEnv('STREAM_CATCH_ALL', 'false');
    vi.stubEnv('STREAM_EVENT_TYPES', ' message.new ,,user.banned');
    vi.stubEnv('STREAM_EVENTS_TOPIC_NAME', 'stream-chat-events-prod-events');

    // Act
    const set = routingFromEnvironment();

    // Assess
    expect(defaults).toEqual({ mode: 'per-category', catchAll: true, streamEventTypes: [], eventsTopicName: '' });
    expect(set).toEqual({
      mode: 'single-topic',
      catchAll: false,
      streamEventTypes: ['message.new', 'user.banned'],
      eventsTopicName: 'stream-chat-events-prod-events',
    });
  });

  it.each([
    ['STREAM_ROUTING', 'per_category'],
    ['STREAM_CATCH_ALL', 'yes'],
  ])('fails at cold start when %s is %s, naming the variable and the choices', (variable, value) => {
    // Prepare
    vi.stubEnv(variable, value);

    // Act
    const build = () =>
      streamEventFunction('messages', { fallback: async () => undefined }, { rejectedDeliveries: { keep: async () => {} } });

    // Assess
    expect(build).toThrow(SettingValueError);
    expect(build).toThrow(new RegExp(`${variable} is "${value}"; it must be one of`));
  });

  it('names the error SettingValueError and quotes at most 64 characters of the value, listing the choices', () => {
    // Prepare: a value far longer than any choice, as a hand-edited function could hold.
    vi.stubEnv('STREAM_ROUTING', `per-category${'x'.repeat(200)}`);

    // Act
    let failure: unknown;
    try {
      routingFromEnvironment();
    } catch (error) {
      failure = error;
    }

    // Assess: the name and the message are what Lambda's init error shows.
    expect(failure).toBeInstanceOf(SettingValueError);
    expect(failure).toMatchObject({
      name: 'SettingValueError',
      message: `the environment variable STREAM_ROUTING is "per-category${'x'.repeat(52)}"; it must be one of per-category, single-topic`,
    });
  });
});

describe('options a host injects (the local run, serverless invoke local)', () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[INJECTED_OPTIONS_KEY];
  });
  const poison = () => snsLambdaEvent('neither JSON nor base64', { messageId: 'p' });

  it('keeps rejections where the host says, with no queue in the environment', async () => {
    // Prepare
    vi.stubEnv('REJECTED_DELIVERIES_QUEUE', undefined);
    const kept: string[] = [];
    (globalThis as Record<symbol, unknown>)[INJECTED_OPTIONS_KEY] = {
      rejectedDeliveries: { keep: async (r: { reason: string }) => void kept.push(r.reason) },
    };
    const other = streamEventFunction('other', { fallback: async () => undefined }, { idempotency: { tableName: 'injected' } });

    // Act
    const result = (await other(poison(), lambdaContext())) as InvocationResult;

    // Assess
    expect(result.outcome).toBe('rejected');
    expect(kept).toEqual(['bad_base64']);
  });

  it('finds them under the global key the host sets, Symbol.for("stream-chat-sns-lambda.functionOptions")', async () => {
    // Prepare: set as emulator/lambda-worker.cjs sets it, by the key's text, in a bundle with its own copy of the module.
    vi.stubEnv('REJECTED_DELIVERIES_QUEUE', undefined);
    const kept: string[] = [];
    (globalThis as Record<symbol, unknown>)[Symbol.for('stream-chat-sns-lambda.functionOptions')] = {
      rejectedDeliveries: { keep: async (r: { reason: string }) => void kept.push(r.reason) },
    };
    const other = streamEventFunction('other', { fallback: async () => undefined }, { idempotency: { tableName: 'injected' } });

    // Act
    await other(poison(), lambdaContext());

    // Assess
    expect(kept).toEqual(['bad_base64']);
  });

  it('gives way to the options the caller passes', async () => {
    // Prepare
    const injected: string[] = [];
    const given: string[] = [];
    (globalThis as Record<symbol, unknown>)[INJECTED_OPTIONS_KEY] = { rejectedDeliveries: { keep: async () => void injected.push('x') } };
    const other = streamEventFunction(
      'other',
      { fallback: async () => undefined },
      {
        idempotency: { tableName: 'injected' },
        rejectedDeliveries: { keep: async () => void given.push('x') },
      },
    );

    // Act
    await other(poison(), lambdaContext());

    // Assess
    expect([injected.length, given.length]).toEqual([0, 1]);
  });
});
