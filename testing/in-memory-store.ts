/**
 * An idempotency store in memory, for the test kit (testing/index.ts): Powertools' own cache persistence layer
 * (the one it runs on Valkey and Redis, with its conditional logic for locks, in-progress expiry and completed
 * records) over a Map that keeps the two cache operations it needs, `SET ... NX EX` and `GET`, and `DEL`.
 *
 * Limitation: one process, no network: it shows what your handler does once and on a duplicate, not how DynamoDB
 * fails (the template's own tests prove that against DynamoDB Local). Expiry reads Date.now(), so fake timers move it.
 */
import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import type { CacheClient } from '@aws-lambda-powertools/idempotency/cache/types';

/** A fresh, empty store. */
export function inMemoryIdempotencyStore(): CachePersistenceLayer {
  return new CachePersistenceLayer({ client: inMemoryCache() });
}

/**
 * Stores over one shared, fresh memory: the idempotent step builds one per key prefix (its current records, the
 * legacy ones it reads, each reprocess label's), and their keys are prefixed, so they share the memory as they share
 * a table.
 */
export function inMemoryIdempotencyStores(): () => CachePersistenceLayer {
  const cache = inMemoryCache();
  return () => new CachePersistenceLayer({ client: cache });
}

function inMemoryCache(): CacheClient {
  const entries = new Map<string, { value: string; expiresAtMs: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAtMs <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    async get(key) {
      return live(String(key))?.value ?? null;
    },
    async set(key, value, options) {
      const { EX, NX } = (options ?? {}) as { EX?: number; NX?: boolean };
      if (NX === true && live(String(key)) !== undefined) return null;
      entries.set(String(key), { value: String(value), expiresAtMs: EX === undefined ? Number.POSITIVE_INFINITY : Date.now() + EX * 1000 });
      return 'OK';
    },
    async del(keys) {
      return keys.filter((key) => entries.delete(key)).length;
    },
  };
}
