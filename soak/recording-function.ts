/**
 * The soak's category function: the template's real middleware chain (decode, guard, keep rejected,
 * idempotency) around a handler that records its side effect itself, one line per execution, and fails
 * transiently as often as the event asks (`soak_fail_times`), counting attempts per event as a flaky downstream
 * would. The soak counts executions from these records, not from what the framework reports. Attempts are
 * counted on disk: a retry may run in another execution environment, which shares no memory with the first.
 */
import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Category } from '../shared/catalog.js';
import { streamEventFunction } from '../shared/middleware.js';
import type { CategoryHandlers, StreamEvent } from '../shared/types.js';

const category = process.env.SOAK_CATEGORY as Category;
const recordFile = join(process.env.SOAK_RECORD_DIR ?? '.', `${category}.log`);
const attemptsDir = join(process.env.SOAK_RECORD_DIR ?? '.', 'attempts');
mkdirSync(attemptsDir, { recursive: true });

async function recordExecution(event: StreamEvent): Promise<void> {
  const soak = event as StreamEvent & { synthetic_id?: string; soak_fail_times?: number };
  const key = String(soak.synthetic_id);
  if ((soak.soak_fail_times ?? 0) > 0) {
    // One byte per attempt; the idempotency lock lets one execution of an event run at a time.
    const attemptFile = join(attemptsDir, `${category}-${key}`);
    appendFileSync(attemptFile, '.');
    const attempt = statSync(attemptFile).size;
    if (attempt <= soak.soak_fail_times!) throw new Error(`injected transient failure ${attempt} of ${soak.soak_fail_times}`);
  }
  appendFileSync(recordFile, `${key}\n`);
}

export const handler = streamEventFunction(category, { fallback: recordExecution } as CategoryHandlers<Category>);
