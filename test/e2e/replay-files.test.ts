/**
 * `npm run replay` on files as they are, end to end (its `main` in-process, on the run's packages and DynamoDB
 * Local): the real decoder judges the bytes a file holds (invalid UTF-8 is `invalid_utf8`, not U+FFFD), the report
 * says per file how it was read and names each file not delivered, and exit status 2 wins over 1.
 * The reading rules themselves: test/unit/replay-deliveries.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { main as replay } from '../../scripts/replay.js';
import { capturedIo } from '../support/command-io.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';
import { testPackage } from '../support/test-builds.js';

type Report = {
  results: Array<{ source: string; read: string; outcome: string; reason?: string }>;
  undelivered: Array<{ source: string; reason: string; message: string }>;
  summary: { deliveries: number; undelivered: number; byOutcome: Record<string, number> };
};

let folder: string;
/** Where the runs archive what they deliver: not the project's .local/archive. */
let archive: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'replay-files-'));
  archive = mkdtempSync(join(tmpdir(), 'replay-files-archive-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
  rmSync(archive, { recursive: true, force: true });
});

const name = (file: string) => relative(process.cwd(), join(folder, file));
const sample = (type: string) => readFileSync(join(PROJECT_DIR, 'events/samples', `${type}.json`));
/** A sample as another event: its own message id. */
const messageNew = (id: string) => {
  const event = JSON.parse(sample('message.new').toString());
  return JSON.stringify({ ...event, message: { ...event.message, id } });
};
/** Bytes that are not UTF-8 in a message that is otherwise a good event: a Latin-1 `é` in the text. */
const latin1Event = Buffer.concat([
  Buffer.from('{"type":"message.new","message":{"id":"latin-1","text":"caf'),
  Buffer.from([0xe9]),
  Buffer.from('"}}'),
]);

async function runReplay(args: string[]) {
  const io = capturedIo();
  const code = await replay(['--json', ...args], io);
  return { code, report: JSON.parse(io.out) as Report, stderr: io.err };
}

describe('npm run replay -- <folder> (the project)', () => {
  it('has the function judge the bytes as they are, says how each file was read, and exits 2 naming a broken link', async () => {
    // Prepare
    writeFileSync(join(folder, 'a-bare.json'), messageNew('files-a'));
    writeFileSync(join(folder, 'b-latin-1.json'), latin1Event);
    writeFileSync(join(folder, 'c-sns.json'), readFileSync(join(PROJECT_DIR, 'test/fixtures/duplicates/4-other-user.json')));
    writeFileSync(join(folder, 'd-custom-records.json'), JSON.stringify({ type: 'custom.sync', Records: [{ id: 1 }] }));
    symlinkSync(join(folder, 'gone.json'), join(folder, 'e-broken.json'));
    mkdirSync(join(folder, '.drafts'));
    writeFileSync(join(folder, '.drafts', 'draft.json'), messageNew('files-draft'));
    const local = [
      '--build',
      await testPackage('project'),
      '--endpoint',
      inject('dynamoDBEndpoint'),
      '--archive',
      archive,
      '--table',
      `replay-files-${randomUUID()}`,
    ];

    // Act
    const { code, report, stderr } = await runReplay([...local, '--concurrency', '1', folder]);

    // Assess
    expect(code, stderr).toBe(2);
    expect(report.results.map(({ source, read, outcome, reason }) => [source, read, outcome, reason])).toEqual([
      [name('a-bare.json'), 'wrapped', 'processed', undefined],
      [name('b-latin-1.json'), 'wrapped', 'rejected', 'invalid_utf8'],
      [name('c-sns.json'), 'sns-event', 'processed', undefined],
      [name('d-custom-records.json'), 'wrapped', 'processed', undefined],
    ]);
    expect(report.undelivered).toEqual([
      { source: name('e-broken.json'), reason: 'broken_link', message: expect.stringContaining(name('e-broken.json')) },
    ]);
    expect(report.summary).toMatchObject({ deliveries: 4, undelivered: 1 });
    expect(stderr).toContain(`not delivered: ${name('e-broken.json')}`);
  });

  it('with raw-json, names a file of bytes that are not UTF-8 as not delivered, and still delivers the others', async () => {
    // Prepare
    writeFileSync(join(folder, 'a-latin-1.json'), latin1Event);
    writeFileSync(join(folder, 'b-bare.json'), messageNew('files-raw'));
    const local = [
      '--build',
      await testPackage('project'),
      '--endpoint',
      inject('dynamoDBEndpoint'),
      '--archive',
      archive,
      '--table',
      `replay-files-${randomUUID()}`,
    ];

    // Act
    const { code, report } = await runReplay([...local, '--encoding', 'raw-json', folder]);

    // Assess
    expect(code).toBe(2);
    expect(report.results.map(({ source, outcome }) => [source, outcome])).toEqual([[name('b-bare.json'), 'processed']]);
    expect(report.undelivered.map(({ source, reason }) => [source, reason])).toEqual([[name('a-latin-1.json'), 'not_utf8']]);
  });
});

describe('npm run replay -- <files> (a function that fails)', () => {
  it('exits 2, not 1, when a delivery failed after its retries and a file could not be read; the report has both', async () => {
    // Prepare: the fixture's `flaky` fails every event until its fix is on; its .local/ goes to a folder of its own.
    writeFileSync(join(folder, 'a.json'), messageNew('files-failing'));
    const service = join(folder, 'service');
    mkdirSync(service);
    const local = [
      '--service',
      service,
      '--build',
      await testPackage('local-lambda'),
      '--endpoint',
      inject('dynamoDBEndpoint'),
      '--archive',
      archive,
      '--table',
      `replay-files-${randomUUID()}`,
    ];

    // Act
    const { code, report } = await runReplay([...local, join(folder, 'a.json'), join(folder, 'missing.json')]);

    // Assess
    expect(code).toBe(2);
    expect(report.results.map(({ source, outcome }) => [source, outcome])).toEqual([[name('a.json'), 'failed']]);
    expect(report.undelivered.map(({ source, reason }) => [source, reason])).toEqual([[name('missing.json'), 'missing']]);
  });
});
