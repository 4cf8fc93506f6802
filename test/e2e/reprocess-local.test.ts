/**
 * Reprocess end to end on this machine, every step against one DynamoDB Local that outlives the runs (`--endpoint`):
 * `npm start` archives what it delivers in the archive's format; `npm run reprocess` over that folder runs nothing
 * again without `--force`, each event once more with `--force a`, nothing with `--force a` again, once more with
 * `--force b`; `--dry-run` counts and runs nothing; `--types` sends only those types. Both commands in-process (their
 * `main`), on the run's package of the project.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main as reprocess } from '../../scripts/reprocess.js';
import { main as start } from '../../scripts/start.js';
import { capturedIo } from '../support/command-io.js';
import { testPackage } from '../support/test-builds.js';

let archive: string;
let common: string[];
/** What `npm start` reported. */
let started: { code: number; report: any; stderr: string };

async function run(command: typeof start, args: string[]) {
  const io = capturedIo();
  const code = await command(['--json', ...args], io);
  return { code, report: io.out === '' ? undefined : JSON.parse(io.out), stderr: io.err };
}

const again = (...args: string[]) => run(reprocess, ['--from', archive, '--rate', '500', ...common, ...args]);

/** Every line of every object under the folder. */
function archivedLines(dir: string): Array<Record<string, unknown>> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) =>
      gunzipSync(readFileSync(join(entry.parentPath, entry.name)))
        .toString('utf8')
        .split('\n'),
    )
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

beforeAll(async () => {
  archive = mkdtempSync(join(tmpdir(), 'reprocess-archive-'));
  common = ['--endpoint', inject('dynamoDBEndpoint'), '--build', await testPackage('project'), '--table', `reprocess-${randomUUID()}`];
  started = await run(start, [...common, '--archive', archive]);
}, 240_000);
afterAll(() => rmSync(archive, { recursive: true, force: true }));

describe('npm start: the local archive', () => {
  it('holds every SNS message the run delivered, once, in the archive format', () => {
    // Prepare: done by the run.
    // Act
    const objects = readdirSync(archive, { recursive: true }).filter((name) => String(name).endsWith('.gz'));
    const lines = archivedLines(archive);

    // Assess
    expect(started.code, started.stderr).toBe(0);
    expect(objects).toHaveLength(1);
    expect(String(objects[0])).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/[^/]+\.gz$/);
    expect(lines).toHaveLength(started.report.summary.deliveries);
    for (const line of lines) {
      expect(line).toMatchObject({ Type: 'Notification', MessageId: expect.any(String), TopicArn: expect.stringMatching(/^arn:aws:sns:/) });
      expect(typeof line.Message).toBe('string');
      expect(Object.keys(line)).not.toContain('UnsubscribeUrl');
    }
  });
});

describe('npm run reprocess -- --from <local archive>', () => {
  it('runs nothing again without --force; --dry-run counts and runs nothing; --types selects only those', async () => {
    // Prepare
    const { byOutcome } = started.report.summary;

    // Act
    const plain = await again();
    const dryRun = await again('--dry-run', '--force', 'dry');
    const typed = await again('--dry-run', '--types', 'message.new,user.banned');

    // Assess: every readable archived event went to its owner, which found it done.
    expect(plain.code, plain.stderr).toBe(0);
    const readable = byOutcome.processed + byOutcome.duplicate;
    expect(plain.report.summary).toMatchObject({ archived: readable, selected: readable, sent: readable, failed: 0, refused: 0 });
    expect(plain.report.summary.byDetail).toEqual({ duplicate: readable });
    // The poison deliveries are archive records whose Message is no Stream event: reported, skipped, counted.
    expect(plain.report.summary.unreadable).toBe(byOutcome.rejected);
    expect(plain.report.unreadable.every(({ reason }: { reason: string }) => /not a Stream event/.test(reason))).toBe(true);
    // Dry run: counts per category and type, nothing sent.
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.report.summary).toMatchObject({ selected: readable, sent: 0, dryRun: true, label: 'dry' });
    const counted = Object.values(dryRun.report.summary.byCategory as Record<string, Record<string, number>>).flatMap(Object.values);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(readable);
    expect(dryRun.report.events.every(({ outcome }: { outcome: string }) => outcome === 'dry-run')).toBe(true);
    // --types
    expect(typed.code, typed.stderr).toBe(0);
    expect(new Set(typed.report.events.map(({ type }: { type: string }) => type))).toEqual(new Set(['message.new', 'user.banned']));
    expect(typed.report.summary.notSelected).toBe(readable - typed.report.summary.selected);
  }, 120_000);

  it('--force a runs each event once more, --force a again nothing, --force b once more; a dry run before ran nothing', async () => {
    // Prepare
    const distinct = started.report.summary.byOutcome.processed;
    await again('--dry-run', '--force', 'b');

    // Act
    const a = await again('--force', 'a');
    const aAgain = await again('--force', 'a');
    const b = await again('--force', 'b');
    const typed = await again('--force', 'c', '--types', 'message.new');

    // Assess
    for (const result of [a, aAgain, b, typed]) expect(result.code, result.stderr).toBe(0);
    expect(a.report.summary.byDetail.processed).toBe(distinct);
    expect(aAgain.report.summary.byDetail.processed ?? 0).toBe(0);
    expect(b.report.summary.byDetail.processed).toBe(distinct);
    expect(typed.report.summary.byDetail.processed).toBe(1);
    expect(typed.report.events.every(({ type }: { type: string }) => type === 'message.new')).toBe(true);
  }, 120_000);
});
