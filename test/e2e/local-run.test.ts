/**
 * The local run end to end: the real commands (`npm start`, `npm run replay`), which start DynamoDB Local,
 * build the functions with `serverless package` and deliver through the local SNS fan-out.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npm } from '../support/npm.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

type Report = {
  results: Array<{ source: string; type: string | null; category: string | null; outcome: string; reason?: string }>;
  summary: { deliveries: number; byOutcome: Record<'processed' | 'duplicate' | 'rejected' | 'failed', number> };
};

const bySource = (report: Report) => Object.fromEntries(report.results.map((r) => [r.source, r]));

describe('npm start', () => {
  it('delivers every sample in three encodings: each processed once, twice a duplicate; the poison rejected', async () => {
    // Prepare: secrets in the environment, as a developer's shell may hold them; none may reach any output.
    const secrets = { STREAM_API_SECRET: 'sentinel-stream-secret-31f9', SNS_SECRET: 'sentinel-sns-secret-8c2d', AWS_SECRET_ACCESS_KEY: 'sentinel-aws-secret-77aa' };

    // Act
    const { code, stdout, stderr } = await npm(['start', '--silent', '--', '--logs'], secrets);
    const functionLogs = readFileSync(join(PROJECT_DIR, '.local/function-logs.jsonl'), 'utf8');

    // Assess
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^29 deliveries in [\d.]+ s, each fanned out to 5 functions$/m);
    expect(stdout).toMatch(/^messages\s+2\s+4\s+0\s+0$/m);
    expect(stdout).toMatch(/^channels\s+3\s+6\s+0\s+0$/m);
    expect(stdout).toMatch(/^users\s+2\s+4\s+0\s+0$/m);
    expect(stdout).toMatch(/^moderation\s+2\s+4\s+0\s+0$/m);
    expect(stdout).toMatch(/^other\s+0\s+0\s+2\s+0$/m);
    expect(stdout).toMatch(/^total\s+9\s+18\s+2\s+0$/m);
    expect(stdout).toMatch(/events\/poison\/missing-type\.json: missing_type/);
    expect(readdirSync(join(PROJECT_DIR, '.local')).filter((name) => name.startsWith('build-'))).toEqual([]);
    expect(functionLogs.split('\n').filter(Boolean).length).toBeGreaterThan(20);
    for (const secret of Object.values(secrets)) expect(stdout + stderr + functionLogs).not.toContain(secret);
  });
});

describe('npm run replay', () => {
  it('reports samples, SNS events, malformed files and duplicates, one result per delivery in input order; leaves .serverless/ alone', async () => {
    // Prepare: what an operator keeps in .serverless/ (osls deletes that folder on every package).
    mkdirSync(join(PROJECT_DIR, '.serverless'), { recursive: true });
    writeFileSync(join(PROJECT_DIR, '.serverless/operator-note.txt'), 'kept');

    // Act
    const { code, stdout, stderr } = await npm([
      'run', 'replay', '--silent', '--', '--json', '--concurrency', '1',
      'events/samples', 'test/fixtures/malformed', 'test/fixtures/duplicates',
    ]);

    // Assess
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Report;
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
      'from-sqs.json': ['rejected', 'not_sns_record'],
      'gzip-bomb.json': ['rejected', 'inflated_too_large'],
      'json-array.json': ['rejected', 'not_an_object'],
      'no-records.json': ['rejected', 'not_one_record'],
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
    expect(report.summary.byOutcome).toEqual({ processed: 12, duplicate: 2, rejected: 11, failed: 0 });
    expect(readFileSync(join(PROJECT_DIR, '.serverless/operator-note.txt'), 'utf8')).toBe('kept');
    rmSync(join(PROJECT_DIR, '.serverless/operator-note.txt'));
  });

  it('wraps bare events in the chosen encoding and synthesises load with duplicates', async () => {
    // Act
    const raw = await npm(['run', 'replay', '--silent', '--', '--json', '--encoding', 'raw-json', 'events/samples/message.new.json']);
    const generated = await npm(['run', 'replay', '--silent', '--', '--json', '--generate', '60', '--duplicates', '0.3']);

    // Assess
    expect(raw.code, raw.stderr).toBe(0);
    expect((JSON.parse(raw.stdout) as Report).results).toEqual([
      {
        source: 'events/samples/message.new.json',
        type: 'message.new',
        category: 'messages',
        outcome: 'processed',
        functions: { messages: 'processed', channels: 'skipped', users: 'skipped', moderation: 'skipped', other: 'skipped' },
      },
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const summary = (JSON.parse(generated.stdout) as Report).summary;
    expect(summary.deliveries).toBe(60);
    expect(summary.byOutcome.processed + summary.byOutcome.duplicate).toBe(60);
    expect(summary.byOutcome.duplicate).toBeGreaterThan(0);
  });

  it('prints its usage on stdout with --help', async () => {
    // Act
    const { code, stdout } = await npm(['run', 'replay', '--silent', '--', '--help']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run replay -- \[options\] <file or folder>\.\.\./);
  });

  it('stops with a clear message and status 2 when a path does not exist', async () => {
    // Act
    const { code, stderr, stdout } = await npm(['run', 'replay', '--silent', '--', '--json', 'no/such/file.json']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(/no such file or folder: no\/such\/file\.json/);
    expect(stdout).toBe('');
  });
});
