/**
 * Your code for the `messages` category: messages, reactions, threads. One handler per event type; `fallback`
 * receives the category's types without one. Each handler runs once per distinct Stream event (the framework
 * dedupes retries and re-publishes); throw to have Lambda retry the event.
 */
import { streamEventFunction } from '../../shared/middleware.js';

export const handler = streamEventFunction('messages', {
  'message.new': async (event, { logger }) => {
    logger.info('New message', {
      messageId: event.message?.id,
      author: event.user?.id,
      attachments: event.message?.attachments?.length ?? 0,
      textLength: event.message?.text?.length ?? 0,
    });
  },
  'message.updated': async (event, { logger }) => {
    logger.info('Message edited', { messageId: event.message?.id, editor: event.user?.id });
  },
  'message.deleted': async (event, { logger }) => {
    logger.info('Message deleted', { messageId: event.message?.id, hardDelete: event.hard_delete === true });
  },
  'reaction.new': async (event, { logger }) => {
    logger.info('Reaction added', {
      messageId: event.message?.id,
      reaction: event.reaction?.type,
      by: event.user?.id,
    });
  },
  fallback: async (event, { logger }) => {
    logger.info('Messages event without a handler of its own', { eventType: event.type });
  },
});
