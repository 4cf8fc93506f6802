/**
 * `npm run reprocess -- --from s3://...` (its `main`, in-process) against local stand-ins of S3 and Lambda, through
 * the real SDK clients (pointed there by AWS_ENDPOINT_URL_S3 and _LAMBDA): every page of the hours asked for is
 * read, each event goes to `<stack>-<category>` as an Event invocation carrying `streamReprocess`; a throttle or a
 * 5xx is retried and counted, one that lasts fails the run (exit 1); what is not an archive record is reported,
 * skipped and counted; an event older than the records' lifetime is refused unless forced.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { encodeMessage } from '../../emulator/index.js';
import { main } from '../../scripts/reprocess.js';
import { MessageEncoding } from '../../shared/types.js';
import { capturedIo } from '../support/command-io.js';
import { type FakeLambda, startFakeLambda } from '../support/fake-lambda.js';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.js';

const BUCKET = 'stream-chat-events-prod-archive-1a2b3c';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:stream-chat-events-prod-events';
const STACK = 'stream-chat-events-prod';
const HOUR_MS = 3_600_000;

let s3: FakeS3;
let lambda: FakeLambda;
beforeEach(async () => {
  [s3, lambda] = await Promise.all([startFakeS3(10), startFakeLambda()]);
  lambda.answer = () => ({ status: 202, payload: '' });
  s3.buckets.set(BUCKET, new Map());
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([s3.close(), lambda.close()]);
});

/** An archived SNS notification of a Stream event of `type`, published at `at`. */
function notification(type: string, id: string, at: Date): string {
  const event = { type, created_at: at.toISOString(), message: { id, text: 'hello' }, user: { id: 'u1' } };
  return JSON.stringify({
    Type: 'Notification',
    MessageId: `mid-${id}`,
    TopicArn: TOPIC_ARN,
    Message: encodeMessage(JSON.stringify(event), MessageEncoding.Base64Gzip),
    Timestamp: at.toISOString(),
    UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
  });
}

/** Puts an object of these lines (gzip) under the hour of `at`, as Firehose names it. */
function putObject(at: Date, name: string, lines: string[]): string {
  const iso = at.toISOString();
  const key = `events/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/${name}`;
  s3.buckets.get(BUCKET)!.set(key, gzipSync(lines.map((line) => `${line}\n`).join('')));
  return key;
}

async function reprocess(args: string[]): Promise<{ code: number; report: any; stderr: string }> {
  const env = {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  // The SDK clients read their endpoints and credentials from the process's environment.
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const io = capturedIo();
  const code = await main(['--json', '--rate', '1000', ...args], io);
  return { code, report: io.out ? JSON.parse(io.out) : undefined, stderr: io.err };
}

describe('npm run reprocess -- --from s3://', () => {
  it('exits 2 naming the bucket when there is none, and writes the JSON report to --report', async () => {
    // Prepare
    const at = new Date(Date.now() - HOUR_MS);
    putObject(at, 'a.gz', [notification('message.new', 'a', at), notification('member.added', 'b', at)]);
    const since = new Date(at.getTime() - HOUR_MS).toISOString();
    const folder = mkdtempSync(join(tmpdir(), 'reprocess-report-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const reportFile = join(folder, 'report.json');

    // Act
    const missing = await reprocess(['--from', 's3://no-such-bucket', '--since', since, '--stack', STACK]);
    const written = await reprocess([
      '--from',
      `s3://${BUCKET}`,
      '--since',
      since,
      '--stack',
      STACK,
      '--category',
      'channels',
      '--report',
      reportFile,
    ]);

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no bucket named no-such-bucket/);
    expect(written.code, written.stderr).toBe(0);
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toEqual(written.report);
    expect(written.report.summary).toMatchObject({ selected: 1, notSelected: 1, sent: 1 });
    expect(lambda.invocations.map(({ functionName }) => functionName)).toEqual([`${STACK}-channels`]);
  });

  it('reads every page of the hours asked for and invokes each event on its owner, asynchronously, with streamReprocess', async () => {
    // Prepare: 30 objects in the hour two hours ago (3 pages of 10), one the hour before, one outside the range.
    const base = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS);
    const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
    for (let i = 0; i < 30; i += 1)
      putObject(at(1), `object-${String(i).padStart(2, '0')}.gz`, [notification(i % 2 ? 'message.new' : 'user.banned', `e${i}`, at(1))]);
    putObject(at(-30), 'earlier.gz', [notification('channel.updated', 'early', at(-30))]);
    putObject(at(-300), 'outside.gz', [notification('channel.updated', 'outside', at(-300))]);

    // Act
    const { code, report, stderr } = await reprocess([
      '--from',
      `s3://${BUCKET}`,
      '--since',
      at(-60).toISOString(),
      '--stack',
      STACK,
      '--force',
      'fix-1',
    ]);

    // Assess
    expect(code, stderr).toBe(0);
    expect(report.summary).toMatchObject({ objects: 31, archived: 31, selected: 31, sent: 31, failed: 0, label: 'fix-1' });
    expect(
      s3.listCalls.filter((prefix) => prefix === `events/dt=${base.toISOString().slice(0, 10)}/hour=${base.toISOString().slice(11, 13)}/`),
    ).toHaveLength(3);
    expect(lambda.invocations).toHaveLength(31);
    expect(new Set(lambda.invocations.map(({ invocationType }) => invocationType))).toEqual(new Set(['Event']));
    expect(lambda.invocations.filter(({ functionName }) => functionName === `${STACK}-messages`)).toHaveLength(15);
    expect(lambda.invocations.filter(({ functionName }) => functionName === `${STACK}-moderation`)).toHaveLength(15);
    expect(lambda.invocations.filter(({ functionName }) => functionName === `${STACK}-channels`)).toHaveLength(1);
    const payload = lambda.invocations[0]!.payload as any;
    expect(Object.keys(payload).sort()).toEqual(['Records', 'streamReprocess']);
    expect(payload.streamReprocess).toEqual({ label: 'fix-1' });
    expect(payload.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: { Type: 'Notification', TopicArn: TOPIC_ARN, UnsubscribeUrl: expect.any(String) },
    });
    expect(payload.Records[0].Sns.MessageId).toMatch(/^mid-/);
  });

  it('sends no label without --force, and refuses events older than the records lifetime, with the count and the reason', async () => {
    // Prepare
    const now = Date.now();
    const old = new Date(now - 26 * 24 * HOUR_MS);
    const young = new Date(now - HOUR_MS);
    putObject(old, 'old.gz', [notification('message.new', 'old', old)]);
    putObject(young, 'young.gz', [notification('message.new', 'young', young)]);
    const since = new Date(now - 27 * 24 * HOUR_MS).toISOString();

    // Act
    const plain = await reprocess(['--from', `s3://${BUCKET}/events/`, '--since', since, '--stack', STACK]);
    const invokedPlain = lambda.invocations.splice(0);
    const forced = await reprocess(['--from', `s3://${BUCKET}/events/`, '--since', since, '--stack', STACK, '--force', 'again']);

    // Assess
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.report.summary).toMatchObject({ selected: 1, refused: 1, sent: 1 });
    expect(plain.report.refused[0].reason).toMatch(/more than the idempotency records' lifetime \(25 days\).*--force/);
    expect(invokedPlain.map(({ payload }) => (payload as any).streamReprocess)).toEqual([{}]);
    expect(forced.report.summary).toMatchObject({ selected: 2, refused: 0, sent: 2 });
  });

  it('retries a throttled or failing Invoke and counts it; one that keeps failing fails the run (exit 1)', async () => {
    // Prepare: the first event throttled once then a 5xx, then accepted; the second refused on every attempt.
    const at = new Date(Date.now() - HOUR_MS);
    putObject(at, 'a.gz', [notification('message.new', 'first', at)]);
    putObject(at, 'b.gz', [notification('message.new', 'second', at)]);
    const first = (request: { body: string }) => request.body.includes('mid-first');
    const second = (request: { body: string }) => request.body.includes('mid-second');
    lambda.failNext.push(
      { when: first, status: 429, applied: false },
      { when: first, status: 500, applied: false },
      ...Array.from({ length: 4 }, () => ({ when: second, status: 503, applied: false })),
    );

    // Act
    const { code, report } = await reprocess([
      '--from',
      `s3://${BUCKET}`,
      '--since',
      new Date(at.getTime() - HOUR_MS).toISOString(),
      '--stack',
      STACK,
    ]);

    // Assess
    expect(code).toBe(1);
    const byId = Object.fromEntries(report.events.map((event: any) => [event.messageId, event]));
    expect(byId['mid-first']).toMatchObject({ outcome: 'sent', attempts: 3, detail: 'queued' });
    expect(byId['mid-second']).toMatchObject({ outcome: 'failed', attempts: 4 });
    expect(byId['mid-second'].detail).toMatch(/stream-chat-events-prod-messages/);
    expect(report.summary).toMatchObject({ sent: 1, failed: 1 });
  });

  it('reports, skips and counts what is not an archive record; --dry-run counts per category and type and invokes nothing', async () => {
    // Prepare
    const at = new Date(Date.now() - HOUR_MS);
    putObject(at, 'mixed.gz', [
      notification('message.new', 'good', at),
      'not json',
      JSON.stringify({ Type: 'SubscriptionConfirmation' }),
      notification('reaction.new', 'good-2', at),
    ]);
    const iso = at.toISOString();
    s3.buckets.get(BUCKET)!.set(`events/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/garbage.gz`, Buffer.from([0x1f, 0x8b, 1, 2, 3]));

    // Act
    const { code, report, stderr } = await reprocess([
      '--from',
      `s3://${BUCKET}`,
      '--since',
      new Date(at.getTime() - HOUR_MS).toISOString(),
      '--dry-run',
    ]);

    // Assess
    expect(code, stderr).toBe(0);
    expect(lambda.invocations).toHaveLength(0);
    expect(report.summary).toMatchObject({ archived: 2, selected: 2, unreadable: 3, sent: 0, dryRun: true });
    expect(report.summary.byCategory).toEqual({ messages: { 'message.new': 1, 'reaction.new': 1 } });
    expect(report.unreadable.map(({ source }: { source: string }) => source.replace(/^.*\//, ''))).toEqual([
      'garbage.gz',
      'mixed.gz:2',
      'mixed.gz:3',
    ]);
  });
});
