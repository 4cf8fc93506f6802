/**
 * Your code for the `moderation` category: flags, bans, review queue, appeals. One handler per event type;
 * `fallback` receives the category's types without one. Throw to have Lambda retry the event.
 */
import { streamEventFunction } from '../../shared/middleware.js';

export const handler = streamEventFunction('moderation', {
  'message.flagged': async (event, { logger }) => {
    logger.warn('Message flagged', { messageId: event.message?.id, flaggedBy: event.user?.id });
  },
  'user.banned': async (event, { logger }) => {
    // Fields the SDK's Event type does not declare yet; Stream sends them on user.banned.
    const ban = event as typeof event & { created_by?: { id: string }; reason?: string; expiration?: string };
    logger.warn('User banned', {
      userId: ban.user?.id,
      bannedBy: ban.created_by?.id,
      reason: ban.reason,
      until: ban.expiration,
    });
  },
  fallback: async (event, { logger }) => {
    logger.info('Moderation event without a handler of its own', { eventType: event.type });
  },
});
