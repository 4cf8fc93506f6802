/**
 * The `setup` function: registers, checks or removes this stack's Stream SNS hooks.
 *
 * - On deploy, as a CloudFormation custom resource (serverless.yml, `StreamHook`). Its physical id records what the
 *   stack created and adopted (hook-record.ts), written at the first apply for a topic and kept by every Update of
 *   that topic. Create applies; a Create, or an Update to a new topic, that fails undoes what that run did before
 *   answering FAILED, and a failed Create's physical id carries the record, so the rollback's Delete undoes it too.
 *   Delete undoes what the record says: it deletes the hooks the stack created and puts back those it adopted, and
 *   nothing else, whatever else points at the topic. A failed Update of the same topic keeps the hook: the rollback's
 *   own Update restores its settings.
 * - `Register: false` (the parameter registerHookOnDeploy): Create, Update and Delete leave Stream as it is. An
 *   Update from true to false keeps the physical id, so CloudFormation sends no Delete and the live hook stays; the
 *   operator removes it on purpose with `npm run setup -- --topic-arn <arn> --remove`.
 * - On demand: `npx serverless invoke -f setup` applies again; `-d '{"action":"check"}'` runs Stream's SNS check,
 *   `"dry-run"` shows the change, `"remove"` deletes our hooks. The answer is the report; an error's message is
 *   scrubbed.
 * - Hourly, with `catchAll: false` (per-category): `{"action":"sync"}` from the schedule (template/setup-sync.ts)
 *   applies without the SNS check, so that every type Stream lists and the catalog lacks joins the events topic's
 *   hook, and emits the metric the alarm reads (sync-metric.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { functionLocation } from '../../shared/function-arn.js';
import { ROUTING_DEFAULTS } from '../../shared/routing.js';
import { RoutingParameterError } from '../../template/errors.js';
import { type RoutingParameters, routingSettingsOf } from '../../template/routing-settings.js';
import { snsKeysFromSecret, streamCredentialsFromSsm } from './credentials.js';
import { answerCustomResource, type CustomResourceOutcome, isCustomResourceEvent } from './custom-resource.js';
import { DEADLINES, type Deadline, deadlineAfter } from './deadlines.js';
import { HooksNotAdoptableError, SetupConfigurationError, SetupError } from './errors.js';
import { type HookPlan, type HookSettings, stackHookIds } from './hook-plan.js';
import { dataOf, fitsPhysicalId, type HookRecord, physicalIdOf, recordedAdoptions, recordOf } from './hook-record.js';
import { SecretScrubber } from './scrubber.js';
import type { SetupOptions, SetupWait, StreamCredentials } from './stream-app.js';
import { assertCheckPassed, runSetup, SetupAction, type SetupReport, undoSetup } from './stream-hook.js';
import { emitSyncMetric } from './sync-metric.js';

/** What the setup function needs from the outside world; tests replace it. */
export interface SetupDependencies {
  streamCredentials: () => Promise<StreamCredentials>;
  snsKeys: () => Promise<{ snsKey: string; snsSecret: string }>;
  /** Options of every Stream run (tests point them at a stand-in); the deadline is the function's own. */
  options: Partial<SetupOptions>;
  /** Where the function's log lines go (CloudWatch when deployed). */
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told of every wait (a retry, a rate limit); by default a log line. */
  onWait: ((wait: SetupWait) => void) | undefined;
  /** Told of every scheduled sync's report; by default it emits the metric the alarm reads ({@link emitSyncMetric}). */
  onSync: (report: SetupReport) => void;
}

const fromEnvironment: Omit<SetupDependencies, 'logger'> = {
  streamCredentials: () => streamCredentialsFromSsm(requiredEnv('STREAM_API_KEY_PARAMETER'), requiredEnv('STREAM_API_SECRET_PARAMETER')),
  snsKeys: () => snsKeysFromSecret(requiredEnv('SNS_PUBLISHER_SECRET')),
  options: {},
  onWait: undefined,
  onSync: emitSyncMetric,
};

/** The custom resource's properties (serverless.yml, `StreamHook`). */
interface HookProperties {
  TopicArn?: unknown;
  AuthType?: unknown;
  EventTypes?: unknown;
  /** The params `routing` and `catchAll`; absent (older templates): the defaults. */
  Routing?: unknown;
  CatchAll?: unknown;
  /** `'false'` when registerHookOnDeploy is false; absent (older templates) means true. */
  Register?: unknown;
}

/** Builds the handler; the deployed one reads SSM and Secrets Manager and logs to CloudWatch. */
export function createSetupHandler(overrides: Partial<SetupDependencies>) {
  const logger = overrides.logger ?? new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-chat-events' });
  const dependencies: SetupDependencies = { ...fromEnvironment, logger, ...overrides };
  const onWait =
    dependencies.onWait ?? ((wait: SetupWait) => logger.info(`waiting ${Math.ceil(wait.ms / 1000)} s for the ${wait.name}`, { ...wait }));

  return async (event: unknown, context: Context): Promise<unknown> => {
    // One scrubber per invocation: it learns the credentials as they are read.
    const scrubber = new SecretScrubber();
    const credentials = async () => {
      const read = await dependencies.streamCredentials();
      scrubber.add([
        { value: read.apiSecret, visible: 0 },
        { value: read.apiKey, visible: 4 },
      ]);
      return read;
    };
    const settingsFor = async (topicArn: string, authType: string, parameters: RoutingParameters): Promise<HookSettings> => {
      if (authType !== 'resource' && authType !== 'keys') {
        throw new SetupConfigurationError(`auth type must be resource or keys, not "${authType}"`);
      }
      const routing = routingOfParameters(parameters);
      if (authType === 'resource') return { topicArn, authType, ...routing };
      const keys = await dependencies.snsKeys();
      scrubber.add([
        { value: keys.snsSecret, visible: 0 },
        { value: keys.snsKey, visible: 4 },
      ]);
      return { topicArn, authType, ...routing, ...keys };
    };
    const optionsWithin = (deadline: Deadline): Partial<SetupOptions> => ({
      ...dependencies.options,
      signal: deadline.signal,
      deadlineAt: deadline.at,
      onWait,
    });
    const logged = (report: SetupReport): SetupReport => {
      // The report shows other teams' hooks by id, type and state only, and it is scrubbed.
      logger.info('Stream hook setup', { ...report });
      return report;
    };

    if (isCustomResourceEvent(event)) {
      let failureId = `${event.LogicalResourceId}-not-created`;
      const work = async (deadline: Deadline): Promise<CustomResourceOutcome> => {
        const properties = event.ResourceProperties as HookProperties;
        const topicArn = String(properties.TopicArn);
        const register = String(properties.Register ?? 'true') !== 'false';
        if (event.RequestType === 'Delete') {
          if (!register) return { physicalResourceId: event.PhysicalResourceId, reason: leftAlone(topicArn) };
          const record = recordOf(event.PhysicalResourceId);
          if (record === undefined)
            return { physicalResourceId: event.PhysicalResourceId, reason: 'no hook was recorded as written: nothing removed' };
          const report = logged(await undoSetup(record, await credentials(), optionsWithin(deadline)));
          return { physicalResourceId: event.PhysicalResourceId, reason: undone(report) };
        }
        if (event.RequestType === 'Update') failureId = event.PhysicalResourceId;
        if (!register) {
          const physicalResourceId = event.RequestType === 'Update' ? event.PhysicalResourceId : failureId;
          return { physicalResourceId, reason: leftAlone(topicArn) };
        }
        const settings = await settingsFor(topicArn, String(properties.AuthType), {
          routing: properties.Routing ?? ROUTING_DEFAULTS.mode,
          catchAll: properties.CatchAll ?? String(ROUTING_DEFAULTS.catchAll),
          streamEventTypes: properties.EventTypes,
        });
        // An Update of a topic the stack has a record for (a Create that registered, maybe followed by Updates with
        // Register false, which keep it): the record stands, and the physical id with it.
        const previousId = event.RequestType === 'Update' ? event.PhysicalResourceId : undefined;
        const previous = recordOf(previousId);
        const continuing = previous !== undefined && previous.topicArn === topicArn;
        let adopted: HookPlan['adopted'] | undefined;
        const streamCredentials = await credentials();
        const applyDeadline = deadlineAfter(
          deadline.remainingMs() - DEADLINES.undoReserveMs,
          'the apply ran out of its time',
          deadline.signal,
        );
        try {
          const report = logged(
            await runSetup(SetupAction.Apply, settings, streamCredentials, {
              ...optionsWithin(applyDeadline),
              beforeFirstWrite: continuing
                ? undefined
                : (plan) => {
                    adopted = recordedAdoptions(plan);
                    adoptable(plan, adopted, topicArn);
                    if (event.RequestType === 'Create') failureId = physicalIdOf({ topicArn, created: [], adopted });
                  },
            }),
          );
          assertCheckPassed(report, settings.authType);
          const record: HookRecord = continuing ? previous : { topicArn, created: report.written.created, adopted: adopted ?? [] };
          const physicalResourceId = continuing ? previousId! : physicalIdOf(record);
          return {
            physicalResourceId,
            data: { ...dataOf(record), Changed: String(report.changed), Check: report.check?.status ?? 'none' },
          };
        } catch (error) {
          // Undo what this run did for a topic the stack had not registered; the rollback's Update restores the rest.
          if (adopted !== undefined)
            await undoAfterFailure({ topicArn, created: [], adopted }, streamCredentials, optionsWithin(deadline), scrubber);
          throw error;
        } finally {
          applyDeadline.clear();
        }
      };
      return answerCustomResource(event, context, work, () => failureId, {
        scrubber,
        log: (message, details) => logger.error(message, details),
        onWait,
      });
    }

    const action = ((event as { action?: string } | null)?.action ?? SetupAction.Apply) as SetupAction;
    // Stop in time to answer with the reason rather than be cut off by Lambda's timeout with none (a 429 may ask to
    // wait up to a minute).
    const deadline = deadlineAfter(context.getRemainingTimeInMillis() - DEADLINES.onDemandMarginMs, 'the invocation is about to time out');
    try {
      if (!Object.values(SetupAction).includes(action)) {
        throw new SetupConfigurationError(`action must be one of ${Object.values(SetupAction).join(', ')}, not "${String(action)}"`);
      }
      if (action === SetupAction.Sync && process.env.STREAM_REGISTER_HOOK === 'false') {
        // The operator manages the hooks (registerHookOnDeploy false): the schedule must not write them either.
        return { action, leftAlone: leftAlone(topicArnFromContext(context)) };
      }
      const settings = await settingsFor(topicArnFromContext(context), process.env.STREAM_SNS_AUTH ?? 'resource', {
        routing: process.env.STREAM_ROUTING ?? ROUTING_DEFAULTS.mode,
        catchAll: process.env.STREAM_CATCH_ALL ?? String(ROUTING_DEFAULTS.catchAll),
        streamEventTypes: process.env.STREAM_EVENT_TYPES,
      });
      const report = logged(await runSetup(action, settings, await credentials(), optionsWithin(deadline)));
      if (action === SetupAction.Apply) assertCheckPassed(report, settings.authType);
      if (action === SetupAction.Sync) dependencies.onSync(report);
      return report;
    } catch (error) {
      // Lambda returns the message to whoever invoked the function, and logs it.
      const failure = error instanceof Error ? error : new SetupError(String(error));
      failure.message = scrubber.scrub(failure.message);
      failure.stack = undefined;
      throw failure;
    } finally {
      deadline.clear();
    }
  };

  async function undoAfterFailure(
    record: HookRecord,
    credentials: StreamCredentials,
    options: Partial<SetupOptions>,
    scrubber: SecretScrubber,
  ): Promise<void> {
    try {
      await undoSetup(record, credentials, options);
    } catch (error) {
      // The undo's own scrubber knows no SNS key (it reads none), and its failure may quote a hook the apply wrote ours into.
      logger.error(`The hooks for ${record.topicArn} may remain; remove them with npm run setup -- --remove`, {
        reason: scrubber.scrub((error as Error).message),
      });
    }
  }
}

/** The routing settings of the parameters; a value that is not one of the choices is a configuration error. */
function routingOfParameters(parameters: RoutingParameters): Pick<HookSettings, 'routing' | 'catchAll' | 'eventTypes'> {
  try {
    const { mode, catchAll, streamEventTypes } = routingSettingsOf(parameters);
    return { routing: mode, catchAll, eventTypes: [...streamEventTypes] };
  } catch (error) {
    if (error instanceof RoutingParameterError) throw new SetupConfigurationError(error.message);
    throw error;
  }
}

/** The deployed handler. */
export const handler = createSetupHandler({});

/**
 * Refuses, before any write, a first apply whose undo could not put back what was there: several hooks for the topic
 * (all but one would be deleted, their credentials lost), or a record too large for the physical id.
 */
function adoptable(plan: HookPlan, adopted: HookPlan['adopted'], topicArn: string): void {
  if (plan.duplicateIds.length > 0) {
    throw new HooksNotAdoptableError(
      `Stream's app already holds ${plan.duplicateIds.length + 1} hooks for ${topicArn} (${[...plan.adopted.map(({ id }) => id), ...plan.duplicateIds].join(', ')}). ` +
        'The deploy would delete all but one and could not put them back if it failed. Reduce them to one first ' +
        `(npm run setup -- --topic-arn ${topicArn} does), then deploy again.`,
    );
  }
  if (!fitsPhysicalId({ topicArn, created: stackHookIds(topicArn), adopted })) {
    throw new HooksNotAdoptableError(
      `the settings of the hooks already there for ${topicArn} (${plan.adopted.map(({ id }) => id).join(', ')}) are too long to record in the stack ` +
        '(1 KB), so a rollback could not put them back. Remove them or shorten their event types, then deploy again.',
    );
  }
}

function leftAlone(topicArn: string): string {
  return `registerHookOnDeploy is false: Stream's hooks are left as they are; to remove this stack's, run npm run setup -- --topic-arn ${topicArn} --remove`;
}

function undone(report: SetupReport): string {
  const { deleted, updated } = report.written;
  return [
    `removed: ${deleted.join(', ') || 'none'}; put back: ${updated.join(', ') || 'none'}`,
    ...(report.left.length > 0 ? [`left (not created by this stack): ${report.left.join(', ')}`] : []),
    ...report.notes,
  ].join('; ');
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
