/**
 * The project's one retry helper (shared/retry.ts), on vitest's fake clock: attempts, the doubling wait and its cap,
 * a wait the failure names, the deadline (a signal, and the time left), and what each ending throws.
 */
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RetryOptions, retry, sleep } from '../../shared/retry.js';
import { RetriesExhaustedError, RetryDeadlineError } from '../../shared/retry-errors.js';

/** An attempt that fails `failures` times, then answers `done`; it records when each attempt started. */
function flaky(failures: number, failure: () => unknown = () => new Error('flaky')) {
  const startedAt: number[] = [];
  const attempt = async () => {
    startedAt.push(Date.now());
    if (startedAt.length <= failures) throw failure();
    return 'done';
  };
  return { attempt, startedAt, gaps: () => startedAt.slice(1).map((at, index) => at - startedAt[index]!) };
}
const base = (more: Partial<RetryOptions> = {}) => ({
  operation: 'test call',
  wait: 'retry',
  firstDelayMs: 100,
  maxDelayMs: 1_000,
  attempts: 5,
  ...more,
});
/** Runs to the end, letting the fake clock pass every wait the helper starts. */
async function settled<T>(promise: Promise<T>): Promise<T | Error> {
  const outcome = promise.then(
    (value) => value,
    (error: Error) => error,
  );
  await vi.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retry: attempts and waits', () => {
  it('returns at once what the first attempt returns, without waiting', async () => {
    // Prepare
    const { attempt, startedAt } = flaky(0);

    // Act
    const result = await retry(attempt, base());

    // Assess
    expect(result).toBe('done');
    expect(startedAt).toHaveLength(1);
  });

  it('waits the first delay, doubling after each failed retry up to the cap', async () => {
    // Prepare
    const { attempt, gaps } = flaky(5);

    // Act
    const result = await settled(retry(attempt, base({ attempts: 6, firstDelayMs: 200, maxDelayMs: 1_000 })));

    // Assess
    expect(result).toBe('done');
    expect(gaps()).toEqual([200, 400, 800, 1_000, 1_000]);
  });

  it('throws RetriesExhaustedError with the last failure as cause after the last attempt, with no wait after it', async () => {
    // Prepare
    const last = new Error('the last one');
    let count = 0;
    const attempt = async () => {
      count += 1;
      throw count === 3 ? last : new Error('earlier');
    };
    const waits: number[] = [];

    // Act
    const failure = await settled(retry(attempt, base({ attempts: 3, onWait: ({ ms }) => waits.push(ms) })));

    // Assess
    expect(failure).toBeInstanceOf(RetriesExhaustedError);
    expect(failure).toMatchObject({ name: 'RetriesExhaustedError', message: 'test call: 3 attempts failed', attempts: 3, cause: last });
    expect(waits).toEqual([100, 200]);
  });

  it('says "1 attempt" when the only attempt allowed failed', async () => {
    // Prepare
    const { attempt } = flaky(1);

    // Act
    const failure = await settled(retry(attempt, base({ attempts: 1 })));

    // Assess
    expect(failure).toBeInstanceOf(RetriesExhaustedError);
    expect(failure).toMatchObject({ message: 'test call: 1 attempt failed', attempts: 1 });
  });

  it('throws a failure that is not retryable at once, as it is', async () => {
    // Prepare
    const refused = new TypeError('refused');
    const { attempt, startedAt } = flaky(3, () => refused);

    // Act
    const failure = await settled(retry(attempt, base({ retryable: (error) => !(error instanceof TypeError) })));

    // Assess
    expect(failure).toBe(refused);
    expect(startedAt).toHaveLength(1);
  });

  it('honours a wait the failure names, up to its own cap, and reports it under the name given', async () => {
    // Prepare
    const { attempt, gaps } = flaky(2, () => Object.assign(new Error('rate limited'), { waitMs: 90_000 }));
    const reported: Array<{ name: string; ms: number }> = [];

    // Act
    await settled(
      retry(
        attempt,
        base({
          maxNamedDelayMs: 60_000,
          namedWait: (error) => ({ ms: (error as { waitMs: number }).waitMs, name: 'rate limit' }),
          onWait: ({ name, ms }) => reported.push({ name, ms }),
        }),
      ),
    );

    // Assess
    expect(gaps()).toEqual([60_000, 60_000]);
    expect(reported).toEqual([
      { name: 'rate limit', ms: 60_000 },
      { name: 'rate limit', ms: 60_000 },
    ]);
  });
});

describe('retry: the deadline', () => {
  it('makes no attempt once the signal has aborted', async () => {
    // Prepare
    const { attempt, startedAt } = flaky(0);

    // Act
    const failure = await settled(retry(attempt, base({ signal: AbortSignal.abort() })));

    // Assess
    expect(failure).toBeInstanceOf(RetryDeadlineError);
    expect(failure).toMatchObject({ name: 'RetryDeadlineError', message: 'test call: the deadline passed before the next attempt' });
    expect(startedAt).toEqual([]);
  });

  it('ends a wait at once when the signal aborts during it, naming the wait', async () => {
    // Prepare
    const controller = new AbortController();
    const { attempt, startedAt } = flaky(5);
    setTimeout(() => controller.abort(), 150);

    // Act
    const failure = await settled(retry(attempt, base({ firstDelayMs: 1_000, signal: controller.signal })));

    // Assess
    expect(failure).toBeInstanceOf(RetryDeadlineError);
    expect(failure).toMatchObject({ wait: 'retry', waitMs: 1_000, cause: { message: 'flaky' } });
    expect(startedAt).toHaveLength(1);
  });

  it('does not start a wait that would end less than keepMs before the deadline, and says which wait', async () => {
    // Prepare
    const deadline = Date.now() + 5_000;
    const { attempt, startedAt } = flaky(5);

    // Act
    const failure = await settled(
      retry(
        attempt,
        base({ firstDelayMs: 1_000, maxDelayMs: 8_000, remainingMs: () => deadline - Date.now(), keepMs: 1_500, wait: 'answer' }),
      ),
    );

    // Assess: the waits of 1 s and 2 s leave at least 1.5 s before the deadline; the 4 s one would not.
    expect(failure).toBeInstanceOf(RetryDeadlineError);
    expect((failure as Error).message).toBe('test call: the deadline comes before the end of the 4 s wait for the answer');
    expect(startedAt).toHaveLength(3);
  });

  it('starts a wait that ends exactly keepMs before the deadline', async () => {
    // Prepare: 1.1 s left, a 100 ms wait and 1 s to keep: the wait leaves exactly what must be kept.
    const deadline = Date.now() + 1_100;
    const { attempt, startedAt } = flaky(1);

    // Act
    const result = await settled(retry(attempt, base({ remainingMs: () => deadline - Date.now(), keepMs: 1_000 })));

    // Assess
    expect(result).toBe('done');
    expect(startedAt).toHaveLength(2);
  });

  it('a failure that came with the abort of the signal is the deadline, not a failure to retry', async () => {
    // Prepare
    const controller = new AbortController();
    const attempt = async () => {
      controller.abort();
      throw new Error('aborted');
    };
    const waits: number[] = [];

    // Act
    const failure = await settled(retry(attempt, base({ signal: controller.signal, onWait: ({ ms }) => waits.push(ms) })));

    // Assess: no wait was due, so none is named or announced.
    expect(failure).toBeInstanceOf(RetryDeadlineError);
    expect(failure).toMatchObject({ message: 'test call: the deadline passed before the next attempt', wait: undefined });
    expect((failure as Error).cause).toMatchObject({ message: 'aborted' });
    expect(waits).toEqual([]);
  });

  it('stops before the waits together would pass their budget, and lets them fill it exactly', async () => {
    // Prepare
    const { attempt, gaps } = flaky(5);

    // Act
    const failure = await settled(retry(attempt, base({ firstDelayMs: 100, maxTotalWaitMs: 300 })));

    // Assess: 100 + 200 fill the budget, the next 400 would pass it.
    expect(failure).toBeInstanceOf(RetryDeadlineError);
    expect(gaps()).toEqual([100, 200]);
  });
});

describe('sleep', () => {
  it('resolves true after the whole wait, false at once when the signal is aborted or aborts', async () => {
    // Prepare
    const controller = new AbortController();

    // Act
    const whole = sleep(1_000, undefined);
    const cut = sleep(1_000, controller.signal);
    const already = await sleep(1_000, AbortSignal.abort());
    controller.abort();
    await vi.advanceTimersByTimeAsync(1_000);

    // Assess
    expect(already).toBe(false);
    expect(await cut).toBe(false);
    expect(await whole).toBe(true);
  });

  it('leaves no timer and no abort listener behind, whether the wait passed or was cut short', async () => {
    // Prepare
    const cutShort = new AbortController();
    const passing = new AbortController();

    // Act
    const cut = sleep(1_000, cutShort.signal);
    const whole = sleep(100, passing.signal);
    cutShort.abort();
    await cut;
    await vi.advanceTimersByTimeAsync(100);
    await whole;

    // Assess: nothing keeps the process alive, and a long-lived signal does not collect listeners.
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(passing.signal, 'abort')).toEqual([]);
    expect(getEventListeners(cutShort.signal, 'abort')).toEqual([]);
  });
});
