/**
 * What the per-category parts take from serverless.yml: the names every part starts with, the trust policy of the
 * functions' roles, Stream's account, the functions' metric namespace and service, and the routing and operating
 * parameters. Read through the resolver osls hands to a
 * `${file(...)}` function, so that stage, service and `--param` values are already filled in, and serverless.yml
 * stays the one place they are set.
 */
import type { RoutingSettings } from '../shared/routing.js';
import type { PolicyDocument } from './cloudformation.js';
import { type OperateSettings, operateSettingsOf } from './operate-settings.js';
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
  /** The rejected-deliveries queue's name (custom.rejectedQueue). */
  rejectedQueue: string;
  /** The trust policy of every function's role (custom.lambdaTrust). */
  lambdaTrust: PolicyDocument;
  /** The AWS account Stream publishes from (custom.streamAccount). */
  streamAccount: string;
  /** Params `routing`, `catchAll` and `streamEventTypes`. */
  routing: RoutingSettings;
  /** Where the functions' metrics are (POWERTOOLS_METRICS_NAMESPACE, and POWERTOOLS_SERVICE_NAME as `service`). */
  metrics: { namespace: string; service: string };
  /** Params `archive`, `archiveDays` and `eventAgeAlarmSeconds`. */
  operate: OperateSettings;
  /** The customer-managed KMS key of every event topic (param topicKmsKey); empty for none. */
  topicKmsKey: string;
}

/** The stack's settings from the configuration osls is resolving. */
export async function readStack({ resolveConfigurationProperty, resolveVariable }: VariableResolver): Promise<Stack> {
  const [prefix, eventsTopicName, rejectedQueue, lambdaTrust, streamAccount, namespace, service] = await Promise.all([
    resolveConfigurationProperty(['custom', 'prefix']),
    resolveConfigurationProperty(['custom', 'topicName']),
    resolveConfigurationProperty(['custom', 'rejectedQueue']),
    resolveConfigurationProperty(['custom', 'lambdaTrust']),
    resolveConfigurationProperty(['custom', 'streamAccount']),
    resolveConfigurationProperty(['provider', 'environment', 'POWERTOOLS_METRICS_NAMESPACE']),
    resolveConfigurationProperty(['provider', 'environment', 'POWERTOOLS_SERVICE_NAME']),
  ]);
  const [routing, catchAll, streamEventTypes, archive, archiveDays, eventAgeAlarmSeconds, topicKmsKey] = await Promise.all(
    ['routing', 'catchAll', 'streamEventTypes', 'archive', 'archiveDays', 'eventAgeAlarmSeconds', 'topicKmsKey'].map((name) =>
      resolveVariable(`param:${name}`),
    ),
  );
  return {
    prefix: String(prefix),
    eventsTopicName: String(eventsTopicName),
    rejectedQueue: String(rejectedQueue),
    lambdaTrust: lambdaTrust as PolicyDocument,
    streamAccount: String(streamAccount),
    routing: routingSettingsOf({ routing, catchAll, streamEventTypes }),
    metrics: { namespace: String(namespace), service: String(service) },
    operate: operateSettingsOf({ archive, archiveDays, eventAgeAlarmSeconds }),
    topicKmsKey: String(topicKmsKey ?? ''),
  };
}
