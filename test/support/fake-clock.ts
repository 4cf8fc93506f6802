/**
 * Fake time for code that waits on its own timers (backoff, deadlines) while it does real I/O against DynamoDB
 * Local: `Date` and `setTimeout` are faked, and the fake clock moves only while no request is in flight, a few
 * milliseconds at a time, so that a retry's wait takes no real time and the deadline arithmetic is exact, whatever
 * the machine's load. Socket-level timeouts (a server that answers late) are not for this: they stay on real time.
 */
import { vi } from 'vitest';

/** How far the fake clock moves at each idle turn of the event loop. */
const STEP_MS = 5;

/** Runs `work` under fake time; `idle` says when no I/O is in flight. */
export async function withFakeClock<T>(work: () => Promise<T>, idle: () => boolean): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  try {
    const running = work();
    let settled = false;
    running.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      // setImmediate stays real: it lets the I/O in flight progress.
      await new Promise((resolve) => setImmediate(resolve));
      if (idle()) await vi.advanceTimersByTimeAsync(STEP_MS);
    }
    return await running;
  } finally {
    vi.useRealTimers();
  }
}

/** Counts a DynamoDB client's requests in flight (sent, not yet answered or failed). */
export function countInFlight(client: { middlewareStack: { add: (...args: any[]) => void } }): () => number {
  let inFlight = 0;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      inFlight += 1;
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
      }
    },
    { step: 'finalizeRequest', name: 'countInFlight' },
  );
  return () => inFlight;
}
