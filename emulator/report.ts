/** The human-readable summary of a local run. */

import { relative } from 'node:path';
import { CATEGORIES } from '../shared/catalog.js';
import { RoutingMode } from '../shared/routing.js';
import type { DeadLetterFiles } from './dead-letters.js';
import { FileReading, type UndeliveredFile } from './delivery-files.js';
import type { LocalRouting } from './local-sns.js';
import type { summarize } from './local-stack.js';

/** Files listed at most: the JSON report (`--json`) lists them all. */
const LISTED_FILES = 20;

/** What the files of a run gave: how each delivered one was read, and those left out. */
export interface FilesReport {
  results: ReadonlyArray<{ source: string; read?: FileReading }>;
  undelivered: readonly UndeliveredFile[];
}

/** The table's columns: the outcomes, then the invocations they took. */
const COLUMNS = ['processed', 'duplicate', 'rejected', 'failed', 'unpublished', 'invocations'] as const;

/** How the run routed, in words: `per-category routing`, `per-category routing, catchAll false`, `single-topic routing`. */
export function routingLabel(routing: LocalRouting | undefined): string {
  if (routing === undefined) return 'every function subscribed to one topic';
  const { mode, catchAll } = routing.settings;
  return mode === RoutingMode.PerCategory && !catchAll ? `${mode} routing, catchAll false` : `${mode} routing`;
}

/**
 * Renders the summary: the routing and the invocations per delivery, a table per category of outcomes and the
 * invocations they took, then rejections, failures and unpublished deliveries with their reasons, then (for a run
 * of files) how many files were wrapped and how many delivered as the SNS->Lambda events they hold (counts only:
 * `--json` says it per file), and every file not delivered, by name.
 */
export function renderSummary(
  summary: ReturnType<typeof summarize>,
  durationMs: number,
  deadLetters: DeadLetterFiles | undefined,
  routing?: LocalRouting,
  files?: FilesReport,
): string {
  const rows = [...CATEGORIES, ...Object.keys(summary.byCategory).filter((c) => !(CATEGORIES as string[]).includes(c))];
  const perDelivery = summary.deliveries === 0 ? 0 : summary.invocations / summary.deliveries;
  const lines = [
    `${summary.deliveries} deliveries in ${(durationMs / 1000).toFixed(1)} s, ${routingLabel(routing)}: ${summary.invocations} invocations (${perDelivery.toFixed(2)} per delivery)`,
    '',
    `${'category'.padEnd(12)}${COLUMNS.map((o) => o.padStart(12)).join('')}`,
  ];
  for (const category of rows) {
    const counts = summary.byCategory[category];
    lines.push(`${category.padEnd(12)}${COLUMNS.map((o) => String(counts?.[o] ?? 0).padStart(12)).join('')}`);
  }
  const totals = { ...summary.byOutcome, invocations: summary.invocations };
  lines.push(`${'total'.padEnd(12)}${COLUMNS.map((o) => String(totals[o]).padStart(12)).join('')}`);
  if (summary.rejected.length > 0) {
    lines.push('', 'rejected (poison, kept and not retried):');
    for (const { source, reason } of summary.rejected) lines.push(`  ${source}: ${reason}`);
  }
  if (summary.failed.length > 0) {
    lines.push('', 'failed after retries:');
    for (const { source, reason } of summary.failed) lines.push(`  ${source}: ${reason}`);
  }
  if (summary.unpublished.length > 0) {
    lines.push('', 'not published (no hook carries the type: in AWS, Stream would not send it):');
    for (const { source, reason } of summary.unpublished) lines.push(`  ${source}: ${reason}`);
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
