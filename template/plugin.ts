/**
 * The osls plugin of this template (serverless.yml, `plugins`): when `serverless package` (or deploy) starts, before
 * anything is built, it checks what a deploy would otherwise find out halfway, and fails with what to change:
 * - every name fits AWS's limit for it (template/resource-names.ts);
 * - the routing's hook lists, as the hook's custom resource will hand them to the setup (its `Routing`, `CatchAll`
 *   and `EventTypes`), are pairwise disjoint and together exactly the catalog's named types (shared/routing.ts);
 * - a topic KMS key (param topicKmsKey) is given only with keys auth, and as a key ARN ({@link checkTopicKey});
 * - no category's handler file registers a type of another category (template/handler-keys.ts).
 *
 * Around `serverless invoke local` of a category function it starts DynamoDB Local, creates the table and gives the
 * function a Lambda context of its own (template/invoke-local.ts).
 *
 * Limitation: without the StreamHook resource there is no list to check here; the setup checks its own on every run.
 */

// Not the emulator's index, which cannot be required: template/invoke-local.ts says why.
import { DynamoDBLocalError } from '../emulator/errors.js';
import { HandlerKeyError, RoutingListError } from '../shared/errors.js';
import { wantedHooks } from '../shared/routing.js';
import {
  BareStreamEventError,
  LocalStoreUnreachableError,
  ResourceNamesTooLongError,
  RoutingParameterError,
  TopicKeyError,
} from './errors.js';
import { checkCategoryHandlers } from './handler-keys.js';
import { type InvokeLocalOptions, type InvokeLocalServerless, invokeLocalHooks } from './invoke-local.js';
import { checkResourceNames, resourceNames, type Service } from './resource-names.js';
import { routingSettingsOf } from './routing-settings.js';

/** The parts of osls's Serverless object the plugin reads. */
interface Serverless {
  service: Service &
    InvokeLocalServerless['service'] & {
      resources?: { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
      custom: { topicName: string; topicEncryption?: { snsAuth?: unknown; kmsKey?: unknown } };
    };
  getProvider(name: 'aws'): { getStage(): string; getRegion(): string; naming: { getStackName(): string } };
  /** The service's folder; absent in unit tests of the plugin, which then skip the handler files. */
  serviceDir?: string;
  classes: { Error: new (message: string, code: string) => Error };
}

/** The hook's custom resource in serverless.yml. */
const STREAM_HOOK = 'StreamHook';

/**
 * Checks the hook lists the stack's routing gives: {@link wantedHooks} builds them and proves them, and throws
 * RoutingListError when they overlap or leave a named type out. The topic ARN only names the hooks' topics.
 */
export function checkRoutingLists(hookProperties: Record<string, unknown>, eventsTopicName: string): void {
  const settings = routingSettingsOf({
    routing: hookProperties.Routing,
    catchAll: hookProperties.CatchAll,
    streamEventTypes: hookProperties.EventTypes,
  });
  wantedHooks(`arn:aws:sns:us-east-1:000000000000:${eventsTopicName}`, settings);
}

/** A KMS key ARN (not an alias, not a bare key id): `arn:<partition>:kms:<region>:<account>:key/<key id>`. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * Refuses a topic KMS key the stack cannot use:
 * - with resource auth, Stream's own AWS account publishes, and an encrypted topic takes a message only from a
 *   publisher allowed `kms:GenerateDataKey*` and `kms:Decrypt` on its key. The customer's key policy could name
 *   Stream's account, but only Stream can give its own principals rights in that account: nothing this stack can
 *   set. Use keys auth (`--param snsAuth=keys`), whose publisher user this stack owns and grants the key to;
 * - a key given by alias or bare id: the publisher user's policy must name the key by its ARN (an alias ARN grants
 *   nothing on the key it points to).
 */
export function checkTopicKey(snsAuth: unknown, kmsKey: unknown): void {
  const key = String(kmsKey ?? '');
  if (key === '') return;
  if (snsAuth !== 'keys') {
    throw new TopicKeyError(
      'an encrypted topic takes messages only from a publisher allowed to use its key, and with resource auth the ' +
        "publisher is Stream's own AWS account: only Stream can give its principals KMS rights on your key. " +
        'Use keys auth (--param snsAuth=keys), or leave topicKmsKey empty.',
    );
  }
  if (!KEY_ARN.test(key)) {
    throw new TopicKeyError(
      `"${key}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>): the publisher user's policy ` +
        'must name the key itself (an alias grants nothing on the key it points to).',
    );
  }
}

/** The template's checks, run before anything is packaged. */
export class TemplatePlugin {
  public readonly hooks: Record<string, () => void | Promise<void>>;

  public constructor(serverless: Serverless, options: InvokeLocalOptions = {}) {
    const invokeLocal = invokeLocalHooks(serverless, options);
    this.hooks = {
      ...Object.fromEntries(
        Object.entries(invokeLocal).map(([event, hook]) => [
          event,
          async () => {
            try {
              await hook();
            } catch (error) {
              throw invokeLocalError(serverless, error);
            }
          },
        ]),
      ),
      'before:package:cleanup': () => {
        const provider = serverless.getProvider('aws');
        const stackName = provider.naming.getStackName();
        try {
          checkResourceNames(resourceNames(serverless.service, stackName), provider.getStage());
          const hook = serverless.service.resources?.Resources?.[STREAM_HOOK]?.Properties;
          if (hook !== undefined) checkRoutingLists(hook, serverless.service.custom.topicName);
          const encryption = serverless.service.custom.topicEncryption;
          checkTopicKey(encryption?.snsAuth, encryption?.kmsKey);
        } catch (error) {
          // osls prints its own error class as a plain message, without a stack trace.
          if (error instanceof ResourceNamesTooLongError) throw new serverless.classes.Error(error.message, 'RESOURCE_NAME_TOO_LONG');
          if (error instanceof RoutingParameterError) throw new serverless.classes.Error(error.message, 'ROUTING_PARAMETER_INVALID');
          if (error instanceof RoutingListError) throw new serverless.classes.Error(error.message, 'ROUTING_LISTS_INCONSISTENT');
          if (error instanceof TopicKeyError) throw new serverless.classes.Error(error.message, 'TOPIC_KMS_KEY_UNUSABLE');
          throw error;
        }
      },
      // Apart, and after: loading the handler files takes a second or two, and only a package that passed the
      // checks above gets that far.
      'before:package:initialize': async () => {
        if (serverless.serviceDir === undefined) return;
        try {
          await checkCategoryHandlers(serverless.serviceDir);
        } catch (error) {
          if (error instanceof HandlerKeyError) throw new serverless.classes.Error(error.message, 'HANDLER_KEY_NOT_OWNED');
          throw error;
        }
      },
    };
  }
}

/**
 * An error of the invoke-local hooks as osls prints its own: the message alone, no stack trace, exit status 1. The
 * emulator's errors (Java missing, DynamoDB Local not starting, an endpoint not answering) say what to do already.
 */
function invokeLocalError(serverless: Serverless, error: unknown): unknown {
  if (error instanceof BareStreamEventError) return new serverless.classes.Error(error.message, 'INVOKE_LOCAL_BARE_STREAM_EVENT');
  if (error instanceof DynamoDBLocalError) return new serverless.classes.Error(error.message, `INVOKE_LOCAL_DYNAMODB_${error.code}`);
  if (error instanceof LocalStoreUnreachableError) return new serverless.classes.Error(error.message, 'INVOKE_LOCAL_DYNAMODB_UNREACHABLE');
  return error;
}
