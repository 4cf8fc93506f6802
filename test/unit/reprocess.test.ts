/**
 * The pure parts of `npm run reprocess`: reading archive objects, the payload and its label, which events are
 * selected or refused, the S3 prefixes listed, the pace; and the local run's archive writer read back by the reader.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeMessage, LocalArchive, snsLambdaEvent } from '../../emulator/index.js';
import { readArchiveObject } from '../../reprocess/archive-records.js';
import { InvokeRefusedError } from '../../reprocess/errors.js';
import { isRetryableInvokeFailure } from '../../reprocess/invokers.js';
import { checkLabel, reprocessPayload } from '../../reprocess/payload.js';
import { pacer } from '../../reprocess/rate.js';
import { selectEvents } from '../../reprocess/selection.js';
import { listPrefixes, parseSource } from '../../reprocess/sources.js';
import { main as reprocess } from '../../scripts/reprocess.js';
import { MessageEncoding } from '../../shared/types.js';
import { capturedIo } from '../support/command-io.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:stream-chat-events-prod-events';
const NOW = new Date('2026-12-07T12:00:00.000Z');
const DAY_MS = 86_400_000;

const notification = (type: string, timestamp: string, id = 'm1') =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: id,
    TopicArn: TOPIC,
    Message: encodeMessage(JSON.stringify({ type, created_at: timestamp, message: { id } }), MessageEncoding.RawJson),
    Timestamp: timestamp,
  });

describe('readArchiveObject', () => {
  it('reads each line of a gzip or plain object, with its type, category and place', () => {
    // Prepare
    const text = `${notification('message.new', '2026-12-07T10:00:00.000Z')}\n\n${notification('user.banned', '2026-12-07T10:01:00.000Z', 'm2')}\n`;

    // Act
    const gzip = readArchiveObject('a.gz', gzipSync(text));
    const plain = readArchiveObject('a.json', Buffer.from(text));

    // Assess
    expect(plain.events.map(({ type, notification: n }) => [type, n])).toEqual(gzip.events.map(({ type, notification: n }) => [type, n]));
    expect(gzip.events.map(({ source, type, category }) => [source, type, category])).toEqual([
      ['a.gz:1', 'message.new', 'messages'],
      ['a.gz:3', 'user.banned', 'moderation'],
    ]);
    expect(gzip.unreadable).toEqual([]);
  });

  test.prop([fc.array(fc.oneof(fc.string(), fc.json(), fc.constant('{"Type":"Notification"}')), { maxLength: 8 })])(
    'never throws: a line that is not an archived notification of a Stream event is reported, with its place',
    (lines) => {
      // Prepare
      const text = lines.map((line) => line.replace(/\n/g, ' ')).join('\n');

      // Act
      const read = readArchiveObject('x.gz', gzipSync(text));

      // Assess
      const nonBlank = text.split('\n').filter((line) => line.trim() !== '').length;
      expect(read.events.length + read.unreadable.length).toBe(nonBlank);
      for (const { source } of read.unreadable) expect(source).toMatch(/^x\.gz:\d+$/);
    },
  );

  it('reports an object that is no gzip at all, once, by name', () => {
    // Act
    const read = readArchiveObject('broken.gz', Buffer.from([0x1f, 0x8b, 0, 1, 2]));

    // Assess
    expect(read.events).toEqual([]);
    expect(read.unreadable).toEqual([{ source: 'broken.gz', reason: expect.stringMatching(/not a gzip archive object/) }]);
  });
});

describe('the reprocess payload', () => {
  test.prop([fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/)])('a label of 1-64 of A-Za-z0-9._- is taken as it is', (label) => {
    expect(checkLabel(label)).toBe(label);
  });

  test.prop([fc.string().filter((label) => !/^[A-Za-z0-9._-]{1,64}$/.test(label))])(
    'any other label is refused, saying what is allowed',
    (label) => {
      expect(() => checkLabel(label)).toThrow(/1 to 64 characters of A-Z, a-z, 0-9/);
    },
  );

  it("is the SNS record Lambda would get, with streamReprocess beside Records, and Lambda's spelling of the URLs", () => {
    // Prepare
    const archived = { ...JSON.parse(notification('message.new', '2026-12-07T10:00:00.000Z')), UnsubscribeURL: 'https://u', Subject: 'hi' };

    // Act
    const forced = reprocessPayload(archived, 'fix-1');
    const plain = reprocessPayload(archived, undefined);

    // Assess
    expect(Object.keys(forced)).toEqual(['Records', 'streamReprocess']);
    expect(forced.streamReprocess).toEqual({ label: 'fix-1' });
    expect(plain.streamReprocess).toEqual({});
    expect(forced.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: 'm1',
        TopicArn: TOPIC,
        Message: archived.Message,
        Timestamp: archived.Timestamp,
        Subject: 'hi',
        UnsubscribeUrl: 'https://u',
      },
    });
    expect(forced.Records[0].Sns).not.toHaveProperty('UnsubscribeURL');
  });
});

describe('selectEvents', () => {
  const events = (...timestamps: string[]) =>
    readArchiveObject(
      'o',
      Buffer.from(timestamps.map((t, i) => notification(i % 2 ? 'user.banned' : 'message.new', t, `m${i}`)).join('\n')),
    ).events;
  const selection = { since: undefined, until: undefined, types: [], category: undefined, force: false, now: NOW };

  it("refuses, without --force, an event published more than the records' lifetime (25 days) ago; takes one just within", () => {
    // Prepare
    const justWithin = new Date(NOW.getTime() - 25 * DAY_MS).toISOString();
    const justBeyond = new Date(NOW.getTime() - 25 * DAY_MS - 1).toISOString();

    // Act
    const plain = selectEvents(events(justWithin, justBeyond), selection);
    const forced = selectEvents(events(justWithin, justBeyond), { ...selection, force: true });

    // Assess
    expect(plain.selected.map(({ notification: n }) => n.Timestamp)).toEqual([justWithin]);
    expect(plain.refused).toEqual([{ source: 'o:2', type: 'user.banned', reason: expect.stringMatching(/25 days/) }]);
    expect(forced.selected).toHaveLength(2);
    expect(forced.refused).toEqual([]);
  });

  it('takes since inclusive and until exclusive, the types and the category asked for, and counts the rest', () => {
    // Prepare
    const all = events('2026-12-07T09:00:00.000Z', '2026-12-07T10:00:00.000Z', '2026-12-07T11:00:00.000Z');

    // Act
    const range = selectEvents(all, {
      ...selection,
      since: new Date('2026-12-07T10:00:00.000Z'),
      until: new Date('2026-12-07T11:00:00.000Z'),
    });
    const types = selectEvents(all, { ...selection, types: ['message.new'] });
    const category = selectEvents(all, { ...selection, category: 'moderation' });

    // Assess
    expect(range.selected.map(({ source }) => source)).toEqual(['o:2']);
    expect(range.notSelected).toBe(2);
    expect(types.selected.map(({ type }) => type)).toEqual(['message.new', 'message.new']);
    expect(category.selected.map(({ type }) => type)).toEqual(['user.banned']);
  });
});

describe('the S3 source', () => {
  it('parses s3://bucket[/prefix], the prefix events/ by default, and anything else as a folder', () => {
    expect(parseSource('s3://b')).toEqual({ kind: 's3', bucket: 'b', prefix: 'events/' });
    expect(parseSource('s3://b/archive/events')).toEqual({ kind: 's3', bucket: 'b', prefix: 'archive/events/' });
    expect(parseSource('.local/archive')).toEqual({ kind: 'folder', path: '.local/archive' });
  });

  it('lists the hours of the range and one past it, and a whole day by its day prefix', () => {
    // Act
    const hours = listPrefixes('events/', new Date('2026-12-07T22:30:00Z'), new Date('2026-12-07T23:10:00Z'));
    const days = listPrefixes('events/', new Date('2026-12-05T23:00:00Z'), new Date('2026-12-07T01:00:00Z'));

    // Assess
    expect(hours).toEqual(['events/dt=2026-12-07/hour=22/', 'events/dt=2026-12-07/hour=23/', 'events/dt=2026-12-08/hour=00/']);
    expect(days).toEqual([
      'events/dt=2026-12-05/hour=23/',
      'events/dt=2026-12-06/',
      'events/dt=2026-12-07/hour=00/',
      'events/dt=2026-12-07/hour=01/',
      'events/dt=2026-12-07/hour=02/',
    ]);
  });
});

describe('pacer', () => {
  afterEach(() => vi.useRealTimers());

  it('starts the first at once and each next one an interval after the last', async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    const pace = pacer(4);
    const started: number[] = [];

    // Act
    const all = Promise.all([0, 1, 2].map(() => pace.next().then(() => started.push(Date.now()))));
    await vi.advanceTimersByTimeAsync(1000);
    await all;

    // Assess
    expect(started).toEqual([0, 250, 500]);
  });
});

describe('LocalArchive', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("writes each SNS delivery once, under the run's hour, as the archive reader reads it; a non-SNS event not at all", () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'local-archive-'));
    const runAt = new Date('2026-12-07T09:15:00.000Z');
    const archive = new LocalArchive(dir, runAt);
    const message = encodeMessage(JSON.stringify({ type: 'reaction.new', created_at: '2026-12-07T09:00:00Z' }), MessageEncoding.Base64Gzip);

    // Act
    archive.add(JSON.stringify(snsLambdaEvent(message, { messageId: 'id-1', topicArn: TOPIC })));
    archive.add(JSON.stringify({ Records: [{ eventSource: 'aws:sqs', body: 'x' }] }));
    const file = archive.write()!;

    // Assess
    expect(file.slice(dir.length + 1)).toMatch(/^events\/dt=2026-12-07\/hour=09\/local-run-[^/]+\.gz$/);
    expect(readdirSync(join(dir, 'events/dt=2026-12-07/hour=09'))).toHaveLength(1);
    const read = readArchiveObject('x', readFileSync(file));
    expect(read.unreadable).toEqual([]);
    expect(read.events).toHaveLength(1);
    expect(read.events[0]!.notification).toMatchObject({
      MessageId: 'id-1',
      TopicArn: TOPIC,
      Message: message,
      Timestamp: runAt.toISOString(),
    });
    expect(read.events[0]!.type).toBe('reaction.new');
  });
});

describe('npm run reprocess, the command over a folder', () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.unstubAllEnvs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads --since without a zone as UTC, whatever the machine zone, and counts per category and type in a dry run', async () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'reprocess-folder-'));
    const lines = [
      notification('message.new', '2026-12-07T09:59:59.999Z', 'm1'),
      notification('member.added', '2026-12-07T10:00:00.000Z', 'm2'),
    ];
    writeFileSync(join(dir, 'object.gz'), gzipSync(lines.join('\n')));
    vi.stubEnv('TZ', 'America/New_York');
    const io = capturedIo();

    // Act
    const code = await reprocess(['--from', dir, '--since', '2026-12-07T10:00', '--dry-run', '--json'], io);

    // Assess
    expect(code, io.err).toBe(0);
    const { summary } = JSON.parse(io.out);
    expect(summary).toMatchObject({ selected: 1, notSelected: 1, sent: 0, byCategory: { channels: { 'member.added': 1 } } });
  });
});

describe('isRetryableInvokeFailure', () => {
  const answered = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it.each([
    ['a throttle', answered('TooManyRequestsException', 429), true],
    ['a 5xx', answered('ServiceException', 500), true],
    ['a 503 of any name', answered('Unknown', 503), true],
    ['no answer (a connection refused)', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', $metadata: {} }), true],
    ['a missing function', answered('ResourceNotFoundException', 404), false],
    ['no permission', answered('AccessDeniedException', 403), false],
    ['a payload too large', answered('RequestEntityTooLargeException', 413), false],
    ['an answer that is not 202', new InvokeRefusedError('status 200'), false],
  ] as const)('%s', (_what, error, retryable) => {
    expect(isRetryableInvokeFailure(error)).toBe(retryable);
  });
});
