/**
 * What of a hook the setup shows, in every output (the command's text and `--json`, the function's log lines and
 * answers). By structure, not by field names:
 *
 * - other teams' hooks are not ours to print: their `id`, `hook_type` and `enabled`, and nothing else, whatever
 *   fields they hold (URLs, headers, keys under any name, at any depth);
 * - our hooks: the fields the setup writes, listed below, with the SNS key cut to its first four characters (enough
 *   to tell which AWS access key it is) and the secret never shown.
 *
 * Every string shown is untrusted (Stream sent it): it is cut to one line without control characters.
 */
import type { EventHook } from 'stream-chat';
import { MASK } from './scrubber.js';
import { reduced } from './stream-answers.js';

/** A hook as the setup shows it. */
export type HookView = Record<string, string | boolean | string[] | null>;

/**
 * The fields of our hooks that are shown, beside `id`, `hook_type` and `enabled`; the SNS key and secret are shown
 * masked, and any other field not at all.
 */
export const SHOWN_FIELDS_OF_OURS: ReadonlySet<string> = new Set([
  'sns_topic_arn',
  'sns_region',
  'sns_auth_type',
  'event_types',
  'should_send_custom_events',
]);

/** Characters of an SNS key that stay visible. */
const KEY_PREFIX_LENGTH = 4;
/** The longest string field shown. */
const FIELD_LIMIT = 300;
const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

/** How `hook` is shown: in full (credentials masked) when it is one of `ourIds`, else by id, type and state only. */
export function viewOf(hook: EventHook, ourIds: ReadonlySet<string>): HookView {
  const fields = hook as Record<string, unknown>;
  const view: HookView = {
    id: text(fields.id),
    hook_type: text(fields.hook_type),
    enabled: typeof fields.enabled === 'boolean' ? fields.enabled : null,
  };
  if (!ourIds.has(String(fields.id))) return view;
  for (const name of ['sns_topic_arn', 'sns_region', 'sns_auth_type'] as const)
    if (fields[name] !== undefined) view[name] = text(fields[name]);
  if (Array.isArray(fields.event_types)) view.event_types = fields.event_types.map(text);
  if (typeof fields.should_send_custom_events === 'boolean') view.should_send_custom_events = fields.should_send_custom_events;
  if (typeof fields.sns_key === 'string' && fields.sns_key !== '') view.sns_key = `${fields.sns_key.slice(0, KEY_PREFIX_LENGTH)}${MASK}`;
  if (fields.sns_secret !== undefined && fields.sns_secret !== '') view.sns_secret = MASK;
  return view;
}

function text(value: unknown): string {
  return reduced(String(value), NOTHING_HIDDEN, FIELD_LIMIT);
}
