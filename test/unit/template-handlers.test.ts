/**
 * The template's own handlers (functions/<category>/handler.ts), tested as a customer tests theirs: with the test kit
 * (testing/index.ts), loaded from their modules, in-process on in-memory stores. Every type of the catalog reaches
 * its category's handler once, whatever the encoding, and the lines it logs carry what the README shows.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category, categoryOf, EVENT_TYPE_CATEGORY, type KnownEventType } from '../../shared/catalog.js';
import { type CategoryUnderTest, categoryUnderTest, ENCODINGS, streamEvent } from '../../testing/index.js';

const KNOWN_TYPES = Object.keys(EVENT_TYPE_CATEGORY) as KnownEventType[];

/** A category's template function, loaded from its handler module as the kit loads a customer's. */
const templateFunction = (category: Category): Promise<CategoryUnderTest> =>
  categoryUnderTest(() => import(`../../functions/${category}/handler.ts`));

describe('the template handlers', () => {
  it.each(CATEGORIES)('%s: runs each of its types once, a duplicate in the other encodings, one line per event', async (category) => {
    // Prepare
    const fn = await templateFunction(category);
    const own = KNOWN_TYPES.filter((type) => categoryOf(type) === category);

    // Act
    const delivered = [];
    for (const type of own) {
      for (const encoding of ENCODINGS)
        delivered.push({ type, encoding, ...(await fn.deliver(streamEvent(type), { encoding, messageId: `${type}-${encoding}` })) });
    }

    // Assess
    for (const { type, encoding, outcome, logs } of delivered) {
      expect(outcome, `${type} in ${encoding}`).toBe(encoding === ENCODINGS[0] ? 'processed' : 'duplicate');
      const handled = logs.filter(
        (line) => line.eventType === type && line.message !== 'Duplicate delivery: the event was already processed',
      );
      expect(handled, `${type} in ${encoding}`).toHaveLength(encoding === ENCODINGS[0] ? 1 : 0);
    }
  });

  it('messages: logs the new message as the README shows it', async () => {
    // Prepare
    const messages = await templateFunction('messages');

    // Act
    const { outcome, logs } = await messages.deliver(streamEvent('message.new'));

    // Assess
    expect(outcome).toBe('processed');
    expect(logs.find((line) => line.message === 'New message')).toMatchObject({
      level: 'INFO',
      category: 'messages',
      eventType: 'message.new',
      cid: 'messaging:proj-atlas-7f3c',
      messageId: 'c51e0a2d-6b8f-4e47-9f3a-1d2b7c9e4a10',
      author: 'priya.nair',
      attachments: 1,
      textLength: 63,
    });
  });

  it('moderation: warns of a ban with who banned whom, why and until when', async () => {
    // Prepare
    const moderation = await templateFunction('moderation');
    const ban = streamEvent('user.banned', { user: { id: 'troll' } });
    Object.assign(ban, { created_by: { id: 'mod-1' }, reason: 'spam', expiration: '2026-08-01T00:00:00.000Z' });

    // Act
    const { logs } = await moderation.deliver(ban);

    // Assess
    expect(logs.find((line) => line.message === 'User banned')).toMatchObject({
      level: 'WARN',
      userId: 'troll',
      bannedBy: 'mod-1',
      reason: 'spam',
      until: '2026-08-01T00:00:00.000Z',
    });
  });

  it("other: takes a custom type through fallback, and skips the named categories' types", async () => {
    // Prepare
    const other = await templateFunction('other');
    const custom = { ...streamEvent('message.new'), type: 'my_app.order_shipped' };

    // Act
    const handled = await other.deliver(custom as never);
    const foreign = await other.deliver(streamEvent('message.new'));

    // Assess
    expect(handled.outcome).toBe('processed');
    expect(handled.logs.find((line) => line.eventType === 'my_app.order_shipped')?.message).toBe('Event of another or unknown type');
    expect(foreign.outcome).toBe('skipped');
  });
});
