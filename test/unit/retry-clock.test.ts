/**
 * The retry clock's rule (emulator/retry-clock.ts): how far ahead a retry's clock is set, and which running
 * invocations a retry waits for. On fake timers; the clock against a real function and DynamoDB:
 * test/e2e/local-retries.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awaitEndedBefore, LAMBDA_RETRY_DELAYS_MS, type RunningInvocation, waitForRetry } from '../../emulator/retry-clock.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => vi.useRealTimers());

/** An invocation that started `agoMs` before now and ends when told. */
function running(agoMs: number): RunningInvocation & { end: () => void } {
  let end: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { startedAt: performance.now() - agoMs, clockOffsetMs: 0, ended, end };
}

/** Whether the promise has settled, once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

const TIMEOUT_MS = 30_000;

describe('waitForRetry', () => {
  it("sets each retry's clock to the failure's moment plus Lambda's delay: 1 minute, then 2 more", async () => {
    // Prepare
    const base = { realDelaysMs: [250, 500], timeoutMs: TIMEOUT_MS, running: [] };

    // Act
    const first = waitForRetry({ ...base, retry: 1, failedAt: performance.now(), previousOffsetMs: 0 });
    await vi.advanceTimersByTimeAsync(250);
    const firstOffset = await first;
    const second = waitForRetry({ ...base, retry: 2, failedAt: performance.now(), previousOffsetMs: firstOffset });
    await vi.advanceTimersByTimeAsync(500);
    const secondOffset = await second;

    // Assess
    expect(LAMBDA_RETRY_DELAYS_MS).toEqual([60_000, 120_000]);
    expect(firstOffset).toBe(60_000 - 250);
    expect(secondOffset).toBe(60_000 - 250 + 120_000 - 500);
  });

  it("never sets the clock back when the local wait is longer than Lambda's", async () => {
    // Act
    const retry = waitForRetry({
      retry: 1,
      failedAt: performance.now(),
      previousOffsetMs: 7,
      realDelaysMs: [90_000],
      timeoutMs: TIMEOUT_MS,
      running: [],
    });
    await vi.advanceTimersByTimeAsync(90_000);

    // Assess
    expect(await retry).toBe(7);
  });

  it('waits for a running invocation that AWS would have ended (killed at its timeout) before the retry', async () => {
    // Prepare: started 10 s ago; with a 30 s timeout, AWS ends it 20 s from now, well before the retry a minute on.
    const beside = running(10_000);

    // Act
    const retry = waitForRetry({
      retry: 1,
      failedAt: performance.now(),
      previousOffsetMs: 0,
      realDelaysMs: [250],
      timeoutMs: TIMEOUT_MS,
      running: [beside],
    });
    await vi.advanceTimersByTimeAsync(5_000);
    const beforeItEnded = await settled(retry);
    beside.end();
    const afterItEnded = await settled(retry);

    // Assess
    expect(beforeItEnded).toBe(false);
    expect(afterItEnded).toBe(true);
    expect(await retry).toBe(60_000 - 5_000);
  });

  it('does not wait for one that would still be running at the retry in AWS (a timeout longer than the delay)', async () => {
    // Prepare: a 15-minute timeout: in AWS this invocation may well run past the retry.
    const beside = running(10_000);

    // Act
    const retry = waitForRetry({
      retry: 1,
      failedAt: performance.now(),
      previousOffsetMs: 0,
      realDelaysMs: [250],
      timeoutMs: 15 * 60_000,
      running: [beside],
    });
    await vi.advanceTimersByTimeAsync(250);

    // Assess
    expect(await settled(retry)).toBe(true);
  });
});

describe('awaitEndedBefore', () => {
  it('holds a retry until a first attempt that started after the failure has ended, and not for one AWS would still run', async () => {
    // Prepare: the retry's clock reads 59 s ahead; a first attempt started 1 s ago (during the retry's real wait or its
    // queueing) would have ended long before the retry's moment in AWS; another retry, on the same clock, would not.
    const firstAttempt = running(1_000);
    const otherRetry = { ...running(1_000), clockOffsetMs: 59_000 };

    // Act
    const gate = awaitEndedBefore({ clockOffsetMs: 59_000, timeoutMs: TIMEOUT_MS, running: new Set([firstAttempt, otherRetry]) });
    const heldWhileRunning = !(await settled(gate));
    firstAttempt.end();
    const releasedAfterEnd = await settled(gate);

    // Assess
    expect(heldWhileRunning).toBe(true);
    expect(releasedAfterEnd).toBe(true);
  });
});
