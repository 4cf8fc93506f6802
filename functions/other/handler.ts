/**
 * Your code for the `other` category: exports, reminders, campaigns, and every type the catalog does not know
 * (custom events, and types Stream adds later) through `fallback`. Throw to have Lambda retry the event.
 */
import { streamEventFunction } from '../../shared/middleware.js';

export const handler = streamEventFunction('other', {
  'export.channels.success': async (event, { logger }) => {
    logger.info('Channel export ready', { taskId: (event as { task_id?: string }).task_id });
  },
  fallback: async (event, { logger }) => {
    logger.info('Event of another or unknown type', { eventType: event.type });
  },
});
