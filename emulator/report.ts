/** The human-readable summary of a local run. */

import { relative } from 'node:path';
import { CATEGORIES } from '../shared/catalog.js';
import type { DeadLetterFiles } from './dead-letters.js';
import type { summarize } from './local-stack.js';

const OUTCOMES = ['processed', 'duplicate', 'rejected', 'failed'] as const;

/** Renders the summary as a table per category and outcome, then rejections and failures with their reasons. */
export function renderSummary(summary: ReturnType<typeof summarize>, durationMs: number, deadLetters: DeadLetterFiles): string {
  const rows = [...CATEGORIES, ...Object.keys(summary.byCategory).filter((c) => !(CATEGORIES as string[]).includes(c))];
  const lines = [
    `${summary.deliveries} deliveries in ${(durationMs / 1000).toFixed(1)} s, each fanned out to ${CATEGORIES.length} functions`,
    '',
    `${'category'.padEnd(12)}${OUTCOMES.map((o) => o.padStart(11)).join('')}`,
  ];
  for (const category of rows) {
    const counts = summary.byCategory[category] ?? { processed: 0, duplicate: 0, rejected: 0, failed: 0 };
    lines.push(`${category.padEnd(12)}${OUTCOMES.map((o) => String(counts[o]).padStart(11)).join('')}`);
  }
  lines.push(`${'total'.padEnd(12)}${OUTCOMES.map((o) => String(summary.byOutcome[o]).padStart(11)).join('')}`);
  if (summary.rejected.length > 0) {
    lines.push('', 'rejected (poison, kept and not retried):');
    for (const { source, reason } of summary.rejected) lines.push(`  ${source}: ${reason}`);
  }
  if (summary.failed.length > 0) {
    lines.push('', 'failed after retries:');
    for (const { source, reason } of summary.failed) lines.push(`  ${source}: ${reason}`);
  }
  const written = Object.entries(deadLetters.counts);
  if (written.length > 0) {
    lines.push('', 'dead letters (Lambda on-failure records; send them again with npm run redrive -- --from <file>):');
    for (const [fn, count] of written) lines.push(`  ${relative(process.cwd(), deadLetters.fileOf(fn))}: ${count} added`);
  }
  return lines.join('\n');
}
