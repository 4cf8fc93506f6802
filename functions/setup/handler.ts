/**
 * The `setup` function: registers, checks or removes the Stream SNS hook.
 *
 * - On deploy, as a CloudFormation custom resource (serverless.yml, `StreamHook`): Create/Update apply, Delete
 *   removes our hook.
 * - On demand: `npx serverless invoke -f setup` applies again; `-d '{"action":"check"}'` runs Stream's SNS check,
 *   `"dry-run"` shows the change, `"remove"` deletes our hook. The answer is the report (secrets masked).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { snsKeysFromSecret, streamCredentialsFromSsm } from './credentials.js';
import { answerCustomResource, isCustomResourceEvent } from './custom-resource.js';
import { SetupConfigurationError } from './errors.js';
import {
  type HookSettings,
  SetupAction,
  type SetupReport,
  type StreamCredentials,
  assertCheckPassed,
  runSetup,
} from './stream-hook.js';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-chat-events' });

/** What the setup function needs from the outside world; tests replace it. */
export interface SetupDependencies {
  streamCredentials: () => Promise<StreamCredentials>;
  snsKeys: () => Promise<{ snsKey: string; snsSecret: string }>;
  run: typeof runSetup;
}

const fromEnvironment: SetupDependencies = {
  streamCredentials: () =>
    streamCredentialsFromSsm(requiredEnv('STREAM_API_KEY_PARAMETER'), requiredEnv('STREAM_API_SECRET_PARAMETER')),
  snsKeys: () => snsKeysFromSecret(requiredEnv('SNS_PUBLISHER_SECRET')),
  run: runSetup,
};

/** Builds the handler; the deployed one reads SSM and Secrets Manager. */
export function createSetupHandler(dependencies: SetupDependencies) {
  const settingsFor = async (topicArn: string, authType: string, eventTypes: string): Promise<HookSettings> => {
    if (authType !== 'resource' && authType !== 'keys') {
      throw new SetupConfigurationError(`auth type must be resource or keys, not "${authType}"`);
    }
    const types = eventTypes.split(',').map((type) => type.trim()).filter(Boolean);
    return { topicArn, authType, eventTypes: types, ...(authType === 'keys' ? await dependencies.snsKeys() : {}) };
  };
  const apply = async (action: SetupAction, settings: HookSettings): Promise<SetupReport> => {
    const report = await dependencies.run(action, settings, await dependencies.streamCredentials());
    logger.info('Stream hook setup', { ...report });
    if (action === SetupAction.Apply) assertCheckPassed(report, settings.authType);
    return report;
  };

  return async (event: unknown, context: Context): Promise<unknown> => {
    if (isCustomResourceEvent(event)) {
      return answerCustomResource(event, context, () => fromCustomResource(event), (message, details) =>
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
    return apply(action, settings);
  };

  async function fromCustomResource(event: CloudFormationCustomResourceEvent) {
    const { TopicArn, AuthType, EventTypes } = event.ResourceProperties as Record<string, string>;
    const settings = await settingsFor(String(TopicArn), String(AuthType), String(EventTypes ?? ''));
    const physicalResourceId = `stream-sns-hook:${settings.topicArn}`;
    if (event.RequestType === 'Delete') {
      // A Delete for another physical id (a replaced topic) removes that topic's hook, not the new one.
      const oldTopic = event.PhysicalResourceId.replace(/^stream-sns-hook:/, '');
      if (oldTopic.startsWith('arn:')) await apply(SetupAction.Remove, { ...settings, topicArn: oldTopic });
      return { physicalResourceId: event.PhysicalResourceId };
    }
    const report = await apply(SetupAction.Apply, settings);
    return { physicalResourceId, data: { Changed: String(report.changed), Check: report.check?.status ?? 'none' } };
  }
}

/** The deployed handler. */
export const handler = createSetupHandler(fromEnvironment);

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new SetupConfigurationError(`the environment variable ${name} is not set`);
  return value;
}

/** The topic's ARN from its literal name and the function's own region and account (no !Ref in the environment). */
function topicArnFromContext(context: Context): string {
  const [, partition, , region, account] = context.invokedFunctionArn.split(':');
  return `arn:${partition}:sns:${region}:${account}:${requiredEnv('STREAM_TOPIC_NAME')}`;
}
