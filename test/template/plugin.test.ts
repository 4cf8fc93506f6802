/**
 * The template plugin's routing check, on osls's resolved service: the hook's custom resource hands the setup a
 * mode and lists that the setup can register, or packaging stops with osls's own error (no stack trace) naming
 * what to change; and the topic key check. (The names check is in resource-names.test.ts; the real `serverless
 * package` with a parameter it does not know, in routing.test.ts, and with a topic key under resource auth, in
 * operate.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { TemplatePlugin } from '../../template/plugin.js';

class ServerlessError extends Error {
  public constructor(
    message: string,
    public readonly code: string,
  ) {
    super(message);
  }
}

/** osls's Serverless object, as far as the plugin reads it, with the hook's custom resource properties. */
function serverlessWith(hookProperties: Record<string, unknown>, topicEncryption = { snsAuth: 'resource', kmsKey: '' }) {
  return {
    service: {
      provider: {},
      getFunction: (name: string) => ({ name: `svc-dev-${name}` }),
      functions: { messages: { name: 'svc-dev-messages' } },
      resources: { Resources: { StreamHook: { Type: 'Custom::StreamSnsHook', Properties: hookProperties } } },
      custom: { topicName: 'svc-dev-events', topicEncryption },
    },
    getProvider: () => ({ getStage: () => 'dev', getRegion: () => 'us-east-1', naming: { getStackName: () => 'svc-dev' } }),
    classes: { Error: ServerlessError },
  };
}

/** The plugin stopped packaging with osls's own error (printed without a stack trace), saying this, with this code. */
function expectOslsError(act: () => void, message: string, code: string): void {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ServerlessError);
  expect((thrown as ServerlessError).message).toContain(message);
  expect((thrown as ServerlessError).code).toBe(code);
}

const runPlugin = (hookProperties: Record<string, unknown>) => () =>
  new TemplatePlugin(serverlessWith(hookProperties)).hooks['before:package:cleanup']!();

describe('TemplatePlugin, routing', () => {
  it('lets both modes, either catch-all and a narrowed list through', () => {
    for (const properties of [
      { Routing: 'per-category', CatchAll: 'true', EventTypes: '' },
      { Routing: 'per-category', CatchAll: 'false', EventTypes: 'message.new, user.banned' },
      { Routing: 'single-topic', CatchAll: 'true', EventTypes: '' },
    ]) {
      // Act
      const act = runPlugin(properties);

      // Assess
      expect(act).not.toThrow();
    }
  });

  it('stops packaging with an osls error naming a routing or catch-all value it does not know', () => {
    for (const [properties, message] of [
      [
        { Routing: 'per-categroy', CatchAll: 'true', EventTypes: '' },
        'Parameter routing is "per-categroy": use "per-category" or "single-topic"',
      ],
      [{ Routing: 'per-category', CatchAll: 'yes', EventTypes: '' }, 'Parameter catchAll is "yes": use "true" or "false"'],
      [{ CatchAll: 'true', EventTypes: '' }, 'Parameter routing is undefined'],
    ] as const) {
      // Act
      const act = runPlugin(properties);

      // Assess
      expectOslsError(act, message, 'ROUTING_PARAMETER_INVALID');
    }
  });
});

describe('TemplatePlugin, topic encryption', () => {
  const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const hook = { Routing: 'per-category', CatchAll: 'true', EventTypes: '' };
  const runWith = (snsAuth: string, kmsKey: string) => () =>
    new TemplatePlugin(serverlessWith(hook, { snsAuth, kmsKey })).hooks['before:package:cleanup']!();

  it('lets no key through with either auth, and a key ARN with keys auth', () => {
    for (const [snsAuth, kmsKey] of [
      ['resource', ''],
      ['keys', ''],
      ['keys', KEY],
      ['keys', KEY.replace('arn:aws:', 'arn:aws-us-gov:')],
    ]) {
      // Act
      const act = runWith(snsAuth!, kmsKey!);

      // Assess
      expect(act).not.toThrow();
    }
  });

  it('stops packaging with the reason: a key with resource auth, or a key named other than by its ARN', () => {
    for (const [snsAuth, kmsKey, reason] of [
      ['resource', KEY, 'only Stream can give its principals KMS rights on your key'],
      ['keys', 'alias/stream-events', 'is not a KMS key ARN'],
      ['keys', KEY.replace(':key/', ':alias/'), 'an alias grants nothing on the key it points to'],
      ['keys', '1234abcd-12ab-34cd-56ef-1234567890ab', 'is not a KMS key ARN'],
    ] as const) {
      // Act
      const act = runWith(snsAuth, kmsKey);

      // Assess
      expectOslsError(act, reason, 'TOPIC_KMS_KEY_UNUSABLE');
    }
  });
});
