import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, Category, categoryOf, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';

// A copy of Stream's event catalogue (the notes' event-types.json): the catalog must agree with it.
const catalogue = JSON.parse(readFileSync(new URL('../fixtures/event-types.json', import.meta.url), 'utf8')) as {
  categories: Record<string, string>;
  events: Array<{ type: string; category: string }>;
};

describe('catalog', () => {
  it('has exactly the categories of the catalogue', () => {
    // Assess
    expect([...CATEGORIES].sort()).toEqual(Object.keys(catalogue.categories).sort());
  });

  it('maps every catalogued type to its category, and no other type', () => {
    // Prepare
    const expected = Object.fromEntries(catalogue.events.map((event) => [event.type, event.category]));

    // Assess
    expect({ ...EVENT_TYPE_CATEGORY }).toEqual(expected);
    for (const { type, category } of catalogue.events) expect(categoryOf(type)).toBe(category);
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
