/**
 * Every delivery of the hostile corpus through all five category functions (the real chain, DynamoDB Local):
 * each is classified as expected by exactly one function, none crashes or hangs the process, nothing is
 * polluted, and memory stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/catalog.js';
import { freshTable, testFunction } from '../support/category-function.js';
import { hostileCorpus } from './corpus.js';

/** Heap growth allowed over the whole corpus: a few 16 MiB inflations and 10 MB strings, not a leak. */
const HEAP_GROWTH_LIMIT_BYTES = 256 * 1024 * 1024;
/** Peak resident memory allowed while the corpus runs (a Lambda function here has 256 MB for one delivery). */
const RSS_LIMIT_BYTES = 1024 * 1024 * 1024;

describe('hostile input', () => {
  it('holds at least 25 deliveries', () => {
    expect(hostileCorpus().length).toBeGreaterThanOrEqual(25);
  });

  it('classifies every delivery once, with bounded memory and no pollution', async () => {
    // Prepare
    const table = await freshTable();
    const functions = await Promise.all(CATEGORIES.map((category) => testFunction(category, table)));
    const corpus = hostileCorpus();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakRss = 0;
    const sample = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);

    // Act
    const outcomes: Record<string, unknown> = {};
    for (const delivery of corpus) {
      const results = await Promise.all(functions.map((fn) => fn.invoke(delivery.lambdaEvent)));
      const owners = results.filter((result) => result.outcome !== 'skipped');
      outcomes[delivery.name] = owners.map(({ outcome, reason, category }) => ({ outcome, category, ...(reason ? { reason } : {}) }));
    }
    clearInterval(sample);
    global.gc?.();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    // Assess
    const expected = Object.fromEntries(corpus.map((delivery) => [delivery.name, [delivery.expected]]));
    expect(outcomes).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES);
    expect(peakRss).toBeLessThan(RSS_LIMIT_BYTES);
  });
});
