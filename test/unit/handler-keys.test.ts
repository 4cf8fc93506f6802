/**
 * Handler keys checked at initialisation (issue 24, "Adding a category"): a category's function refuses a handler
 * it can never receive, naming the category that owns the type.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { HandlerKeyError } from '../../shared/errors.js';
import { checkHandlerKeys } from '../../shared/handler-keys.js';
import { streamEventFunction } from '../../shared/middleware.js';
import type { CategoryHandlers } from '../../shared/types.js';
import { checkCategoryHandlers } from '../../template/handler-keys.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

const options = { rejectedDeliveries: { keep: async () => undefined }, idempotency: { tableName: 'keys' } } as const;
const typesOf = (category: string) => Object.entries(EVENT_TYPE_CATEGORY).flatMap(([type, owner]) => (owner === category ? [type] : []));

describe('checkHandlerKeys', () => {
  it("accepts every category's own types and fallback, and custom types in other", () => {
    // Act
    const check = () => {
      for (const category of CATEGORIES) checkHandlerKeys(category, [...typesOf(category), 'fallback']);
      checkHandlerKeys('other', ['my_app.order_paid', 'constructor', '__proto__']);
    };

    // Assess
    expect(check).not.toThrow();
  });

  it("refuses another category's type, naming the category that owns it", () => {
    // Act
    const check = () => checkHandlerKeys('messages', ['message.new', 'user.banned']);

    // Assess
    expect(check).toThrow(HandlerKeyError);
    expect(check).toThrow(/the catalog gives "user\.banned" to moderation/);
    expect(check).toThrow(/functions\/moderation\/handler\.ts/);
  });

  it('refuses a named type in other, and a type the catalog does not list anywhere but other', () => {
    // Act
    const inOther = () => checkHandlerKeys('other', ['channel.created']);
    const custom = () => checkHandlerKeys('users', ['user.teleported']);

    // Assess
    expect(inOther).toThrow(/gives "channel\.created" to channels/);
    expect(custom).toThrow(
      /"user\.teleported" is not a type of shared\/catalog\.ts, and a type the catalog does not list reaches other alone/,
    );
  });
});

describe('streamEventFunction', () => {
  it('runs the check at initialisation, before it reads its environment', () => {
    // Act
    const build = () =>
      streamEventFunction(
        'channels',
        { 'message.new': async () => undefined, fallback: async () => undefined } as unknown as CategoryHandlers<'channels'>,
        options,
      );

    // Assess
    expect(build).toThrow(HandlerKeyError);
    expect(build).toThrow(expect.objectContaining({ category: 'channels', key: 'message.new' }));
  });
});

describe('checkCategoryHandlers (serverless package)', () => {
  it("passes the project's own handler files", async () => {
    // Act
    const check = checkCategoryHandlers(PROJECT_DIR);

    // Assess
    await expect(check).resolves.toBeUndefined();
  });

  it('refuses a handler file that registers a type of another category, naming its owner', async () => {
    // Prepare: a service inside the project (its ES module setting applies) whose users handler registers
    // message.new, as a user might without a type check.
    mkdirSync(join(PROJECT_DIR, '.local'), { recursive: true });
    const serviceDir = mkdtempSync(join(PROJECT_DIR, '.local', 'handler-keys-'));
    for (const category of CATEGORIES) {
      const folder = join(serviceDir, 'functions', category);
      mkdirSync(folder, { recursive: true });
      const keys = category === 'users' ? `'message.new': async () => undefined, ` : '';
      writeFileSync(
        join(folder, 'handler.ts'),
        `import { streamEventFunction } from '${relative(folder, join(PROJECT_DIR, 'shared', 'middleware.js'))}';\n` +
          `export const handler = streamEventFunction('${category}', { ${keys}fallback: async () => undefined } as never);\n`,
      );
    }

    // Act
    const check = checkCategoryHandlers(serviceDir).finally(() => rmSync(serviceDir, { recursive: true, force: true }));

    // Assess
    await expect(check).rejects.toThrow(HandlerKeyError);
  });
});
