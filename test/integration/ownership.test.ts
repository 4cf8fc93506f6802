/**
 * Regressions of the holes found by attacking the chain as someone with access to the topic would (issue 10),
 * through the real chains of all five functions against DynamoDB Local. Each failed on the code before the
 * ownership rule, the canonical key and the created_at change.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { CATEGORIES } from '../../shared/catalog.js';
import { logger } from '../../shared/observability.js';
import { freshTable, type TestFunction, testFunction } from '../support/category-function.js';
import { sampleJson } from '../support/samples.js';

/** Every function's outcome for one delivery, `outcome[:reason]`, in catalog order. */
async function outcomesOf(functions: TestFunction[], lambdaEvent: unknown): Promise<string[]> {
  const results = await Promise.all(
    functions.map((fn) =>
      fn.invoke(lambdaEvent).then(
        (r) => `${r.outcome}${r.reason ? `:${r.reason}` : ''}`,
        () => 'failed',
      ),
    ),
  );
  return results;
}

async function allFunctions(): Promise<TestFunction[]> {
  const table = await freshTable();
  return Promise.all(CATEGORIES.map((category) => testFunction(category, table)));
}

describe('regression: a delivery that names two types and breaks elsewhere has one owner', () => {
  const twoTypesAnd = {
    'an unreadable created_at': '{"type":"user.banned","created_at":"soon","type":"message.new"}',
    'nesting past the limit': `{"type":"user.banned","x":${'['.repeat(100)}${']'.repeat(100)},"type":"message.new"}`,
    'an escaped second type key': '{"type":"user.banned","\\u0074ype":"message.new","x":1}',
  };
  for (const [fault, json] of Object.entries(twoTypesAnd)) {
    it(`is kept as rejected by the owner of its first type, with ${fault}`, async () => {
      // Prepare
      const functions = await allFunctions();

      // Act
      const outcomes = await outcomesOf(functions, snsLambdaEvent(gzipSync(json).toString('base64'), { messageId: 'two' }));

      // Assess: messages, channels, users, moderation, other
      expect(outcomes.filter((outcome) => outcome !== 'skipped')).toHaveLength(1);
      expect(outcomes[3]).toMatch(/^rejected:(conflicting_type|too_deep)$/);
      expect(functions.map((fn) => fn.runs.length)).toEqual([0, 0, 0, 0, 0]);
    });
  }
});

describe("regression: two disagreeing type members are rejected by the first one's owner, whatever the layout (issue 22)", () => {
  // Each layout hides the first member from the peek; on the code before, JSON.parse kept the last one and the
  // event ran as message.new.
  const conflicting = '{"type":"user.banned","cid":"messaging:x","type":"message.new"}';
  const layouts = {
    'an escaped first key': conflicting.replace('"type"', '"\\u0074ype"'),
    'an escaped first value': conflicting.replace('user.banned', 'user\\u002ebanned'),
    '600 characters of whitespace first': conflicting.replace('{', `{${' \n'.repeat(300)}`),
    'base64 with whitespace past its window': Buffer.from(conflicting.replace('{', `{${' '.repeat(300)}`)).toString('base64'),
    'a gzip header with a comment': (() => {
      const plain = gzipSync(conflicting);
      return Buffer.concat([
        plain.subarray(0, 3),
        Buffer.from([plain[3]! | 16]),
        plain.subarray(4, 10),
        Buffer.from(`${'c'.repeat(200)}\0`),
        plain.subarray(10),
      ]).toString('base64');
    })(),
  };
  for (const [layout, message] of Object.entries(layouts)) {
    it(`keeps it in moderation alone as conflicting_type, with ${layout}`, async () => {
      // Prepare
      const functions = await allFunctions();

      // Act
      const outcomes = await outcomesOf(functions, snsLambdaEvent(message, { messageId: 'layout' }));

      // Assess: messages, channels, users, moderation, other
      expect(outcomes).toEqual(['skipped', 'skipped', 'skipped', 'rejected:conflicting_type', 'skipped']);
      expect(functions.map((fn) => fn.runs.length)).toEqual([0, 0, 0, 0, 0]);
      expect(functions[3]!.rejections[0]).toMatchObject({ eventType: 'user.banned' });
    });
  }

  it('keeps a conflict whose first type is not a string in other, never running the later type', async () => {
    // Prepare
    const functions = await allFunctions();

    // Act
    const outcomes = await outcomesOf(functions, snsLambdaEvent('{"type":null,"type":"message.new"}', { messageId: 'null-first' }));

    // Assess
    expect(outcomes).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'rejected:conflicting_type']);
  });
});

describe('regression: one event re-published in another form runs once', () => {
  it('runs once for the event as sent, pretty-printed by jq, reordered, escaped, and base64 with whitespace', async () => {
    // Prepare
    const functions = await allFunctions();
    const event = { ...(JSON.parse(sampleJson('message.new')) as object), note: 'Café' };
    const json = JSON.stringify(event);
    const forms = [
      gzipSync(json).toString('base64'),
      JSON.stringify(event, null, 2),
      JSON.stringify(Object.fromEntries(Object.entries(event).reverse())),
      json.replace('é', '\\u00e9'),
      `\n${Buffer.from(json).toString('base64')}\n`,
    ];

    // Act
    const outcomes: string[] = [];
    for (const [i, form] of forms.entries()) {
      outcomes.push((await outcomesOf(functions, snsLambdaEvent(form, { messageId: `form-${i}` })))[0]!);
    }

    // Assess
    expect(outcomes).toEqual(['processed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(functions[0]!.runs).toHaveLength(1);
  });
});

describe('regression: created_at is information, not a gate', () => {
  let warnings: Array<Record<string, unknown>> = [];
  beforeEach(() => {
    warnings = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) {
        if (line.includes('"level":"WARN"')) warnings.push(JSON.parse(line) as Record<string, unknown>);
      }
      return true;
    });
    logger.setLogLevel('WARN');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  for (const createdAt of ['soon', 1e300, '2024-02-30T24:00:00Z', -1, { toString: 0, valueOf: 0 }]) {
    it(`processes a valid event whose created_at is ${JSON.stringify(createdAt)}, with createdAt undefined and one WARN`, async () => {
      // Prepare
      const functions = await allFunctions();
      const json = JSON.stringify({ type: 'user.banned', user: { id: 'u1' }, created_at: createdAt });

      // Act
      const outcomes = await outcomesOf(functions, snsLambdaEvent(json, { messageId: 'created' }));

      // Assess
      expect(outcomes).toEqual(['skipped', 'skipped', 'skipped', 'processed', 'skipped']);
      expect(functions[3]!.contexts).toHaveLength(1);
      expect(functions[3]!.contexts[0]!.createdAt).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ eventType: 'user.banned', createdAt: JSON.stringify(createdAt) });
    });
  }

  it('hands the handler the date when created_at can be read, and logs no WARN', async () => {
    // Prepare
    const functions = await allFunctions();
    const json = JSON.stringify({ type: 'user.banned', user: { id: 'u1' }, created_at: '2026-07-14T09:58:31.221904Z' });

    // Act
    await outcomesOf(functions, snsLambdaEvent(json, { messageId: 'dated' }));

    // Assess
    expect(functions[3]!.contexts[0]!.createdAt?.toISOString()).toBe('2026-07-14T09:58:31.221Z');
    expect(warnings).toHaveLength(0);
  });
});
