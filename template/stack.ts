/**
 * What the per-category parts take from serverless.yml: the names every part starts with, the trust policy of the
 * functions' roles, and Stream's account. Read through the resolver osls hands to a `${file(...)}` function, so
 * that stage, service and parameters are already filled in, and serverless.yml stays the one place they are set.
 */
import type { PolicyDocument } from './cloudformation.js';

/** What osls passes to a function that a `${file(...)}` variable names. */
export interface VariableResolver {
  resolveConfigurationProperty(path: string[]): Promise<unknown>;
}

/** The settings of one stack, as serverless.yml resolves them for a stage. */
export interface Stack {
  /** `<service>-<stage>` (custom.prefix): every name the template sets starts with it. */
  prefix: string;
  /** The events topic's name (custom.topicName). */
  eventsTopicName: string;
  /** The trust policy of every function's role (custom.lambdaTrust). */
  lambdaTrust: PolicyDocument;
}

/** The stack's settings from the configuration osls is resolving. */
export async function readStack({ resolveConfigurationProperty }: VariableResolver): Promise<Stack> {
  const [prefix, eventsTopicName, lambdaTrust] = await Promise.all([
    resolveConfigurationProperty(['custom', 'prefix']),
    resolveConfigurationProperty(['custom', 'topicName']),
    resolveConfigurationProperty(['custom', 'lambdaTrust']),
  ]);
  return { prefix: String(prefix), eventsTopicName: String(eventsTopicName), lambdaTrust: lambdaTrust as PolicyDocument };
}
