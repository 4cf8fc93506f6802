/**
 * The idempotent step against AWS's own DynamoDB Local: the real middleware chain, the real Powertools
 * idempotency, a real table created from serverless.yml.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeMessage, lambdaContext, snsLambdaEvent, startDynamoDBFaults } from '../../emulator/index.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { EventInProgressError, IdempotencyStoreUnavailableError } from '../../shared/errors.js';
import { createIdempotentRunner } from '../../shared/idempotency.js';
import { MessageEncoding } from '../../shared/types.js';
import { inMemoryIdempotencyStore } from '../../testing/in-memory-store.js';
import { countingClient, freshTable, testFunction } from '../support/category-function.js';
import { sampleJson } from '../support/samples.js';

const messageNew = sampleJson('message.new');

/** Waits until `condition` holds: the first delivery holds the lock once its handler has started. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out waiting');
    await sleep(10);
  }
}
const gzipped = (json: string, messageId: string) => snsLambdaEvent(encodeMessage(json, MessageEncoding.Base64Gzip), { messageId });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('idempotency: duplicates', () => {
  it('runs the handler once for the same delivery twice; the second returns the stored outcome', async () => {
    // Prepare
    const fn = await testFunction('messages');
    const delivery = gzipped(messageNew, 'm-1');

    // Act
    const first = await fn.invoke(delivery);
    const second = await fn.invoke(delivery);

    // Assess
    expect(fn.runs).toHaveLength(1);
    expect(first.outcome).toBe('processed');
    expect(second.outcome).toBe('duplicate');
    const [record] = await fn.records();
    expect(record).toMatchObject({ status: 'COMPLETED', data: { M: { done: { BOOL: true } } } });
    expect(String(record?.id)).toMatch(/^v3#[^#]+$/);
    const lifetime = Number(record?.expiration) - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(25 * 86_400 - 60);
    expect(lifetime).toBeLessThanOrEqual(25 * 86_400 + 1);
  });

  it('runs once for one event re-published in three encodings with three MessageIds', async () => {
    // Prepare
    const fn = await testFunction('messages');
    const deliveries = Object.values(MessageEncoding).map((encoding, i) =>
      snsLambdaEvent(encodeMessage(messageNew, encoding), { messageId: `republished-${i}` }),
    );

    // Act
    const outcomes = [];
    for (const delivery of deliveries) outcomes.push((await fn.invoke(delivery)).outcome);

    // Assess
    expect(fn.runs).toHaveLength(1);
    expect(outcomes).toEqual(['processed', 'duplicate', 'duplicate']);
  });

  it('runs both of two distinct events about the same message (reactions by two users)', async () => {
    // Prepare
    const fn = await testFunction('messages');
    const reaction = (user: string) =>
      JSON.stringify({
        type: 'reaction.new',
        cid: 'messaging:x',
        message: { id: 'msg-1' },
        reaction: { type: 'like', user_id: user },
        user: { id: user },
      });

    // Act
    const results = [await fn.invoke(gzipped(reaction('ana'), 'r1')), await fn.invoke(gzipped(reaction('bo'), 'r2'))];

    // Assess
    expect(results.map((result) => result.outcome)).toEqual(['processed', 'processed']);
    expect(fn.runs.map((event) => event.user?.id)).toEqual(['ana', 'bo']);
  });

  it('keys records by the event alone, so a type moved between categories runs once in its old and its new owner', async () => {
    // Prepare: the idempotent steps of the old owner (messages, before the move) and the new one (channels, after),
    // on one table, as both run during the deploy that moves the type; one catalog cannot hold both, so the steps
    // are taken as each function builds its own.
    const table = await freshTable();
    const dynamoDB = countingClient(table.endpoint).client;
    const oldOwner = createIdempotentRunner('messages', { tableName: table.tableName, dynamoDB });
    const newOwner = createIdempotentRunner('channels', { tableName: table.tableName, dynamoDB });
    const delivery = decodeSnsDelivery(gzipped(messageNew, 'moved-1'));
    const again = decodeSnsDelivery(snsLambdaEvent(messageNew, { messageId: 'moved-2' }));
    let runs = 0;
    const work = async () => {
      runs += 1;
    };

    // Act
    const outcomes = [await newOwner(delivery, lambdaContext(), work), await oldOwner(again, lambdaContext(), work)];

    // Assess
    expect(outcomes).toEqual(['processed', 'duplicate']);
    expect(runs).toBe(1);
  });
});

describe('idempotency: the upgrade from <category>#v2 keys (legacy lookup)', () => {
  /** Records the event as done the way the release before did: Powertools under the prefix `<category>#v2`. */
  async function doneUnderV2(
    category: string,
    table: { endpoint: string; tableName: string },
    json: string,
    context: Context = lambdaContext(),
  ): Promise<void> {
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: table.tableName,
      awsSdkV3Client: countingClient(table.endpoint).client,
    });
    const done = makeIdempotent(async (_key: { eventKey: string }, _context: Context) => ({ done: true }), {
      persistenceStore,
      config: new IdempotencyConfig({ expiresAfterSeconds: 60, throwOnNoIdempotencyKey: true }),
      keyPrefix: `${category}#v2`,
    });
    await done({ eventKey: decodeSnsDelivery(snsLambdaEvent(json, { messageId: 'v2' })).eventKey }, context);
  }

  /** Holds the event in progress under `messages#v2`, as a v2 invocation with `timeoutMs` left does until `release`. */
  async function runningUnderV2(table: { endpoint: string; tableName: string }, timeoutMs: number) {
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: table.tableName,
      awsSdkV3Client: countingClient(table.endpoint).client,
    });
    let release = () => {};
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    const v2 = makeIdempotent(
      async (_key: { eventKey: string }, _context: Context) => {
        await running;
        return { done: true };
      },
      { persistenceStore, config: new IdempotencyConfig({ expiresAfterSeconds: 60 }), keyPrefix: 'messages#v2' },
    );
    const inFlight = v2(
      { eventKey: decodeSnsDelivery(snsLambdaEvent(messageNew, { messageId: 'v2' })).eventKey },
      lambdaContext({ timeoutMs }),
    );
    return {
      release: () => {
        release();
        return inFlight;
      },
    };
  }

  it('finds an event that the version before recorded as done under <category>#v2, and does not run it again', async () => {
    // Prepare
    const table = await freshTable();
    await doneUnderV2('messages', table, messageNew);
    const fn = await testFunction('messages', table);

    // Act
    const first = await fn.invoke(gzipped(messageNew, 'after-upgrade'));
    const requestsFirst = fn.requests();
    const second = await fn.invoke(gzipped(messageNew, 'after-upgrade'));

    // Assess: a duplicate, now recorded under v3 too, so the next delivery costs one request and no lookup.
    expect([first.outcome, second.outcome]).toEqual(['duplicate', 'duplicate']);
    expect(fn.runs).toHaveLength(0);
    expect((await fn.records()).map((record) => String(record.id).split('#').slice(0, -1).join('#')).sort()).toEqual(['messages#v2', 'v3']);
    expect(requestsFirst).toBe(3);
    expect(fn.requests() - requestsFirst).toBe(1);
  });

  it('makes a delivery wait for a retry while the version before is still running the event', async () => {
    // Prepare: a v2 invocation holds the event in progress (its handler has not returned).
    const table = await freshTable();
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: table.tableName,
      awsSdkV3Client: countingClient(table.endpoint).client,
    });
    let release = () => {};
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    const v2 = makeIdempotent(
      async (_key: { eventKey: string }, _context: Context) => {
        await running;
        return { done: true };
      },
      { persistenceStore, config: new IdempotencyConfig({ expiresAfterSeconds: 60 }), keyPrefix: 'messages#v2' },
    );
    const inFlight = v2({ eventKey: decodeSnsDelivery(snsLambdaEvent(messageNew, { messageId: 'v2' })).eventKey }, lambdaContext());
    const fn = await testFunction('messages', table);
    // The v2 lock is taken once its record is in the table.
    while ((await fn.records()).length === 0) await sleep(10);

    // Act
    const failure = await fn.invoke(gzipped(messageNew, 'during')).catch((error: unknown) => error);
    release();
    await inFlight;
    const retried = await fn.invoke(gzipped(messageNew, 'during'));

    // Assess: the retry finds the v2 record completed, and the event never ran under v3.
    expect(failure).toBeInstanceOf(EventInProgressError);
    expect(retried.outcome).toBe('duplicate');
    expect(fn.runs).toHaveLength(0);
  });

  it('lets the event run once the lock of a v2 invocation that timed out has expired, and not at its last millisecond', async () => {
    // Prepare: on a clock that stands still, a v2 invocation with 1 s left takes the lock and never finishes.
    vi.useFakeTimers({ toFake: ['Date'] });
    const table = await freshTable();
    const lockedAt = Date.now();
    const v2 = await runningUnderV2(table, 1_000);
    const fn = await testFunction('messages', table);
    while ((await fn.records()).length === 0) await sleep(10);

    // Act
    vi.setSystemTime(lockedAt + 1_000);
    const atExpiry = await fn.invoke(gzipped(messageNew, 'at-expiry')).catch((error: unknown) => error);
    vi.setSystemTime(lockedAt + 1_001);
    const afterExpiry = await fn.invoke(gzipped(messageNew, 'after-expiry'));
    await v2.release();

    // Assess: at the expiry's millisecond the lock still holds, as in Powertools' own condition on DynamoDB (expiry < now).
    expect(atExpiry).toBeInstanceOf(EventInProgressError);
    expect((atExpiry as Error).cause).toBeInstanceOf(IdempotencyAlreadyInProgressError);
    expect((atExpiry as Error).cause).toMatchObject({ message: 'in progress under the legacy key' });
    expect(afterExpiry.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(1);
  });

  it('runs an event whose v2 record has outlived its lifetime, as an expired v3 record lets it run', async () => {
    // Prepare: done under v2 by an invocation with 15 minutes left (its lock's expiry lies past the record's 60 s
    // lifetime); then the clock passes that lifetime. DynamoDB's TTL deletes an expired item only days later.
    const table = await freshTable();
    await doneUnderV2('messages', table, messageNew, lambdaContext({ timeoutMs: 15 * 60_000 }));
    const fn = await testFunction('messages', table);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 60_000);

    // Act
    const result = await fn.invoke(gzipped(messageNew, 'outlived'));

    // Assess
    expect(result.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(1);
  });

  it('does not look for a forced reprocess under the v2 key: the label runs the event, whatever ran before', async () => {
    // Prepare
    const table = await freshTable();
    await doneUnderV2('messages', table, messageNew);
    const fn = await testFunction('messages', table);

    // Act
    const result = await fn.invoke({ ...gzipped(messageNew, 'forced'), streamReprocess: { label: 'after-upgrade' } });

    // Assess: the lock and the completion, no lookup.
    expect(result.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(1);
    expect(fn.requests()).toBe(2);
  });

  it("reads its own category's legacy record only: another category's, or none, lets the event run", async () => {
    // Prepare
    const table = await freshTable();
    await doneUnderV2('channels', table, messageNew);
    const fn = await testFunction('messages', table);

    // Act
    const result = await fn.invoke(gzipped(messageNew, 'm-1'));

    // Assess
    expect(result.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(1);
  });

  it('fails for a retry, running nothing, when the legacy lookup cannot reach the table', async () => {
    // Prepare: the faults stand-in drops the lookup (a GetItem); the lock and its release go through.
    const table = await freshTable();
    const faults = await startDynamoDBFaults(table.endpoint);
    faults.failNext.push({ action: 'GetItem', kind: 'dropped' }, { action: 'GetItem', kind: 'dropped' });
    const fn = await testFunction('messages', { endpoint: faults.endpoint, tableName: table.tableName });

    // Act
    const failure = await fn.invoke(gzipped(messageNew, 'm-1')).catch((error: unknown) => error);
    const retried = await fn.invoke(gzipped(messageNew, 'm-1'));

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect((failure as Error).message).toContain('legacy record');
    expect((failure as Error).cause).toBeInstanceOf(Error);
    expect(retried.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(1);
  });
});

describe('idempotency: reprocessing (streamReprocess beside Records)', () => {
  it('runs a reprocessed event only if it never ran, and once more per --force label', async () => {
    // Prepare
    const fn = await testFunction('messages');
    const delivery = gzipped(messageNew, 'm-1');
    const reprocess = (streamReprocess: object) => ({ ...delivery, streamReprocess });

    // Act: as delivered, then reprocessed without --force, with --force a twice, and with --force b.
    const outcomes = [];
    for (const lambdaEvent of [delivery, reprocess({}), reprocess({ label: 'a' }), reprocess({ label: 'a' }), reprocess({ label: 'b' })]) {
      outcomes.push((await fn.invoke(lambdaEvent)).outcome);
    }

    // Assess
    expect(outcomes).toEqual(['processed', 'duplicate', 'processed', 'duplicate', 'processed']);
    expect(fn.runs).toHaveLength(3);
    const prefixes = (await fn.records()).map((record) => String(record.id).split('#').slice(0, -1).join('#')).sort();
    expect(prefixes).toEqual(['v3', 'v3#reprocess:a', 'v3#reprocess:b']);
  });

  it('keeps the stores of the last 8 labels: a label seen again runs nothing, one pushed out gets a new, empty store', async () => {
    // Prepare: one fresh store per key prefix, as a host injects them (testing/index.ts): a store built again for a
    // label starts empty, so what the step keeps shows in what runs.
    let built = 0;
    const run = createIdempotentRunner('messages', {
      tableName: 'in-memory',
      persistenceLayer: () => {
        built += 1;
        return inMemoryIdempotencyStore();
      },
    });
    const delivery = decodeSnsDelivery(gzipped(messageNew, 'labels'));
    const labels = ['a', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'a', 'i', 'a'];

    // Act
    const outcomes = [];
    for (const label of labels) outcomes.push(await run(delivery, lambdaContext(), async () => undefined, label));

    // Assess: a..h are 8 labels, so a is still kept; the 9th, i, pushes out the oldest, a.
    expect(outcomes).toEqual([
      'processed',
      'duplicate',
      ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map(() => 'processed'),
      'duplicate',
      'processed',
      'processed',
    ]);
    // The current and the legacy stores, then one per label kept: a to i, and a again.
    expect(built).toBe(2 + 10);
  });
});

describe('idempotency: concurrency', () => {
  it('runs the handler exactly once for three concurrent deliveries; the record ends COMPLETED', async () => {
    // Prepare
    const fn = await testFunction('messages', { work: () => sleep(300) });
    const deliveries = ['c1', 'c2', 'c3'].map((id) => gzipped(messageNew, id));

    // Act
    const settled = await Promise.allSettled(deliveries.map((delivery) => fn.invoke(delivery)));

    // Assess
    expect(fn.runs).toHaveLength(1);
    const processed = settled.filter((s) => s.status === 'fulfilled' && s.value.outcome === 'processed');
    // The others either met the lock (and Lambda would retry them) or, on a slow machine, the finished record.
    const heldOff = settled.filter(
      (s) =>
        (s.status === 'rejected' && s.reason instanceof EventInProgressError) ||
        (s.status === 'fulfilled' && s.value.outcome === 'duplicate'),
    );
    expect(processed).toHaveLength(1);
    expect(processed.length + heldOff.length).toBe(3);
    const records = await fn.records();
    expect(records).toHaveLength(1);
    expect(records[0]?.status).toBe('COMPLETED');
  });

  it('fails a concurrent duplicate (so Lambda retries it) and the retry then finds the event done', async () => {
    // Prepare
    const fn = await testFunction('messages', { work: () => sleep(300) });
    const first = fn.invoke(gzipped(messageNew, 'first'));
    await until(() => fn.runs.length === 1);

    // Act
    const concurrent = await fn.invoke(gzipped(messageNew, 'concurrent')).catch((error: unknown) => error);
    await first;
    const retry = await fn.invoke(gzipped(messageNew, 'concurrent'));

    // Assess
    expect(concurrent).toBeInstanceOf(EventInProgressError);
    expect(retry.outcome).toBe('duplicate');
    expect(fn.runs).toHaveLength(1);
  });

  it('does not let a failed concurrent duplicate release the lock of the running one (Powertools 2.35 middy flaw)', async () => {
    // Prepare: A holds the lock; B fails on it. With the flawed middleware B's onError deleted A's record.
    const fn = await testFunction('messages', { work: () => sleep(600) });
    const a = fn.invoke(gzipped(messageNew, 'A'));
    await until(() => fn.runs.length === 1);
    const b = await fn.invoke(gzipped(messageNew, 'B')).catch((error: unknown) => error);

    // Act: C arrives while A still runs.
    const c = await fn.invoke(gzipped(messageNew, 'C')).catch((error: unknown) => error);
    await a;

    // Assess
    expect(b).toBeInstanceOf(EventInProgressError);
    expect(c).toBeInstanceOf(EventInProgressError);
    expect(fn.runs).toHaveLength(1);
  });
});

describe('idempotency: failures', () => {
  it('leaves no record when the handler throws, and the retry runs the handler', async () => {
    // Prepare
    let attempts = 0;
    const fn = await testFunction('messages', {
      work: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('downstream unavailable');
      },
    });
    const delivery = gzipped(messageNew, 'm-1');

    // Act
    const failure = await fn.invoke(delivery).catch((error: unknown) => error);
    const recordsAfterFailure = await fn.records();
    const retry = await fn.invoke(delivery);

    // Assess
    expect((failure as Error).message).toBe('downstream unavailable');
    expect(recordsAfterFailure).toEqual([]);
    expect(retry.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(2);
  });

  it('lets the retry run once the lock of a timed-out invocation has expired', async () => {
    // Prepare: the first invocation hangs past its 1.5 s deadline, as a Lambda timeout does.
    let release: () => void = () => undefined;
    const hang = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const fn = await testFunction('messages', { work: async () => (++calls === 1 ? hang : undefined) });
    const timedOut = fn.invoke(gzipped(messageNew, 't1'), { timeoutMs: 1_500 }).catch((error: unknown) => error);
    await until(() => fn.runs.length === 1);
    const tooEarly = await fn.invoke(gzipped(messageNew, 't1')).catch((error: unknown) => error);

    // Act
    await sleep(1_600);
    const retry = await fn.invoke(gzipped(messageNew, 't1'));

    // Assess
    expect(await timedOut).toBeInstanceOf(Error);
    expect(tooEarly).toBeInstanceOf(EventInProgressError);
    expect(retry.outcome).toBe('processed');
    expect(fn.runs).toHaveLength(2);
    release();
  });

  it('rides out a failed completion write after the handler succeeded, so the retry does not run it again', async () => {
    // Prepare: the first two writes that mark the event done fail, as during a short DynamoDB outage.
    const fn = await testFunction('messages', { failCompletionWrites: 2 });

    // Act
    const result = await fn.invoke(gzipped(messageNew, 'blip'));
    const redelivery = await fn.invoke(gzipped(messageNew, 'blip'));

    // Assess
    expect(result.outcome).toBe('processed');
    expect(redelivery.outcome).toBe('duplicate');
    expect(fn.runs).toHaveLength(1);
    expect((await fn.records())[0]?.status).toBe('COMPLETED');
  });

  it('fails as transient, with the handler run once, when the completion write keeps failing', async () => {
    // Prepare
    const fn = await testFunction('messages', { failCompletionWrites: 1_000 });

    // Act
    const failure = await fn.invoke(gzipped(messageNew, 'down'), { timeoutMs: 5_000 }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect(fn.runs).toHaveLength(1);
    expect((await fn.records())[0]?.status).toBe('INPROGRESS');
  });

  it('fails with a transient error when DynamoDB is unreachable, running and recording nothing', async () => {
    // Prepare: a port nothing listens on; no local endpoint in the environment.
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', undefined);
    const table = await freshTable();
    const fn = await testFunction('messages', { endpoint: 'http://127.0.0.1:9', tableName: table.tableName });
    const reachable = await testFunction('messages', table);

    // Act
    const failure = await fn.invoke(gzipped(messageNew, 'm-1')).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect((failure as Error).message).toMatch(/idempotency table is unavailable/);
    expect((failure as Error).message.endsWith(`; table ${table.tableName})`)).toBe(true);
    expect(fn.runs).toHaveLength(0);
    expect(await reachable.records()).toEqual([]);
  });

  it('says, against a local endpoint where nothing answers, how to get DynamoDB Local and the table there', async () => {
    // Prepare: AWS_ENDPOINT_URL_DYNAMODB as a newcomer sets it under serverless invoke local, with nothing listening.
    const endpoint = 'http://127.0.0.1:9';
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    const fn = await testFunction('messages', { endpoint, tableName: 'not-there' });

    // Act
    const failure = await fn.invoke(gzipped(messageNew, 'local')).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect((failure as Error).message).toContain(
      `; table not-there at DynamoDB endpoint ${endpoint}: is DynamoDB Local running there, with that table? ` +
        'Unset AWS_ENDPOINT_URL_DYNAMODB and `serverless invoke local` starts one and creates the table itself; ' +
        `or, with DynamoDB Local running there, create the table: npm run replay -- --endpoint ${endpoint} --table not-there <event file>)`,
    );
    expect(fn.runs).toHaveLength(0);
  });
});

describe('idempotency: the drop path', () => {
  it('makes zero DynamoDB requests for an event of another category', async () => {
    // Prepare
    const fn = await testFunction('users');

    // Act
    const result = await fn.invoke(gzipped(messageNew, 'm-1'));

    // Assess
    expect(result).toEqual({ outcome: 'skipped', category: 'users', type: 'message.new' });
    expect(fn.requests()).toBe(0);
    expect(fn.runs).toHaveLength(0);
  });

  it('makes three DynamoDB requests for a new event (the lock, the legacy lookup, the completion) and one for a duplicate', async () => {
    // Prepare
    const fn = await testFunction('messages');
    const delivery = gzipped(messageNew, 'm-1');

    // Act
    await fn.invoke(delivery);
    const afterNew = fn.requests();
    await fn.invoke(delivery);

    // Assess
    expect(afterNew).toBe(3);
    expect(fn.requests() - afterNew).toBe(1);
  });
});
