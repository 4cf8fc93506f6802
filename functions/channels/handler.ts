/**
 * Your code for the `channels` category: channels, members, channel batch updates. One handler per event type;
 * `fallback` receives the category's types without one. Throw to have Lambda retry the event.
 */
import { streamEventFunction } from '../../shared/middleware.js';

export const handler = streamEventFunction('channels', {
  'channel.updated': async (event, { logger }) => {
    // `name` is a custom channel field: the SDK types custom data per app, so it is not declared here.
    const channel = event.channel as (typeof event.channel & { name?: string }) | undefined;
    logger.info('Channel updated', { name: channel?.name, memberCount: channel?.member_count });
  },
  'channel.deleted': async (event, { logger }) => {
    logger.info('Channel deleted', { deletedBy: event.user?.id });
  },
  'member.added': async (event, { logger }) => {
    logger.info('Member added', { member: event.member?.user_id, role: event.member?.channel_role });
  },
  fallback: async (event, { logger }) => {
    logger.info('Channels event without a handler of its own', { eventType: event.type });
  },
});
