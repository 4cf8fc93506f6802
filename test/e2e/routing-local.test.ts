/**
 * Routing in the local run, end to end (the run's package of the project, its DynamoDB Local, the real functions):
 * a delivery on the wrong category's topic, as a drifted hook would send it, is kept as misrouted and processed by no
 * one; a type moved from one category to another between two runs on one idempotency table runs once.
 *
 * The moved type's functions are the project's handlers bundled as deploy bundles them (the packaged esbuild
 * options) from a copy of functions/ and shared/ whose catalog gives the type to its new category: a second
 * `serverless package` would cost more and package the same code.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Build, bundleLikeDeploy, type DeliveryResult, openBuild, readDeliveries, startLocalStack } from '../../emulator/index.js';
import { CATEGORIES } from '../../shared/catalog.js';
import { ROUTING_DEFAULTS, type WantedHook, wantedHooks } from '../../shared/routing.js';
import { MessageEncoding } from '../../shared/types.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';
import { testPackage } from '../support/test-builds.js';

/** The type this file moves, and where: a moderation type that a team decides belongs to users. */
const MOVED = { type: 'user.banned', from: 'moderation', to: 'users' } as const;
const EVENTS_TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';

let build: Build;
let moved: Build;
const cleanup: Array<() => void> = [];
beforeAll(async () => {
  build = await openBuild(await testPackage('project'));
  cleanup.push(() => build.remove());
  moved = await movedTypeBuild(build);
}, 120_000);
afterAll(() => {
  for (const step of cleanup.reverse()) step();
});

/** The build with every category function bundled from a catalog where {@link MOVED} has its new category. */
async function movedTypeBuild(original: Build): Promise<Build> {
  const copy = mkdtempSync(join(PROJECT_DIR, '.local', 'moved-type-'));
  cleanup.push(() => rmSync(copy, { recursive: true, force: true }));
  for (const folder of ['functions', 'shared']) cpSync(join(PROJECT_DIR, folder), join(copy, folder), { recursive: true });
  const catalog = join(copy, 'shared/catalog.ts');
  const text = readFileSync(catalog, 'utf8');
  const entry = `'${MOVED.type}': '${MOVED.from}',`;
  expect(text).toContain(entry);
  writeFileSync(catalog, text.replace(entry, `'${MOVED.type}': '${MOVED.to}',`));
  // As docs/add-code.md says: the category that gave the type up drops its handler (the new owner's fallback runs it).
  const giver = join(copy, `functions/${MOVED.from}/handler.ts`);
  const handlers = readFileSync(giver, 'utf8');
  const withoutMoved = handlers.replace(new RegExp(`  '${MOVED.type.replace('.', '\\.')}': async[\\s\\S]*?\\n  },\\n(?=  fallback)`), '');
  expect(withoutMoved).not.toContain(`'${MOVED.type}'`);
  writeFileSync(giver, withoutMoved);
  const bundle = await bundleLikeDeploy(
    Object.fromEntries(CATEGORIES.map((category) => [category, join(copy, `functions/${category}/handler.ts`)])),
    original.bundling,
  );
  cleanup.push(() => bundle.remove());
  return {
    ...original,
    functions: original.functions.map((fn) => ({ ...fn, handlerFile: bundle.files[fn.name]!, handlerExport: 'handler' })),
  };
}

/** The hooks with `type` taken off every list and put on `category`'s (what the setup registers after a move). */
const withTypeOn = (hooks: readonly WantedHook[], type: string, category: string): WantedHook[] =>
  hooks.map((hook) => ({
    ...hook,
    eventTypes: hook.role === category ? [...hook.eventTypes, type].sort() : hook.eventTypes.filter((listed) => listed !== type),
  }));

/** Runs the sample deliveries through a local stack on `table`, with these functions and hooks; resolves to the results. */
async function run(table: string, options: { build: Build; hooks?: WantedHook[]; sources: string[] }) {
  const lines: string[] = [];
  const published: string[] = [];
  const stack = await startLocalStack({
    build: options.build,
    endpoint: inject('dynamoDBEndpoint'),
    environment: { IDEMPOTENCY_TABLE: table },
    hooks: options.hooks,
    onLogLine: (_, line) => lines.push(line),
    onPublish: ({ topicArn }) => published.push(topicArn),
  });
  try {
    const { deliveries } = readDeliveries(options.sources, MessageEncoding.Base64Gzip);
    const results = await stack.deliverAll(deliveries, 2);
    return { results, lines, published };
  } finally {
    await stack.stop();
  }
}

const bySample = (results: readonly DeliveryResult[]) =>
  Object.fromEntries(
    results.map((result) => [
      result.source
        .split('/')
        .pop()!
        .replace(/\.json$/, ''),
      result,
    ]),
  );
const SAMPLES = ['events/samples/user.banned.json', 'events/samples/message.new.json'];

describe('a delivery on the wrong category topic', () => {
  it('is kept as misrouted, naming the type and the topic, and processed by no one; once the hook is repaired it runs', async () => {
    // Prepare: Stream holds a drifted app: message.new listed on the moderation hook, not on the messages hook.
    const table = `routing-${randomUUID()}`;
    const drifted = withTypeOn(wantedHooks(EVENTS_TOPIC, ROUTING_DEFAULTS), 'message.new', 'moderation');

    // Act
    const misrouted = await run(table, { build, hooks: drifted, sources: ['events/samples/message.new.json'] });
    const repaired = await run(table, { build, sources: ['events/samples/message.new.json'] });

    // Assess
    const [result] = misrouted.results;
    expect(result).toMatchObject({ type: 'message.new', outcome: 'rejected', reason: 'misrouted' });
    expect(result!.functions).toEqual({ moderation: 'rejected', other: 'skipped' });
    expect(misrouted.published).toEqual([`${EVENTS_TOPIC}-moderation`, EVENTS_TOPIC]);
    const kept = misrouted.lines.filter((line) => line.includes('"misrouted"'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toContain('message.new');
    expect(kept[0]).toContain('stream-chat-events-dev-events-moderation');
    expect(repaired.results[0]).toMatchObject({ outcome: 'processed', functions: { messages: 'processed', other: 'skipped' } });
  });
});

describe('a type moved between two categories', () => {
  it('runs once across the move on one idempotency table: processed by its old owner, a duplicate for its new one', async () => {
    // Prepare
    const table = `routing-${randomUUID()}`;
    const movedHooks = withTypeOn(wantedHooks(EVENTS_TOPIC, ROUTING_DEFAULTS), MOVED.type, MOVED.to);

    // Act
    const before = bySample((await run(table, { build, sources: SAMPLES })).results);
    const after = bySample((await run(table, { build: moved, hooks: movedHooks, sources: SAMPLES })).results);

    // Assess
    expect(before[MOVED.type]).toMatchObject({ outcome: 'processed', functions: { [MOVED.from]: 'processed', other: 'skipped' } });
    expect(after[MOVED.type]).toMatchObject({ outcome: 'duplicate', functions: { [MOVED.to]: 'duplicate', other: 'skipped' } });
    expect(after['message.new']).toMatchObject({ outcome: 'duplicate', functions: { messages: 'duplicate', other: 'skipped' } });
  });

  it('while the hooks still carry the old lists, the new functions keep the moved type as misrouted: run by no one, never twice', async () => {
    // Prepare: the functions are deployed with the new catalog; Stream still holds the old hooks.
    const table = `routing-${randomUUID()}`;

    // Act
    const halfway = bySample((await run(table, { build: moved, sources: SAMPLES })).results);
    const done = bySample(
      (
        await run(table, {
          build: moved,
          hooks: withTypeOn(wantedHooks(EVENTS_TOPIC, ROUTING_DEFAULTS), MOVED.type, MOVED.to),
          sources: SAMPLES,
        })
      ).results,
    );

    // Assess
    expect(halfway[MOVED.type]).toMatchObject({
      outcome: 'rejected',
      reason: 'misrouted',
      functions: { [MOVED.from]: 'rejected', other: 'skipped' },
    });
    expect(done[MOVED.type]).toMatchObject({ outcome: 'processed', functions: { [MOVED.to]: 'processed', other: 'skipped' } });
  });
});

describe('a type no hook carries', () => {
  it('is reported unpublished, reaching no function, when streamEventTypes narrows the hooks; the listed type runs', async () => {
    // Prepare
    const table = `routing-${randomUUID()}`;
    const lines: string[] = [];
    const stack = await startLocalStack({
      build,
      endpoint: inject('dynamoDBEndpoint'),
      environment: { IDEMPOTENCY_TABLE: table },
      routing: { streamEventTypes: ['message.new'] },
      onLogLine: (_, line) => lines.push(line),
    });

    // Act
    const results = await stack.deliverAll(readDeliveries(SAMPLES, MessageEncoding.Base64Gzip).deliveries, 2).finally(() => stack.stop());

    // Assess
    const bySource = bySample(results);
    expect(bySource['user.banned']).toMatchObject({ outcome: 'unpublished', functions: {}, invocations: 0 });
    expect(bySource['user.banned']!.reason).toContain('"user.banned"');
    expect(bySource['message.new']).toMatchObject({ outcome: 'processed', functions: { messages: 'processed' }, invocations: 1 });
  });
});
