/**
 * The template plugin's routing check, on osls's resolved service: the hook's custom resource hands the setup a
 * mode and lists that the setup can register, or packaging stops with osls's own error (no stack trace) naming
 * what to change. (The names check is in resource-names.test.ts; the real `serverless package` with a parameter it
 * does not know, in routing.test.ts.)
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
function serverlessWith(hookProperties: Record<string, unknown>) {
  return {
    service: {
      functions: { messages: { name: 'svc-dev-messages' } },
      resources: { Resources: { StreamHook: { Type: 'Custom::StreamSnsHook', Properties: hookProperties } } },
      custom: { topicName: 'svc-dev-events' },
    },
    getProvider: () => ({ getStage: () => 'dev', naming: { getStackName: () => 'svc-dev' } }),
    classes: { Error: ServerlessError },
  };
}

const runPlugin = (hookProperties: Record<string, unknown>) => () => new TemplatePlugin(serverlessWith(hookProperties)).hooks['before:package:cleanup']!();

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
      [{ Routing: 'per-categroy', CatchAll: 'true', EventTypes: '' }, 'Parameter routing is "per-categroy": use "per-category" or "single-topic"'],
      [{ Routing: 'per-category', CatchAll: 'yes', EventTypes: '' }, 'Parameter catchAll is "yes": use "true" or "false"'],
      [{ CatchAll: 'true', EventTypes: '' }, 'Parameter routing is undefined'],
    ] as const) {
      // Act
      const act = runPlugin(properties);

      // Assess
      expect(act).toThrow(ServerlessError);
      expect(act).toThrow(message);
      try {
        act();
      } catch (error) {
        expect((error as ServerlessError).code).toBe('ROUTING_PARAMETER_INVALID');
      }
    }
  });
});
