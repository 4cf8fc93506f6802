/**
 * The per-category parts of serverless.yml, built from the catalog (shared/catalog.ts): for every category its
 * function, subscription, dead-letter queue, alarm and role, and the list of what the hook waits for. serverless.yml
 * reads each export through `${file(./template/categories.cjs):<export>}`; osls calls it at package time with its
 * resolver, so names follow the stage. Adding a category is then a catalog entry and its handler file; nothing in
 * serverless.yml names a category.
 *
 * Limitation: a category name must be a letter followed by letters and digits (template/logical-ids.ts).
 */
import { CATEGORIES } from '../shared/catalog.js';
import type { Resources } from './cloudformation.js';
import {
  categoryFunction,
  deadLetterAlarm,
  deadLetterQueue,
  type FunctionDefinition,
  invokePermission,
  redrivePermission,
  role,
  subscription,
} from './category-parts.js';
import { checkCategoryName, EVENTS_TOPIC, LogicalId } from './logical-ids.js';
import { readStack, type Stack, type VariableResolver } from './stack.js';

/** `functions`: one function per category. */
export async function functions(): Promise<Record<string, FunctionDefinition>> {
  return Object.fromEntries(categories().map((category) => [category, categoryFunction(category)]));
}

/** `resources`: each category's subscription, dead-letter queue with its alarm and redrive permission, and role. */
export async function resources(resolver: VariableResolver): Promise<{ Resources: Resources }> {
  return { Resources: categoryResources(await readStack(resolver), categories()) };
}

/**
 * StreamHook's `DependsOn`: Stream publishes only once every function can take an event, so the hook waits for the
 * topic policy and, for each category, its subscription, SNS's permission to invoke the function, the invoke
 * configuration (retries and the on-failure destination) and SNS's right to redrive to the dead-letter queue.
 */
export async function streamHookDependsOn(): Promise<string[]> {
  const all = categories();
  return [
    LogicalId.topicPolicy(EVENTS_TOPIC),
    ...all.map((category) => LogicalId.subscription(category, EVENTS_TOPIC)),
    ...all.map((category) => LogicalId.invokePermission(category, EVENTS_TOPIC)),
    ...all.map((category) => LogicalId.invokeConfig(category)),
    ...all.map((category) => LogicalId.redrivePermission(category)),
  ];
}

/** Every part of the given categories but the function (osls makes that one from {@link functions}). */
export function categoryResources(stack: Stack, categoryNames: readonly string[]): Resources {
  return Object.fromEntries(
    categoryNames.flatMap((category) => [
      [LogicalId.subscription(category, EVENTS_TOPIC), subscription(category, EVENTS_TOPIC)],
      [LogicalId.invokePermission(category, EVENTS_TOPIC), invokePermission(category, EVENTS_TOPIC)],
      [LogicalId.deadLetterQueue(category), deadLetterQueue(stack, category)],
      [LogicalId.redrivePermission(category), redrivePermission(category, [EVENTS_TOPIC])],
      [LogicalId.deadLetterAlarm(category), deadLetterAlarm(stack, category)],
      [LogicalId.role(category), role(stack, category)],
    ]),
  );
}

/** The catalog's categories, each checked to name its resources. */
function categories(): readonly string[] {
  for (const category of CATEGORIES) checkCategoryName(category);
  return CATEGORIES;
}
