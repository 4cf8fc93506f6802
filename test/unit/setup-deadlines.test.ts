/**
 * The setup's deadlines (functions/setup/deadlines.ts): one falls at its time, at once when it is already due, or
 * with the deadline it lies within (the apply's within the custom resource's); once cleared it keeps no timer and no
 * listener on that parent. They run on vitest's fake clock.
 */
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineAfter } from '../../functions/setup/deadlines.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('setup deadlines: when a deadline falls', () => {
  it.each([0, -250])('is already aborted, with its reason, when made with %i ms left: no call may start after it', (ms) => {
    // Act
    const deadline = deadlineAfter(ms, 'the invocation is about to time out');

    // Assess: at once, before any turn of the event loop (a timer of 0 ms would fire only on the next one).
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('the invocation is about to time out');
    expect(deadline.remainingMs()).toBe(0);
    deadline.clear();
  });

  it("aborts when its parent aborts, with the parent's reason", () => {
    // Prepare
    const parent = new AbortController();
    const deadline = deadlineAfter(60_000, 'the apply ran out of its time', parent.signal);

    // Act
    parent.abort(new Error('the setup did not finish within 30 s'));

    // Assess
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(parent.signal.reason);
    deadline.clear();
  });

  it("is aborted at once, with the parent's reason, when its parent already was", () => {
    // Prepare
    const parent = AbortSignal.abort(new Error('the setup did not finish within 30 s'));

    // Act
    const deadline = deadlineAfter(60_000, 'the apply ran out of its time', parent);

    // Assess
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(parent.reason);
    deadline.clear();
  });
});

describe('setup deadlines: what a deadline holds on to', () => {
  it('keeps no listener on its parent once the parent has aborted, cleared or not', () => {
    // Prepare
    const parent = new AbortController();
    deadlineAfter(60_000, 'the apply ran out of its time', parent.signal);

    // Act
    parent.abort();

    // Assess
    expect(getEventListeners(parent.signal, 'abort')).toEqual([]);
  });

  it('once cleared, keeps no timer and no listener on its parent, and never aborts', () => {
    // Prepare
    const parent = new AbortController();
    const deadline = deadlineAfter(1_000, 'the apply ran out of its time', parent.signal);

    // Act
    deadline.clear();

    // Assess: nothing left to keep the process alive, nor to tie the parent to this deadline.
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(parent.signal, 'abort')).toEqual([]);
    vi.advanceTimersByTime(5_000);
    expect(deadline.signal.aborted).toBe(false);
  });
});
