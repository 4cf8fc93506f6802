/**
 * The category catalog: which Lambda function owns each Stream event type.
 *
 * This file is the single source of truth for routing and for the categories themselves: at package time every
 * category listed here gets its function, subscription, dead-letter queue, alarm and role, built by
 * template/categories.ts, and test/template/serverless.test.ts fails when the packaged
 * template and this list disagree. Adding a category is an entry here and its `functions/<category>/handler.ts`.
 * Which function owns a delivery is decided from this list by shared/ownership.ts. Types are listed as Stream
 * documents them; a type that is not listed here (a custom event, or a type Stream adds later) belongs to
 * `other`, so no event is ever without an owner.
 */

/** The event categories, one Lambda function each. */
export const Category = {
  messages: 'messages',
  channels: 'channels',
  users: 'users',
  moderation: 'moderation',
  other: 'other',
} as const;

/** A category name: `messages`, `channels`, `users`, `moderation` or `other`. */
export type Category = (typeof Category)[keyof typeof Category];

/** Every category, in the order the README and the local run list them. */
export const CATEGORIES: readonly Category[] = Object.values(Category);

/** Which category owns each known Stream event type. */
export const EVENT_TYPE_CATEGORY = {
  // messages: messages, reactions and threads
  'message.new': 'messages',
  'message.read': 'messages',
  'message.updated': 'messages',
  'message.deleted': 'messages',
  'reaction.new': 'messages',
  'reaction.deleted': 'messages',
  'reaction.updated': 'messages',
  'user.messages.deleted': 'messages',
  'message.undeleted': 'messages',
  'message.pending': 'messages',
  'thread.updated': 'messages',
  'notification.mark_unread': 'messages',
  'notification.thread_message_new': 'messages',
  // channels: channels, members and channel batch updates
  'member.added': 'channels',
  'member.updated': 'channels',
  'member.removed': 'channels',
  'channel.created': 'channels',
  'channel.updated': 'channels',
  'channel.muted': 'channels',
  'channel.unmuted': 'channels',
  'channel.truncated': 'channels',
  'channel.deleted': 'channels',
  'channel.hidden': 'channels',
  'channel_batch_update.started': 'channels',
  'channel_batch_update.completed': 'channels',
  'channel.frozen': 'channels',
  'channel.unfrozen': 'channels',
  'channel.visible': 'channels',
  'channel.max_streak_changed': 'channels',
  // users: user lifecycle and user groups
  'user.deactivated': 'users',
  'user.deleted': 'users',
  'user.reactivated': 'users',
  'user.updated': 'users',
  'user.muted': 'users',
  'user.unmuted': 'users',
  'user.unread_message_reminder': 'users',
  'user_group.created': 'users',
  'user_group.updated': 'users',
  'user_group.deleted': 'users',
  'user_group.member_added': 'users',
  'user_group.member_removed': 'users',
  // moderation: flags, bans, review queue, appeals and moderation checks
  'user.banned': 'moderation',
  'user.unbanned': 'moderation',
  'user.flagged': 'moderation',
  'message.flagged': 'moderation',
  'review_queue_item.new': 'moderation',
  'review_queue_item.updated': 'moderation',
  'moderation_check.completed': 'moderation',
  'message.unblocked': 'moderation',
  'flag.updated': 'moderation',
  'appeal.created': 'moderation',
  'appeal.accepted': 'moderation',
  'appeal.rejected': 'moderation',
  'moderation.flagged': 'moderation',
  'moderation.custom_action': 'moderation',
  'moderation.mark_reviewed': 'moderation',
  'moderation_rule.triggered': 'moderation',
  'moderation.text_analysis.complete': 'moderation',
  'moderation.image_analysis.complete': 'moderation',
  'moderation.analysis.failed': 'moderation',
  // other: exports, reminders, campaigns, custom events and every unknown type
  'export.users.success': 'other',
  'export.users.error': 'other',
  'export.channels.success': 'other',
  'export.channels.error': 'other',
  'reminder.created': 'other',
  'reminder.updated': 'other',
  'reminder.deleted': 'other',
  'notification.reminder_due': 'other',
  'campaign.started': 'other',
  'campaign.completed': 'other',
  'export.moderation_logs.success': 'other',
  'export.moderation_logs.error': 'other',
  'export.review_queue.success': 'other',
  'export.review_queue.error': 'other',
  'export.bulk_image_moderation.success': 'other',
  'export.bulk_image_moderation.error': 'other',
} as const satisfies Record<string, Category>;

/** A Stream event type the catalog knows. */
export type KnownEventType = keyof typeof EVENT_TYPE_CATEGORY;

/** The known event types a category owns (its `other` also owns every unknown type). */
export type EventTypeOf<C extends Category> = {
  [T in KnownEventType]: (typeof EVENT_TYPE_CATEGORY)[T] extends C ? T : never;
}[KnownEventType];

/**
 * The category that owns an event type. Unknown types, custom events included, belong to `other`.
 *
 * The lookup goes through `Object.hasOwn` so that a hostile type such as `__proto__` or `constructor` is just
 * another unknown type, not a property of Object.prototype.
 */
export function categoryOf(type: string): Category {
  return Object.hasOwn(EVENT_TYPE_CATEGORY, type) ? EVENT_TYPE_CATEGORY[type as KnownEventType] : Category.other;
}
