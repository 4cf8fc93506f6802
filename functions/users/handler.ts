/**
 * Your code for the `users` category: user lifecycle and user groups. One handler per event type; `fallback`
 * receives the category's types without one. Throw to have Lambda retry the event.
 */
import { streamEventFunction } from '../../shared/middleware.js';

export const handler = streamEventFunction('users', {
  'user.deleted': async (event, { logger }) => {
    // A place to erase the user's data from your own systems.
    logger.info('User deleted', { userId: event.user?.id, hardDelete: event.hard_delete === true });
  },
  'user.unread_message_reminder': async (event, { logger }) => {
    logger.info('Unread message reminder', {
      userId: event.user?.id,
      channels: Object.keys((event as { channels?: object }).channels ?? {}).length,
    });
  },
  fallback: async (event, { logger }) => {
    logger.info('Users event without a handler of its own', { eventType: event.type, userId: event.user?.id });
  },
});
