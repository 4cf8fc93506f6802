/**
 * What the per-category parts take from serverless.yml: the names every part starts with, the trust policy of the
 * functions' roles, Stream's account, and the routing parameters. Read through the resolver osls hands to a
 * `${file(...)}` function, so that stage, service and `--param` values are already filled in, and serverless.yml
 * stays the one place they are set.
 */
import type { RoutingSettings } from '../shared/routing.js';
import type { PolicyDocument } from './cloudformation.js';
import { routingSettingsOf } from './routing-settings.js';

/** What osls passes to a function that a `${file(...)}` variable names. */
export interface VariableResolver {
  resolveConfigurationProperty(path: string[]): Promise<unknown>;
  /** Resolves one variable, written without `${}`: `param:routing`. */
  resolveVariable(variable: string): Promise<unknown>;
}

/** The settings of one stack, as serverless.yml resolves them for a stage. */
export interface Stack {
  /** `<service>-<stage>` (custom.prefix): every name the template sets starts with it. */
  prefix: string;
  /** The events topic's name (custom.topicName). */
  eventsTopicName: string;
  /** The trust policy of every function's role (custom.lambdaTrust). */
  lambdaTrust: PolicyDocument;
  /** The AWS account Stream publishes from (custom.streamAccount). */
  streamAccount: string;
  /** Params `routing`, `catchAll` and `streamEventTypes`. */
  routing: RoutingSettings;
}

/** The stack's settings from the configuration osls is resolving. */
export async function readStack({ resolveConfigurationProperty, resolveVariable }: VariableResolver): Promise<Stack> {
  const [prefix, eventsTopicName, lambdaTrust, streamAccount, routing, catchAll, streamEventTypes] = await Promise.all([
    resolveConfigurationProperty(['custom', 'prefix']),
    resolveConfigurationProperty(['custom', 'topicName']),
    resolveConfigurationProperty(['custom', 'lambdaTrust']),
    resolveConfigurationProperty(['custom', 'streamAccount']),
    resolveVariable('param:routing'),
    resolveVariable('param:catchAll'),
    resolveVariable('param:streamEventTypes'),
  ]);
  return {
    prefix: String(prefix),
    eventsTopicName: String(eventsTopicName),
    lambdaTrust: lambdaTrust as PolicyDocument,
    streamAccount: String(streamAccount),
    routing: routingSettingsOf({ routing, catchAll, streamEventTypes }),
  };
}
