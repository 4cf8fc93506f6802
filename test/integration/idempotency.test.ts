/**
 * The idempotent step against AWS's own DynamoDB Local: the real middleware chain, the real Powertools
 * idempotency, a real table created from serverless.yml.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { encodeMessage, snsLambdaEvent } from '../../emulator/index.js';
import { EventInProgressError, IdempotencyStoreUnavailableError } from '../../shared/errors.js';
import { MessageEncoding } from '../../shared/types.js';
import { freshTable, testFunction } from '../support/category-function.js';
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
    expect(String(record?.id)).toMatch(/^messages#/);
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

  it('keys records per function, so two categories may each record an event', async () => {
    // Prepare
    const table = await freshTable();
    const messages = await testFunction('messages', table);
    const other = await testFunction('other', table);

    // Act
    await messages.invoke(gzipped('{"type":"message.new","x":1}', 'a'));
    await other.invoke(gzipped('{"type":"custom.thing","x":1}', 'b'));

    // Assess
    const ids = (await messages.records()).map((record) => String(record.id).split('#')[0]).sort();
    expect(ids).toEqual(['messages', 'other']);
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
    // Prepare: a port nothing listens on.
    const table = await freshTable();
    const fn = await testFunction('messages', { endpoint: 'http://127.0.0.1:9', tableName: table.tableName });
    const reachable = await testFunction('messages', table);

    // Act
    const failure = await fn.invoke(gzipped(messageNew, 'm-1')).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect((failure as Error).message).toMatch(/idempotency table is unavailable/);
    expect(fn.runs).toHaveLength(0);
    expect(await reachable.records()).toEqual([]);
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

  it('makes two DynamoDB requests for a new event and one for a duplicate', async () => {
    // Prepare
    const fn = await testFunction('messages');
    const delivery = gzipped(messageNew, 'm-1');

    // Act
    await fn.invoke(delivery);
    const afterNew = fn.requests();
    await fn.invoke(delivery);

    // Assess
    expect(afterNew).toBe(2);
    expect(fn.requests() - afterNew).toBe(1);
  });
});
