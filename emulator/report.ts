/** The human-readable summary of a local run. */

import { relative } from 'node:path';
import { CATEGORIES } from '../shared/catalog.js';
import type { DeadLetterFiles } from './dead-letters.js';
import { FileReading, type UndeliveredFile } from './delivery-files.js';
import type { summarize } from './local-stack.js';

/** Files listed at most: the JSON report (`--json`) lists them all. */
const LISTED_FILES = 20;

/** What the files of a run gave: how each delivered one was read, and those left out. */
export interface FilesReport {
  results: ReadonlyArray<{ source: string; read?: FileReading }>;
  undelivered: readonly UndeliveredFile[];
}

const OUTCOMES = ['processed', 'duplicate', 'rejected', 'failed'] as const;

/**
 * Renders the summary as a table per category and outcome, then rejections and failures with their reasons, then
 * (for a run of files) how many files were wrapped and how many delivered as the SNS->Lambda events they hold
 * (counts only: a folder of thousands would drown the table; `--json` says it per file), and every file not
 * delivered, by name.
 */
export function renderSummary(
  summary: ReturnType<typeof summarize>,
  durationMs: number,
  deadLetters: DeadLetterFiles | undefined,
  files?: FilesReport,
): string {
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
  const written = Object.entries(deadLetters?.counts ?? {});
  if (deadLetters !== undefined && written.length > 0) {
    lines.push('', 'dead letters (Lambda on-failure records; send them again with npm run redrive -- --from <file>):');
    for (const [fn, count] of written) lines.push(`  ${relative(process.cwd(), deadLetters.fileOf(fn))}: ${count} added`);
  }
  if (files !== undefined) lines.push(...filesSection(files));
  return lines.join('\n');
}

function filesSection({ results, undelivered }: FilesReport): string[] {
  const count = (read: FileReading) => results.filter((result) => result.read === read).length;
  const lines = [
    '',
    `files: ${count(FileReading.Wrapped)} wrapped as bare Stream events, ${count(FileReading.SnsEvent)} delivered as the SNS->Lambda events they hold (--json says which, per file)`,
  ];
  if (undelivered.length > 0)
    lines.push(
      ...listed(
        'not delivered (exit status 2):',
        undelivered.map(({ message }) => message),
      ),
    );
  return lines;
}

function listed(title: string, items: readonly string[]): string[] {
  const more = items.length - LISTED_FILES;
  return [
    title,
    ...items.slice(0, LISTED_FILES).map((item) => `  ${item}`),
    ...(more > 0 ? [`  ... and ${more} more (--json lists them all)`] : []),
  ];
}
