/**
 * Redrive end to end on this machine: a function (the fixture's `flaky`, the template's real middleware chain)
 * fails until its fix is on; `npm run replay` leaves its events in the local dead-letter file as on-failure
 * records; with the fix on, `npm run redrive -- --from <file>` runs each event once, and a duplicate stays a
 * duplicate. Both commands in-process (their `main`), on the run's package of the fixture and its DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { main as redrive } from '../../scripts/redrive.js';
import { main as replay } from '../../scripts/replay.js';
import { capturedIo } from '../support/command-io.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';
import { testPackage } from '../support/test-builds.js';

const SERVICE = 'test/fixtures/local-lambda';
const DEAD_LETTERS = join(PROJECT_DIR, SERVICE, '.local/dead-letters/flaky.jsonl');

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'redrive-local-'));
  rmSync(DEAD_LETTERS, { force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(folder, { recursive: true, force: true });
});

/** Runs a command's main as `npm run <command> --` would, with `env` in the functions' environment. */
async function run(command: typeof replay, args: string[], env: Record<string, string>) {
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const io = capturedIo();
  const code = await command(args, io);
  return { code, stdout: io.out, stderr: io.err };
}

/** A message.new event of its own, written as a bare Stream event file. */
function eventFile(name: string, messageId: string): string {
  const event = JSON.parse(readFileSync(join(PROJECT_DIR, 'events/samples/message.new.json'), 'utf8'));
  const file = join(folder, name);
  writeFileSync(file, JSON.stringify({ ...event, message: { ...event.message, id: messageId } }, null, 2));
  return file;
}

describe('npm run redrive -- --from (local)', () => {
  it('keeps dead letters while the cause lasts; once fixed, each event runs once and a duplicate stays a duplicate', async () => {
    // Prepare: two events, the first delivered twice (a re-publish), all failing until the fix.
    const endpoint = inject('dynamoDBEndpoint');
    const records = join(folder, 'executions.jsonl');
    const files = [eventFile('a.json', 'redrive-a'), eventFile('a-again.json', 'redrive-a'), eventFile('b.json', 'redrive-b')];
    const common = [
      '--json',
      '--endpoint',
      endpoint,
      '--service',
      SERVICE,
      '--build',
      await testPackage('local-lambda'),
      '--table',
      `redrive-${randomUUID()}`,
    ];
    const failing = await run(replay, [...common, '--concurrency', '1', ...files], { FIXTURE_RECORD_FILE: records });
    const deadLetterText = readFileSync(DEAD_LETTERS, 'utf8');
    const executedBeforeFix = existsSync(records);

    // Act: once before the fix, once after.
    const unfixed = await run(redrive, [...common, '--from', DEAD_LETTERS], { FIXTURE_RECORD_FILE: records });
    const keptWhenUnfixed = readFileSync(DEAD_LETTERS, 'utf8');
    const fixed = await run(redrive, [...common, '--from', DEAD_LETTERS], { FIXTURE_RECORD_FILE: records, FIXTURE_FIXED: '1' });

    // Assess
    expect(failing.code, failing.stderr).toBe(1);
    expect(JSON.parse(failing.stdout).summary.deadLetters).toEqual({
      records: 3,
      files: [join(SERVICE, '.local/dead-letters/flaky.jsonl')],
    });
    const deadLettered = deadLetterText
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(deadLettered.map((record) => [record.requestContext.approximateInvokeCount, record.responsePayload.errorMessage])).toEqual(
      Array(3).fill([3, 'downstream unavailable until the fix is deployed']),
    );
    expect(executedBeforeFix).toBe(false);
    expect(unfixed.code, unfixed.stderr).toBe(1);
    expect(
      JSON.parse(unfixed.stdout).records.map((record: { outcome: string; detail: string }) => `${record.outcome}: ${record.detail}`),
    ).toEqual(Array(3).fill('failed: Error: downstream unavailable until the fix is deployed'));
    expect(keptWhenUnfixed).toBe(deadLetterText);
    expect(fixed.code, fixed.stderr).toBe(0);
    const report = JSON.parse(fixed.stdout);
    expect(
      report.records.map((record: { kind: string; outcome: string; detail: string }) => [record.kind, record.outcome, record.detail]),
    ).toEqual([
      ['lambda', 'redriven', 'processed'],
      ['lambda', 'redriven', 'duplicate'],
      ['lambda', 'redriven', 'processed'],
    ]);
    expect(report.summary).toEqual({ records: 3, redriven: 3, failed: 0, dryRun: false });
    expect(
      readFileSync(records, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).executed),
    ).toEqual(['redrive-a', 'redrive-b']);
    expect(readFileSync(DEAD_LETTERS, 'utf8')).toBe('');
  });
});
