import { afterEach, describe, expect, it, vi } from 'vitest';
import { requiredSetting } from '../../shared/configuration.js';
import { ConfigurationError } from '../../shared/errors.js';
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
