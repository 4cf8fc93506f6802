/**
 * The per-category parts of serverless.yml, built from the catalog (shared/catalog.ts) for the stack's routing mode
 * (shared/routing.ts): for every category its function, subscription, dead-letter queue, alarms and role; every
 * topic's policy and alarms, and in per-category mode each named category's own topic; the dashboard and the
 * archive; and what the hook waits for. serverless.yml reads each export through `${file(./template/categories.cjs):<export>}`; osls calls it at
 * package time with its resolver, so names follow the stage and the mode follows `--param routing=...`. Adding a
 * category is then a catalog entry and its handler file; nothing in serverless.yml names a category.
 *
 * Switching modes on a live stack: a subscription whose topic changes gets another logical id (its topic is part of
 * it), so CloudFormation creates the new one before the hook's custom resource updates and deletes the old one only
 * in its cleanup phase. `other`'s subscription to the events topic is the same in both modes and keeps its id: SNS
 * answers a second identical subscription with the first one's ARN, so a copy under another id would unsubscribe
 * it when the old id is deleted. A dead-letter queue's redrive policy names both topics a category can be on, in
 * both modes, so that it never changes during a switch.
 *
 * Limitation: a category name must be a letter followed by letters and digits (template/logical-ids.ts).
 */
import { CATEGORIES, type Category } from '../shared/catalog.js';
import { RECORD_LIFETIME_DAYS } from '../shared/record-lifetime.js';
import { subscribersOf } from '../shared/routing.js';
import { archiveDependencies, archiveOutputs, archiveResources } from './archive.js';
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
import { type Output, type Resources, ref, sub, type Text } from './cloudformation.js';
import { dashboard, dashboardOutputs } from './dashboard.js';
import { errorRateAlarm, eventAgeAlarm, throttlesAlarm } from './function-alarms.js';
import { checkCategoryName, EVENTS_TOPIC, LogicalId, OperateId } from './logical-ids.js';
import { setupSyncAlarm, setupSyncEvents } from './setup-sync.js';
import { readStack, type Stack, type VariableResolver } from './stack.js';
import { DeliveryFailure, deliveryFailureAlarm, ownTopicOf, type StackTopic, topic, topicPolicy, topicsOf } from './topics.js';

/** A function's subscription to a topic. */
interface Subscribed {
  category: Category;
  topic: StackTopic;
}

/** `functions`: one function per category. */
export async function functions(): Promise<Record<string, FunctionDefinition>> {
  return Object.fromEntries(categories().map((category) => [category, categoryFunction(category)]));
}

/** `resources`: each category's subscriptions, dead-letter queue with its redrive permission and alarm, and role. */
export async function categoryParts(resolver: VariableResolver): Promise<{ Resources: Resources }> {
  return { Resources: categoryResources(await readStack(resolver)) };
}

/** `resources`: each topic's policy and delivery alarms, and each named category's own topic (per-category mode). */
export async function topics(resolver: VariableResolver): Promise<{ Resources: Resources }> {
  return { Resources: topicResources(await readStack(resolver)) };
}

/** `resources`: the dashboard and, with param `archive`, the archive; their outputs. */
export async function operatorParts(resolver: VariableResolver): Promise<{ Resources: Resources; Outputs: Record<string, Output> }> {
  const stack = await readStack(resolver);
  return { Resources: operatorResources(stack), Outputs: { ...dashboardOutputs(stack), ...archiveOutputs(stack) } };
}

/** The setup function's `events`: the hourly sync's schedule with `catchAll: false` (template/setup-sync.ts), else none. */
export async function setupEvents(resolver: VariableResolver): Promise<ReturnType<typeof setupSyncEvents>> {
  return setupSyncEvents(await readStack(resolver));
}

/**
 * Param `archiveDays`'s default: the idempotency records' lifetime, so that the archive never holds an event whose
 * run can no longer be checked.
 */
export async function idempotencyRecordDays(): Promise<number> {
  return RECORD_LIFETIME_DAYS;
}

/** The ARN of every topic of the stack: what the keys-auth publisher user may publish to. */
export async function topicArns(resolver: VariableResolver): Promise<Text[]> {
  return topicsOf(await readStack(resolver)).map((stackTopic) => ref(LogicalId.topic(stackTopic)));
}

/**
 * StreamHook's `DependsOn`: Stream publishes only once every function can take an event, so the hook waits for
 * every topic's policy and, for each subscription of the mode, the subscription, SNS's permission to invoke the
 * function, the function's invoke configuration (retries and the on-failure destination) and SNS's right to
 * redrive to its dead-letter queue.
 */
export async function streamHookDependsOn(resolver: VariableResolver): Promise<string[]> {
  const stack = await readStack(resolver);
  const subscribed = subscriptionsOf(stack);
  const subscribers = [...new Set(subscribed.map(({ category }) => category))];
  return [
    ...topicsOf(stack).map((stackTopic) => LogicalId.topicPolicy(stackTopic)),
    ...subscribed.map(({ category, topic: to }) => LogicalId.subscription(category, to)),
    ...subscribed.map(({ category, topic: to }) => LogicalId.invokePermission(category, to)),
    ...subscribers.map((category) => LogicalId.invokeConfig(category)),
    ...subscribers.map((category) => LogicalId.redrivePermission(category)),
    ...archiveDependencies(stack),
  ];
}

/** Every part of every category but the function (osls makes that one from {@link functions}). */
export function categoryResources(stack: Stack, categoryNames: readonly Category[] = categories()): Resources {
  const subscribed = subscriptionsOf(stack, categoryNames);
  return Object.fromEntries([
    ...subscribed.flatMap(({ category, topic: to }) => [
      [LogicalId.subscription(category, to), subscription(category, to)],
      [LogicalId.invokePermission(category, to), invokePermission(category, to)],
    ]),
    ...categoryNames.flatMap((category) => [
      [LogicalId.deadLetterQueue(category), deadLetterQueue(stack, category)],
      [LogicalId.redrivePermission(category), redrivePermission(category, redrivingTopicArns(stack, category))],
      [LogicalId.deadLetterAlarm(category), deadLetterAlarm(stack, category)],
      [LogicalId.functionAlarm(category, 'EventAge'), eventAgeAlarm(stack, category)],
      [LogicalId.functionAlarm(category, 'Throttles'), throttlesAlarm(stack, category)],
      [LogicalId.functionAlarm(category, 'ErrorRate'), errorRateAlarm(stack, category)],
      [LogicalId.role(category), role(stack, category)],
    ]),
  ]);
}

/** Every topic's policy and alarms, and the named categories' own topics (the events topic is in serverless.yml). */
export function topicResources(stack: Stack): Resources {
  return Object.fromEntries(
    topicsOf(stack).flatMap((stackTopic) => [
      ...(stackTopic.delivery.kind === 'category' ? [[LogicalId.topic(stackTopic), topic(stack, stackTopic)]] : []),
      [LogicalId.topicPolicy(stackTopic), topicPolicy(stack, stackTopic)],
      ...Object.keys(DeliveryFailure).map((failure) => [
        LogicalId.topicAlarm(stackTopic, failure),
        deliveryFailureAlarm(stackTopic, failure as DeliveryFailure),
      ]),
    ]),
  );
}

/**
 * The dashboard, with the status of every alarm the builders make (and serverless.yml's rejected-deliveries alarm),
 * and the archive's parts.
 */
export function operatorResources(stack: Stack): Resources {
  const archive = archiveResources(stack);
  const sync = setupSyncAlarm(stack);
  const alarmNames = Object.values({ ...categoryResources(stack), ...topicResources(stack), ...archive, ...sync }).flatMap((resource) =>
    resource.Type === 'AWS::CloudWatch::Alarm' ? [resource.Properties.AlarmName] : [],
  );
  return { [OperateId.dashboard]: dashboard(stack, alarmNames), ...archive, ...sync };
}

/** Which function is subscribed to which topic in the stack's mode, category by category in catalog order. */
export function subscriptionsOf(stack: Stack, categoryNames: readonly Category[] = categories()): Subscribed[] {
  const stackTopics = topicsOf(stack);
  return categoryNames.flatMap((category) =>
    stackTopics
      .filter((stackTopic) => subscribersOf(stackTopic.delivery, stack.routing.mode).includes(category))
      .map((stackTopic) => ({ category, topic: stackTopic })),
  );
}

/**
 * The topics that may redrive to a category's dead-letter queue, the same in both modes: the events topic and,
 * for a named category, its own topic, by ARN (in single-topic mode that topic does not exist, and cannot be named
 * with !Ref).
 */
function redrivingTopicArns(stack: Stack, category: Category): Text[] {
  const own = ownTopicOf(stack, category);
  const events = ref(LogicalId.topic(EVENTS_TOPIC));
  return own === undefined ? [events] : [events, sub(`arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${own.name}`)];
}

/** The catalog's categories, each checked to name its resources. */
function categories(): readonly Category[] {
  for (const category of CATEGORIES) checkCategoryName(category);
  return CATEGORIES;
}
