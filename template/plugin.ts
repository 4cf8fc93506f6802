/**
 * The osls plugin of this template (serverless.yml, `plugins`): when `serverless package` (or deploy) starts, before
 * anything is built, it checks what a deploy would otherwise find out halfway, and fails with what to change:
 * - every name fits AWS's limit for it (template/resource-names.ts);
 * - the routing's hook lists, as the hook's custom resource will hand them to the setup (its `Routing`, `CatchAll`
 *   and `EventTypes`), are pairwise disjoint and together exactly the catalog's named types (shared/routing.ts).
 *
 * Limitation: without the StreamHook resource there is no list to check here; the setup checks its own on every run.
 */
import { wantedHooks } from '../shared/routing.js';
import { RoutingListError } from '../shared/errors.js';
import { ResourceNamesTooLongError, RoutingParameterError } from './errors.js';
import { checkResourceNames, resourceNames, type Service } from './resource-names.js';
import { routingSettingsOf } from './routing-settings.js';

/** The parts of osls's Serverless object the plugin reads. */
interface Serverless {
  service: Service & {
    resources?: { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
    custom: { topicName: string };
  };
  getProvider(name: 'aws'): { getStage(): string; naming: { getStackName(): string } };
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

/** The template's checks, run before anything is packaged. */
export class TemplatePlugin {
  public readonly hooks: Record<string, () => void>;

  public constructor(serverless: Serverless) {
    this.hooks = {
      'before:package:cleanup': () => {
        const provider = serverless.getProvider('aws');
        const stackName = provider.naming.getStackName();
        try {
          checkResourceNames(resourceNames(serverless.service, stackName), provider.getStage());
          const hook = serverless.service.resources?.Resources?.[STREAM_HOOK]?.Properties;
          if (hook !== undefined) checkRoutingLists(hook, serverless.service.custom.topicName);
        } catch (error) {
          // osls prints its own error class as a plain message, without a stack trace.
          if (error instanceof ResourceNamesTooLongError) throw new serverless.classes.Error(error.message, 'RESOURCE_NAME_TOO_LONG');
          if (error instanceof RoutingParameterError) throw new serverless.classes.Error(error.message, 'ROUTING_PARAMETER_INVALID');
          if (error instanceof RoutingListError) throw new serverless.classes.Error(error.message, 'ROUTING_LISTS_INCONSISTENT');
          throw error;
        }
      },
    };
  }
}
