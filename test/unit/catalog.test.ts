import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, Category, categoryOf, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';

// Stream's list of event types (a copy of the notes' event-types.json, types only): which category owns each is the
// catalog's choice, and the user's to change (docs/add-code.md, Add a category).
const stream = JSON.parse(readFileSync(new URL('../fixtures/event-types.json', import.meta.url), 'utf8')) as {
  events: Array<{ type: string }>;
};

describe('catalog', () => {
  it("covers every type of Stream's list, each with a category of the catalog", () => {
    // Act
    const unlisted = stream.events.map((event) => event.type).filter((type) => !Object.hasOwn(EVENT_TYPE_CATEGORY, type));
    const categoryless = Object.entries(EVENT_TYPE_CATEGORY).filter(([, category]) => !CATEGORIES.includes(category));

    // Assess
    expect(unlisted).toEqual([]);
    expect(categoryless).toEqual([]);
    for (const [type, category] of Object.entries(EVENT_TYPE_CATEGORY)) expect(categoryOf(type)).toBe(category);
  });

  it('gives unknown, custom and future types to other', () => {
    // Act
    const categories = ['my_app.order_shipped', 'message.new.v2', 'poll.closed', 'MESSAGE.NEW', ' message.new'].map(categoryOf);

    // Assess
    expect(new Set(categories)).toEqual(new Set([Category.other]));
  });

  it('treats names of Object.prototype members as unknown types', () => {
    // Act
    const categories = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'].map(categoryOf);

    // Assess
    expect(new Set(categories)).toEqual(new Set([Category.other]));
  });
});
