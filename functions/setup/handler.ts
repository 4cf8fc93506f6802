/**
 * The `setup` function: registers, checks or removes the Stream SNS hook.
 *
 * - On deploy, as a CloudFormation custom resource (serverless.yml, `StreamHook`): Create/Update apply, Delete
 *   removes our hook. A Create or Update that fails removes the hook it may have written before answering FAILED,
 *   and a failed Create answers with a physical id that names the topic, so the rollback's Delete removes the hook
 *   even if that removal could not run.
 * - On demand: `npx serverless invoke -f setup` applies again; `-d '{"action":"check"}'` runs Stream's SNS check,
 *   `"dry-run"` shows the change, `"remove"` deletes our hook. The answer is the report (credentials masked).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { functionLocation } from '../../shared/function-arn.js';
import { snsKeysFromSecret, streamCredentialsFromSsm } from './credentials.js';
import { RESPONSE_MARGIN_MS, answerCustomResource, isCustomResourceEvent } from './custom-resource.js';
import { SetupConfigurationError } from './errors.js';
import type { HookSettings } from './hook-plan.js';
import type { StreamCredentials } from './stream-app.js';
import { SetupAction, type SetupReport, assertCheckPassed, regionOf, runSetup } from './stream-hook.js';

/** What the setup function needs from the outside world; tests replace it. */
export interface SetupDependencies {
  streamCredentials: () => Promise<StreamCredentials>;
  snsKeys: () => Promise<{ snsKey: string; snsSecret: string }>;
  run: typeof runSetup;
  /** Where the function's log lines go (CloudWatch when deployed). */
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** Time kept, within the work's budget, to remove the hook a failed Create or Update may have written. */
const CLEANUP_RESERVE_MS = 12_000;

/** Time kept, at the end of an on-demand invocation, to answer with the report or the reason it failed. */
const ON_DEMAND_MARGIN_MS = 2_000;

/** The physical id of the custom resource for a topic: the Delete that receives it knows which hook to remove. */
const PHYSICAL_ID_PREFIX = 'stream-sns-hook:';

const fromEnvironment: SetupDependencies = {
  streamCredentials: () =>
    streamCredentialsFromSsm(requiredEnv('STREAM_API_KEY_PARAMETER'), requiredEnv('STREAM_API_SECRET_PARAMETER')),
  snsKeys: () => snsKeysFromSecret(requiredEnv('SNS_PUBLISHER_SECRET')),
  run: runSetup,
  logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-chat-events' }),
};

/** Builds the handler; the deployed one reads SSM and Secrets Manager and logs to CloudWatch. */
export function createSetupHandler(overrides: Partial<SetupDependencies>) {
  const dependencies: SetupDependencies = { ...fromEnvironment, ...overrides };
  const { logger } = dependencies;
  const settingsFor = async (topicArn: string, authType: string, eventTypes: string, withKeys = true): Promise<HookSettings> => {
    if (authType !== 'resource' && authType !== 'keys') {
      throw new SetupConfigurationError(`auth type must be resource or keys, not "${authType}"`);
    }
    const types = eventTypes.split(',').map((type) => type.trim()).filter(Boolean);
    return { topicArn, authType, eventTypes: types, ...(authType === 'keys' && withKeys ? await dependencies.snsKeys() : {}) };
  };
  const run = async (action: SetupAction, settings: HookSettings, signal?: AbortSignal): Promise<SetupReport> => {
    const report = await dependencies.run(action, settings, await dependencies.streamCredentials(), { signal });
    // The report holds hooks with every credential masked, ours and other teams'.
    logger.info('Stream hook setup', { ...report });
    if (action === SetupAction.Apply) assertCheckPassed(report, settings.authType);
    return report;
  };

  return async (event: unknown, context: Context): Promise<unknown> => {
    if (isCustomResourceEvent(event)) {
      return answerCustomResource(event, context, (signal) => fromCustomResource(event, context, signal), physicalIdOnFailure(event), (message, details) =>
        logger.error(message, details),
      );
    }
    const action = ((event as { action?: string } | null)?.action ?? SetupAction.Apply) as SetupAction;
    if (!Object.values(SetupAction).includes(action)) {
      throw new SetupConfigurationError(`action must be one of ${Object.values(SetupAction).join(', ')}, not "${action}"`);
    }
    const settings = await settingsFor(
      topicArnFromContext(context),
      process.env.STREAM_SNS_AUTH ?? 'resource',
      process.env.STREAM_EVENT_TYPES ?? '',
    );
    // Stop in time to answer with the reason rather than be cut off by Lambda's timeout with none (a 429 may ask to
    // wait up to a minute).
    return run(action, settings, AbortSignal.timeout(Math.max(1, context.getRemainingTimeInMillis() - ON_DEMAND_MARGIN_MS)));
  };

  async function fromCustomResource(event: CloudFormationCustomResourceEvent, context: Context, signal: AbortSignal) {
    const { TopicArn, AuthType, EventTypes } = event.ResourceProperties as Record<string, string>;
    const topicArn = String(TopicArn);
    const eventTypes = String(EventTypes ?? '');
    if (event.RequestType === 'Delete') {
      // The physical id names the topic whose hook was written. Any other id comes from a Create that failed (an
      // older version answered `StreamHook-not-created`): its hook, if any, is the one for this request's topic.
      const topic = topicOfPhysicalId(event.PhysicalResourceId) ?? topicArn;
      await run(SetupAction.Remove, await settingsFor(topic, String(AuthType), eventTypes, false), signal);
      return { physicalResourceId: event.PhysicalResourceId };
    }
    const settings = await settingsFor(topicArn, String(AuthType), eventTypes);
    const applyBudget = context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS - CLEANUP_RESERVE_MS;
    try {
      const report = await run(SetupAction.Apply, settings, AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, applyBudget))]));
      // Stryker disable next-line StringLiteral: an apply always runs Stream's check, so its report always holds one
      return { physicalResourceId: physicalIdOf(topicArn), data: { Changed: String(report.changed), Check: report.check?.status ?? 'none' } };
    } catch (error) {
      // The rollback restores the previous topic's hook (an Update back to it), but nothing would remove this one.
      const previousTopic = event.RequestType === 'Update' ? topicOfPhysicalId(event.PhysicalResourceId) : undefined;
      if (previousTopic !== topicArn) await removeAfterFailure(settings, signal);
      throw error;
    }
  }

  async function removeAfterFailure(settings: HookSettings, signal: AbortSignal): Promise<void> {
    try {
      await run(SetupAction.Remove, settings, signal);
    } catch (error) {
      logger.error(`The hook for ${settings.topicArn} may remain; remove it with npm run setup -- --remove`, { reason: (error as Error).message });
    }
  }
}

/** The deployed handler. */
export const handler = createSetupHandler({});

function physicalIdOf(topicArn: string): string {
  return `${PHYSICAL_ID_PREFIX}${topicArn}`;
}

function topicOfPhysicalId(physicalResourceId: string): string | undefined {
  return physicalResourceId.startsWith(`${PHYSICAL_ID_PREFIX}arn:`) ? physicalResourceId.slice(PHYSICAL_ID_PREFIX.length) : undefined;
}

/** A failed Create names its topic (when it is one), so the rollback's Delete removes what it may have written. */
function physicalIdOnFailure(event: CloudFormationCustomResourceEvent): string {
  if (event.RequestType !== 'Create') return event.PhysicalResourceId;
  const topicArn = String((event.ResourceProperties as Record<string, unknown>).TopicArn);
  try {
    regionOf(topicArn);
    return physicalIdOf(topicArn);
  } catch {
    return `${event.LogicalResourceId}-not-created`;
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new SetupConfigurationError(`the environment variable ${name} is not set`);
  return value;
}

/** The topic's ARN from its literal name and the function's own region and account (no !Ref in the environment). */
function topicArnFromContext(context: Context): string {
  const { partition, region, account } = functionLocation(context.invokedFunctionArn);
  return `arn:${partition}:sns:${region}:${account}:${requiredEnv('STREAM_TOPIC_NAME')}`;
}
