/**
 * Every time limit of the setup, in one place, and the deadline object that carries one through a run.
 *
 * Each Stream call has a deadline for the whole call (connecting, sending, every byte of the answer): a socket
 * timeout alone restarts with every byte, so a server that trickles would hold the run forever. Each run has one
 * too: 2 minutes for the command, and in Lambda its remaining time less what it needs to answer (CloudFormation, or
 * the on-demand caller). Waits for a retry never start when they would end past the run's deadline.
 */

/** The setup's time limits, in ms. */
export const DEADLINES = {
  /** One Stream call, whole. */
  callMs: 10_000,
  /** One run of `npm run setup`. */
  commandRunMs: 120_000,
  /** On demand: time kept before Lambda's timeout to answer with the report or the reason. */
  onDemandMarginMs: 2_000,
  /** Custom resource: time kept, within the work, to undo what a failed Create or Update wrote. */
  undoReserveMs: 12_000,
  /** One attempt at answering CloudFormation (a PUT to its pre-signed S3 URL). */
  answerAttemptMs: 4_000,
  /** The wait between two attempts at answering CloudFormation. */
  answerRetryDelayMs: 500,
  /** Attempts at answering CloudFormation. */
  answerAttempts: 3,
} as const;

/** A run's deadline: a signal that aborts at it, and the time it falls at (Date.now() clock). */
export interface Deadline {
  signal: AbortSignal;
  /** When the deadline falls, in ms since the epoch. */
  at: number;
  /** Time left, in ms (0 once passed). */
  remainingMs(): number;
  /** Stops the timer (the run ended first). */
  clear(): void;
}

/**
 * A deadline `ms` from now, also aborted when `parent` is. Its timer is a plain `setTimeout`, unreferenced, so that
 * it keeps no process alive and tests can move it with fake timers.
 *
 * @param reason - what the abort says: which deadline this is.
 */
export function deadlineAfter(ms: number, reason: string, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const at = Date.now() + Math.max(0, ms);
  const timer = setTimeout(() => controller.abort(new Error(reason)), Math.max(0, ms));
  timer.unref();
  const onParent = () => controller.abort(parent?.reason);
  // A deadline already due aborts now, not on the next turn of the event loop: no call may start before it.
  if (ms <= 0) controller.abort(new Error(reason));
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    at,
    remainingMs: () => Math.max(0, at - Date.now()),
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
