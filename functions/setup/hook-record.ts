/**
 * The custom resource's record of what it did to Stream's app: which hooks it created, and which it adopted (hooks
 * for its topic that existed before, which it then updated) with what each held before. A Delete or a rollback
 * removes what it created and puts back what it adopted; nothing is ever inferred from the topic alone, so a hook an
 * operator made, or a previous version's, survives a failed deploy.
 *
 * Where it lives: in the physical id, the one thing CloudFormation hands back to every later request of the resource
 * (Data is only for `Fn::GetAtt`), as `stream-hooks:v1:` and base64url of its JSON. It is written at the first
 * apply for a topic and kept as it is by every Update of the same topic: a new physical id would make CloudFormation
 * send a Delete for the old one, which would undo what the Update just confirmed. Credentials are never recorded
 * (the physical id shows in the console), so an adopted hook that published with keys gets its settings back, not
 * its key and secret. CloudFormation allows 1 KB: an adoption that would not fit is refused before any write.
 *
 * A hook the Create finds exactly as it would write it (`npm run setup` ran first, in the same mode) is recorded
 * with no settings (`before: {}`): a Delete then leaves it as the last deploy set it, neither deleted nor changed.
 * Per-category mode has five hooks whose lists would not fit in 1 KB; recording them whole would refuse that Create.
 *
 * Older versions answered `stream-sns-hook:<topic ARN>` (they removed every hook for the topic); such a record is read
 * as "created the hook with the topic's deterministic id", and nothing else.
 */
import { hookIdFor } from './hook-id.js';
import type { AdoptedHook, HookPlan } from './hook-plan.js';

/** What the stack did to the app. */
export interface HookRecord {
  /** The events topic the hooks are for. */
  topicArn: string;
  /** Ids of the hooks it created. */
  created: string[];
  /** Hooks that were there before, which it took over. */
  adopted: AdoptedHook[];
}

/** CloudFormation's limit on a physical id. */
export const PHYSICAL_ID_LIMIT_BYTES = 1024;

const PREFIX = 'stream-hooks:v1:';
const LEGACY_PREFIX = 'stream-sns-hook:';

/** The physical id that carries `record`. */
export function physicalIdOf(record: HookRecord): string {
  return `${PREFIX}${Buffer.from(JSON.stringify(record)).toString('base64url')}`;
}

/** Whether the record fits in a physical id. */
export function fitsPhysicalId(record: HookRecord): boolean {
  return Buffer.byteLength(physicalIdOf(record)) <= PHYSICAL_ID_LIMIT_BYTES;
}

/**
 * The record a physical id carries: a record of this version, the hook an older version's id names, or none (a
 * Create that failed before writing, an id of another kind).
 */
export function recordOf(physicalResourceId: string | undefined): HookRecord | undefined {
  if (physicalResourceId?.startsWith(`${LEGACY_PREFIX}arn:`)) {
    const topicArn = physicalResourceId.slice(LEGACY_PREFIX.length);
    return { topicArn, created: [hookIdFor(topicArn)], adopted: [] };
  }
  if (!physicalResourceId?.startsWith(PREFIX)) return undefined;
  try {
    const record = JSON.parse(Buffer.from(physicalResourceId.slice(PREFIX.length), 'base64url').toString('utf8')) as HookRecord;
    const strings = (list: unknown) => Array.isArray(list) && list.every((id) => typeof id === 'string');
    const wellFormed =
      typeof record.topicArn === 'string' &&
      strings(record.created) &&
      Array.isArray(record.adopted) &&
      record.adopted.every((hook) => typeof hook?.id === 'string' && typeof hook.before === 'object' && hook.before !== null);
    return wellFormed ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the record keeps of a first plan's adoptions: the settings of each hook the plan changes, nothing of one it
 * leaves as it is (undo then leaves it too).
 */
export function recordedAdoptions(plan: Pick<HookPlan, 'adopted' | 'changes'>): AdoptedHook[] {
  return plan.adopted.map(({ id, before }) => (plan.changes.some((change) => change.id === id) ? { id, before } : { id, before: {} }));
}

/** The custom resource's Data: the record in words, for `Fn::GetAtt` and the console. */
export function dataOf(record: HookRecord): Record<string, string> {
  return { TopicArn: record.topicArn, Created: record.created.join(','), Adopted: record.adopted.map(({ id }) => id).join(',') };
}
