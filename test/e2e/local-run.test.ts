/**
 * The local run end to end: `npm start` and `npm run replay` in-process (their `main`), on the run's package of the
 * project (`--build`) and its DynamoDB Local (`--endpoint`), each run with an idempotency table of its own
 * (`--table`), and once starting a DynamoDB Local of its own. (The entry points themselves:
 * test/e2e/commands.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { main as replay } from '../../scripts/replay.js';
import { main as start } from '../../scripts/start.js';
import { CATEGORIES, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { capturedIo } from '../support/command-io.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';
import { testPackage } from '../support/test-builds.js';

type Report = {
  results: Array<{
    source: string;
    type: string | null;
    category: string | null;
    outcome: string;
    reason?: string;
    functions: Record<string, string>;
    invocations: number;
  }>;
  summary: {
    deliveries: number;
    invocations: number;
    byOutcome: Record<'processed' | 'duplicate' | 'rejected' | 'failed' | 'unpublished', number>;
  };
};

const bySource = (report: Report) => Object.fromEntries(report.results.map((r) => [r.source, r]));

/** Secrets as a developer's shell may hold them: none may reach any output. */
const SECRETS = {
  STREAM_API_SECRET: 'sentinel-stream-secret-31f9',
  SNS_SECRET: 'sentinel-sns-secret-8c2d',
  AWS_SECRET_ACCESS_KEY: 'sentinel-aws-secret-77aa',
};

let local: string[];
/** Where this file's runs archive what they deliver: not the project's .local/archive, which would grow every run. */
let archive: string;
beforeAll(async () => {
  local = ['--build', await testPackage('project'), '--endpoint', inject('dynamoDBEndpoint')];
  archive = mkdtempSync(join(tmpdir(), 'local-run-archive-'));
});
afterAll(() => {
  if (archive !== undefined) rmSync(archive, { recursive: true, force: true });
});
afterEach(() => vi.unstubAllEnvs());

/** The local-run options, with a table no other run uses. */
const fresh = () => [...local, '--archive', archive, '--table', `local-run-${randomUUID()}`];

describe('npm start', () => {
  it('delivers every sample in three encodings, each processed once, twice a duplicate, the poison rejected; starting DynamoDB Local itself without --endpoint', async () => {
    // Prepare: the README's `npm start` (no --endpoint) on the run's package, which was built while the operator's
    // note was in the project's .serverless/; secrets in the environment as a developer's shell may hold them.
    for (const [name, value] of Object.entries(SECRETS)) vi.stubEnv(name, value);
    const io = capturedIo();

    // Act
    const code = await start(['--logs', '--build', local[1]!, '--archive', archive], io);
    const functionLogs = readFileSync(join(PROJECT_DIR, '.local/function-logs.jsonl'), 'utf8');

    // Assess
    // Per-category routing, the default: a named category's event invokes its function and other (which drops it);
    // the two poison deliveries, whose type cannot be read, reach all five topics.
    expect(code, io.err).toBe(0);
    expect(io.err).toMatch(/Starting DynamoDB Local/);
    expect(io.out).toMatch(/^29 deliveries in [\d.]+ s, per-category routing: 64 invocations \(2\.21 per delivery\)$/m);
    expect(io.out).toMatch(/^messages\s+2\s+4\s+0\s+0\s+0\s+12$/m);
    expect(io.out).toMatch(/^channels\s+3\s+6\s+0\s+0\s+0\s+18$/m);
    expect(io.out).toMatch(/^users\s+2\s+4\s+0\s+0\s+0\s+12$/m);
    expect(io.out).toMatch(/^moderation\s+2\s+4\s+0\s+0\s+0\s+12$/m);
    expect(io.out).toMatch(/^other\s+0\s+0\s+2\s+0\s+0\s+10$/m);
    expect(io.out).toMatch(/^total\s+9\s+18\s+2\s+0\s+0\s+64$/m);
    expect(io.out).toMatch(/events\/poison\/missing-type\.json: missing_type/);
    expect(functionLogs.split('\n').filter(Boolean).length).toBeGreaterThan(20);
    for (const secret of Object.values(SECRETS)) expect(io.out + io.err + functionLogs).not.toContain(secret);
    expect(readFileSync(inject('operatorNote'), 'utf8')).toBe('kept');
  });

  it('refuses a flag it does not know, suggesting the one meant, with status 2', async () => {
    // Prepare
    const io = capturedIo();

    // Act
    const misspelt = await start(['--jsonn'], io);
    const unknown = await start(['--no-such-flag'], capturedIo());

    // Assess
    expect(misspelt).toBe(2);
    expect(io.err).toMatch(/unknown option '--jsonn'/);
    expect(io.err).toMatch(/--json\b/);
    expect(unknown).toBe(2);
  });
});

describe('npm run replay', () => {
  it('reports samples, SNS events, malformed files and duplicates, one result per delivery in input order', async () => {
    // Prepare
    const io = capturedIo();

    // Act
    const code = await replay(
      ['--json', '--concurrency', '1', ...fresh(), 'events/samples', 'test/fixtures/malformed', 'test/fixtures/duplicates'],
      io,
    );

    // Assess
    expect(code, io.err).toBe(0);
    const report = JSON.parse(io.out) as Report;
    const results = bySource(report);
    expect(report.results).toHaveLength(9 + 12 + 4);
    expect(report.results[0]?.source).toBe('events/samples/channel.deleted.json');
    for (const result of report.results.slice(0, 9)) expect(result.outcome).toBe('processed');
    expect(results['events/samples/user.banned.json']).toMatchObject({ type: 'user.banned', category: 'moderation' });
    const reasons = Object.fromEntries(
      report.results.filter((r) => r.source.includes('malformed')).map((r) => [r.source.split('/').pop(), [r.outcome, r.reason]]),
    );
    expect(reasons).toEqual({
      'bad-created-at.json': ['processed', undefined],
      'bad-gzip.json': ['rejected', 'bad_gzip'],
      'empty-type.json': ['rejected', 'invalid_type'],
      'empty.json': ['rejected', 'invalid_json'],
      // Not SNS-shaped (an SQS record, an empty Records): a bare event of its own, wrapped, with no type.
      'from-sqs.json': ['rejected', 'missing_type'],
      'gzip-bomb.json': ['rejected', 'inflated_too_large'],
      'json-array.json': ['rejected', 'not_an_object'],
      'no-records.json': ['rejected', 'missing_type'],
      'no-type.json': ['rejected', 'missing_type'],
      'not-json.json': ['rejected', 'invalid_json'],
      'numeric-type.json': ['rejected', 'invalid_type'],
      'two-records.json': ['rejected', 'not_one_record'],
    });
    expect(results['test/fixtures/malformed/bad-created-at.json']?.category).toBe('messages');
    expect(
      ['1-original', '2-sns-redelivery', '3-republished-raw', '4-other-user'].map(
        (name) => results[`test/fixtures/duplicates/${name}.json`]?.outcome,
      ),
    ).toEqual(['processed', 'duplicate', 'duplicate', 'processed']);
    expect(report.summary.byOutcome).toEqual({ processed: 12, duplicate: 2, rejected: 11, failed: 0, unpublished: 0 });
  });

  it('wraps bare events in the chosen encoding and synthesises load with duplicates', async () => {
    // Prepare
    const rawIo = capturedIo();
    const generatedIo = capturedIo();

    // Act
    const raw = await replay(['--json', ...fresh(), '--encoding', 'raw-json', 'events/samples/message.new.json'], rawIo);
    const generated = await replay(['--json', ...fresh(), '--generate', '60', '--duplicates', '0.3', '--concurrency', '2'], generatedIo);

    // Assess
    expect(raw, rawIo.err).toBe(0);
    expect((JSON.parse(rawIo.out) as Report).results).toEqual([
      {
        source: 'events/samples/message.new.json',
        read: 'wrapped',
        type: 'message.new',
        category: 'messages',
        outcome: 'processed',
        functions: { messages: 'processed', other: 'skipped' },
        invocations: 2,
      },
    ]);
    expect(generated, generatedIo.err).toBe(0);
    const summary = (JSON.parse(generatedIo.out) as Report).summary;
    expect(summary.deliveries).toBe(60);
    expect(summary.byOutcome.processed + summary.byOutcome.duplicate).toBe(60);
    expect(summary.byOutcome.duplicate).toBeGreaterThan(0);
  });

  it('exits 2 naming the path, in the report too, when a path does not exist', async () => {
    // Prepare
    const io = capturedIo();

    // Act
    const code = await replay(['--json', ...fresh(), 'no/such/file.json'], io);

    // Assess
    expect(code).toBe(2);
    expect(io.err).toContain('no/such/file.json');
    expect(JSON.parse(io.out)).toMatchObject({
      results: [],
      undelivered: [{ source: 'no/such/file.json', reason: 'missing' }],
      summary: { deliveries: 0, undelivered: 1, deadLetters: { records: 0, files: [] } },
    });
  });

  it('stops with status 2 naming the endpoint, the network error and the address when DynamoDB cannot be reached', async () => {
    // Prepare: a port nothing listens on.
    const io = capturedIo();

    // Act
    const code = await replay(['--build', local[1]!, '--endpoint', 'http://127.0.0.1:9', 'events/samples/message.new.json'], io);

    // Assess
    expect(code).toBe(2);
    expect(io.err).toContain('http://127.0.0.1:9');
    expect(io.err).toContain('ECONNREFUSED');
    expect(io.err).toContain('127.0.0.1:9');
  });

  it('stops with status 2 naming the folder when --build is not a package', async () => {
    // Prepare
    const io = capturedIo();

    // Act
    const code = await replay(['--build', 'events', '--endpoint', local[3]!, 'events/samples/message.new.json'], io);

    // Assess
    expect(code).toBe(2);
    expect(io.err).toContain(join(PROJECT_DIR, 'events'));
    expect(io.err).toContain('cloudformation-template-update-stack.json');
  });
});

describe('routing as Stream would', () => {
  /** The functions a decodable event of `type` reaches, as the README's table of modes says, and what each does. */
  const expectedFunctions = (type: string, mode: 'per-category' | 'catchAll false' | 'single-topic') => {
    const owner = (EVENT_TYPE_CATEGORY as Record<string, string>)[type] ?? 'other';
    if (mode === 'single-topic') return Object.fromEntries(CATEGORIES.map((c) => [c, c === owner ? 'processed' : 'skipped']));
    if (owner === 'other' || mode === 'catchAll false') return { [owner]: 'processed' };
    return { [owner]: 'processed', other: 'skipped' };
  };
  let bareEvents: string;
  beforeAll(() => {
    // Prepare: an other type and a custom one beside the samples (all of named categories).
    bareEvents = mkdtempSync(join(tmpdir(), 'routing-events-'));
    for (const type of ['reminder.created', 'my_app.custom'])
      writeFileSync(join(bareEvents, `${type}.json`), JSON.stringify({ type, created_at: '2026-07-14T12:00:00.000Z', id: randomUUID() }));
  });

  it('per-category: each result lists exactly the functions the event reached, the owner processing it', async () => {
    // Prepare
    const io = capturedIo();

    // Act
    const code = await replay(['--json', ...fresh(), 'events/samples', bareEvents], io);

    // Assess
    expect(code, io.err).toBe(0);
    const report = JSON.parse(io.out) as Report;
    expect(report.results).toHaveLength(11);
    for (const result of report.results) {
      expect(result.functions, result.source).toEqual(expectedFunctions(result.type!, 'per-category'));
      expect(result.invocations).toBe(Object.keys(result.functions).length);
    }
    expect(report.summary.invocations).toBe(9 * 2 + 2);
  });

  it('switching modes between runs on one idempotency table runs each event once: single-topic, per-category, catchAll false', async () => {
    // Prepare
    const table = fresh();
    const runs = [
      ['single-topic', ['--routing', 'single-topic']],
      ['per-category', ['--routing', 'per-category']],
      ['catchAll false', ['--no-catch-all']],
    ] as const;

    // Act
    const reports: Report[] = [];
    for (const [, flags] of runs) {
      const io = capturedIo();
      expect(await start(['--json', ...flags, ...table], io), io.err).toBe(0);
      reports.push(JSON.parse(io.out) as Report);
    }

    // Assess: nine samples in three encodings, and two poison deliveries, every run.
    expect(reports.map((r) => r.summary.byOutcome)).toEqual([
      { processed: 9, duplicate: 18, rejected: 2, failed: 0, unpublished: 0 },
      { processed: 0, duplicate: 27, rejected: 2, failed: 0, unpublished: 0 },
      { processed: 0, duplicate: 27, rejected: 2, failed: 0, unpublished: 0 },
    ]);
    expect(reports.map((r) => r.summary.invocations)).toEqual([29 * 5, 27 * 2 + 2 * 5, 27 + 2 * 5]);
    // Each delivery reached exactly the functions of the mode; a duplicate's owner says so, the others drop it.
    runs.forEach(([mode], i) => {
      for (const result of reports[i]!.results.filter((r) => r.outcome !== 'rejected')) {
        const expected = expectedFunctions(result.type!, mode);
        expect(Object.keys(result.functions).sort(), result.source).toEqual(Object.keys(expected).sort());
        expect(result.functions[result.category!]).toBe(result.outcome);
      }
    });
  });
});
