import { afterEach, describe, expect, it, vi } from 'vitest';
import { requiredSetting, routingFromEnvironment } from '../../shared/configuration.js';
import { ConfigurationError, SettingValueError } from '../../shared/errors.js';
import { streamEventFunction } from '../../shared/middleware.js';

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

  it.each(['IS_LOCAL', 'STREAM_LOCAL_RUN'])('falls back to the dev stage only under a local run (%s)', (flag) => {
    // Prepare
    vi.stubEnv('IS_LOCAL', undefined);
    vi.stubEnv('STREAM_LOCAL_RUN', undefined);
    vi.stubEnv(flag, 'true');
    vi.stubEnv('IDEMPOTENCY_TABLE', undefined);

    // Act
    const table = requiredSetting('IDEMPOTENCY_TABLE');

    // Assess
    expect(table).toBe('stream-chat-events-dev-idempotency');
  });
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
});
