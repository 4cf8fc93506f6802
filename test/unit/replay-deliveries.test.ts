/**
 * What `npm run replay` delivers for files and folders: which files count (emulator/delivery-files.ts), how each is
 * read (an SNS->Lambda event as it is, anything else wrapped, its bytes never re-serialized or repaired), and what
 * is reported instead of delivered, by name. On real files, links, a FIFO and a file whose read fails.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { isSnsLambdaEvent, readDeliveries } from '../../emulator/index.js';
import { MessageEncoding } from '../../shared/types.js';
import { runProcess } from '../support/processes.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'replay-deliveries-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ENCODINGS = Object.values(MessageEncoding);

/** The bytes the function receives as the SNS message, decoded from its encoding. */
function messageBytes(lambdaEvent: string, encoding: MessageEncoding): Buffer {
  const message = JSON.parse(lambdaEvent).Records[0].Sns.Message as string;
  if (encoding === MessageEncoding.RawJson) return Buffer.from(message, 'utf8');
  const bytes = Buffer.from(message, 'base64');
  return encoding === MessageEncoding.Base64Gzip ? gunzipSync(bytes) : bytes;
}

/** Valid UTF-8, told by Node's own decoder: decoding and encoding again gives the same bytes (no U+FFFD put in). */
const isUtf8 = (bytes: Uint8Array) => Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(Buffer.from(bytes));

const source = (file: string) => relative(process.cwd(), file);

let files = 0;
/** A file of its own in the test folder. */
function fileWith(content: string | Uint8Array): string {
  files += 1;
  const file = join(folder, `file-${files}.json`);
  writeFileSync(file, content);
  return file;
}

/** An SNS record, with extra members of its own. */
const snsRecord = fc.record({
  EventSource: fc.constant('aws:sns'),
  Sns: fc.dictionary(fc.string(), fc.jsonValue()),
  extra: fc.jsonValue(),
});
const snsEvent = fc.record({ Records: fc.array(snsRecord, { minLength: 1, maxLength: 3 }), other: fc.jsonValue() });

describe('isSnsLambdaEvent', () => {
  test.prop([snsEvent])('is true for Records: a non-empty array of objects with EventSource aws:sns and an Sns object', (event) => {
    // Act
    const verdict = isSnsLambdaEvent(JSON.stringify(event));

    // Assess
    expect(verdict).toBe(true);
  });

  test.prop([
    snsEvent,
    fc.constantFrom(
      (e: Record<string, unknown>) => ({ ...e, Records: [] }),
      (e: Record<string, unknown>) => ({ ...e, Records: (e.Records as unknown[])[0] }),
      (e: Record<string, unknown>) => ({ ...e, Records: 'aws:sns' }),
      (e: Record<string, unknown>) => ({ other: e.other }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), 7] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), null] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), [{ EventSource: 'aws:sns', Sns: {} }]] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), { EventSource: 'aws:sqs', Sns: {} }] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), { EventSource: 'AWS:SNS', Sns: {} }] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), { EventSource: 'aws:sns' }] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), { EventSource: 'aws:sns', Sns: null }] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), { EventSource: 'aws:sns', Sns: [] }] }),
      (e: Record<string, unknown>) => ({ ...e, Records: [...(e.Records as unknown[]), { EventSource: 'aws:sns', Sns: '{}' }] }),
      (e: Record<string, unknown>) => [e],
    ),
  ])('is false for any other JSON, a Records field of its own included', (event, unmake) => {
    // Act
    const verdict = isSnsLambdaEvent(JSON.stringify(unmake(event)));

    // Assess
    expect(verdict).toBe(false);
  });
});

describe('readDeliveries: how a file is read', () => {
  test.prop([
    fc.constantFrom(...ENCODINGS),
    fc.oneof(
      fc.constant('{"type":"message.new","type":"reaction.new","n":1.50}\n'),
      fc.constant('{"type":"custom.sync","Records":[{"id":1}]}'),
      fc.constant('{"Records":[{"EventSource":"aws:sqs","body":"{}"}]}'),
      fc.json().filter((text) => !text.includes('aws:sns')),
      fc.string().filter((text) => !text.includes('aws:sns')),
    ),
  ])('wraps any file not SNS-shaped, byte for byte (duplicate keys, spacing, numbers, a Records of its own)', (encoding, text) => {
    // Prepare
    const file = fileWith(text);

    // Act
    const { deliveries, undelivered } = readDeliveries([file], encoding);

    // Assess
    expect(undelivered).toEqual([]);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.read).toBe('wrapped');
    expect(messageBytes(deliveries[0]!.lambdaEvent, encoding).toString('utf8')).toBe(text);
  });

  test.prop([fc.constantFrom(...ENCODINGS), snsEvent, fc.constantFrom('', '\n', '  \n\t')])(
    'delivers a file holding an SNS->Lambda event as it is, whatever the encoding',
    (encoding, event, spacing) => {
      // Prepare
      const text = `${spacing}${JSON.stringify(event, null, 1)}${spacing}`;
      const file = fileWith(text);

      // Act
      const { deliveries } = readDeliveries([file], encoding);

      // Assess
      expect(deliveries).toEqual([{ source: source(file), lambdaEvent: text, read: 'sns-event' }]);
    },
  );

  test.prop([fc.constantFrom(MessageEncoding.Base64Json, MessageEncoding.Base64Gzip), fc.uint8Array({ maxLength: 300 })])(
    'encodes the bytes as they are with a base64 encoding, UTF-8 or not',
    (encoding, bytes) => {
      // Prepare
      const file = fileWith(bytes);

      // Act
      const { deliveries, undelivered } = readDeliveries([file], encoding);

      // Assess
      expect(undelivered).toEqual([]);
      expect(messageBytes(deliveries[0]!.lambdaEvent, encoding).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  test.prop([
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')),
      fc.constant(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])),
    ),
  ])('with raw-json, delivers UTF-8 bytes as their text, BOM kept, and names a file of any other bytes as not delivered', (bytes) => {
    // Prepare
    const file = fileWith(bytes);

    // Act
    const { deliveries, undelivered } = readDeliveries([file], MessageEncoding.RawJson);

    // Assess
    if (isUtf8(bytes)) {
      expect(undelivered).toEqual([]);
      expect(messageBytes(deliveries[0]!.lambdaEvent, MessageEncoding.RawJson).equals(Buffer.from(bytes))).toBe(true);
    } else {
      expect(deliveries).toEqual([]);
      expect(undelivered).toEqual([{ source: source(file), reason: 'not_utf8', message: expect.stringContaining(source(file)) }]);
    }
  });
});

describe('readDeliveries: folders', () => {
  it('takes *.json files sorted, skips hidden entries, follows links but not loops, and names what cannot be read', () => {
    // Prepare: every kind of entry, beside files that deliver.
    const root = join(folder, 'tree');
    const outside = join(folder, 'outside');
    for (const dir of [root, join(root, 'b-sub'), join(root, '.hidden-dir'), outside]) mkdirSync(dir, { recursive: true });
    const event = (name: string) => JSON.stringify({ type: 'message.new', name });
    writeFileSync(join(root, 'a.json'), event('a'));
    writeFileSync(join(root, 'b-sub', 'inner.json'), event('inner'));
    writeFileSync(join(root, 'notes.txt'), 'not an event');
    writeFileSync(join(root, 'upper.JSON'), event('upper'));
    writeFileSync(join(root, '.hidden.json'), event('hidden'));
    writeFileSync(join(root, '.hidden-dir', 'x.json'), event('in hidden folder'));
    writeFileSync(join(outside, 'linked.json'), event('linked'));
    symlinkSync(join(outside, 'linked.json'), join(root, 'c-link.json'));
    symlinkSync(outside, join(root, 'd-linked-folder'));
    symlinkSync(root, join(root, 'e-loop'));
    symlinkSync(join(folder, 'nowhere.json'), join(root, 'f-broken.json'));
    symlinkSync(join(folder, 'nowhere'), join(root, 'f-broken-not-json'));
    symlinkSync(join(root, 'g-loop.json'), join(root, 'g-loop.json'));
    execFileSync('mkfifo', [join(root, 'h-fifo.json')]);
    // A file the kernel fails to read (EIO), whoever asks: root reads past permission bits, not past this.
    symlinkSync('/proc/self/mem', join(root, 'i-eio.json'));
    writeFileSync(join(root, 'z.json'), event('z'));

    // Act
    const { deliveries, undelivered } = readDeliveries(
      [root, join(root, '.hidden.json'), join(folder, 'missing.json')],
      MessageEncoding.Base64Json,
    );

    // Assess
    const names = deliveries.map((delivery) => JSON.parse(messageBytes(delivery.lambdaEvent, MessageEncoding.Base64Json).toString()).name);
    expect(names).toEqual(['a', 'inner', 'linked', 'linked', 'z', 'hidden']);
    expect(deliveries.map((delivery) => delivery.source)).toEqual(
      [
        'tree/a.json',
        'tree/b-sub/inner.json',
        'tree/c-link.json',
        'tree/d-linked-folder/linked.json',
        'tree/z.json',
        'tree/.hidden.json',
      ].map((name) => source(join(folder, name))),
    );
    expect(undelivered.map(({ source: file, reason }) => [file, reason])).toEqual([
      [source(join(root, 'f-broken.json')), 'broken_link'],
      [source(join(root, 'g-loop.json')), 'broken_link'],
      [source(join(root, 'h-fifo.json')), 'not_a_file'],
      [source(join(root, 'i-eio.json')), 'unreadable'],
      [source(join(folder, 'missing.json')), 'missing'],
    ]);
    for (const { source: file, message } of undelivered) expect(message).toContain(file);
    expect(undelivered[3]?.message).toMatch(/EIO/);
  });

  it('reads a file given by name whatever its name, and gives nothing for an empty folder', () => {
    // Prepare
    const empty = join(folder, 'empty');
    mkdirSync(empty);
    const named = join(folder, '.event.txt');
    writeFileSync(named, '{"type":"message.new"}');

    // Act
    const fromEmpty = readDeliveries([empty], MessageEncoding.RawJson);
    const fromNamed = readDeliveries([named], MessageEncoding.RawJson);

    // Assess
    expect(fromEmpty).toEqual({ deliveries: [], undelivered: [] });
    expect(fromNamed.undelivered).toEqual([]);
    expect(fromNamed.deliveries.map(({ source: file, read }) => [file, read])).toEqual([[source(named), 'wrapped']]);
    expect(messageBytes(fromNamed.deliveries[0]!.lambdaEvent, MessageEncoding.RawJson).toString()).toBe('{"type":"message.new"}');
  });
});

describe('readDeliveries: permissions', () => {
  it('names a file and a folder it may not read, and still delivers the rest', { tags: ['child-process'] }, async () => {
    // Prepare: permission bits bind only a user without root's override, so the reading runs as one (nobody when
    // the suite runs as root, else the suite's own user).
    const root = join(folder, 'permissions');
    mkdirSync(join(root, 'locked'), { recursive: true });
    writeFileSync(join(root, 'a.json'), '{"type":"message.new"}');
    writeFileSync(join(root, 'locked', 'inner.json'), '{"type":"message.new"}');
    writeFileSync(join(root, 'secret.json'), '{"type":"message.new"}');
    chmodSync(join(root, 'secret.json'), 0o000);
    chmodSync(join(root, 'locked'), 0o000);
    chmodSync(folder, 0o755);
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const script = `import('./emulator/delivery-files.ts').then((m) => console.log(JSON.stringify(m.readDeliveries(process.argv.slice(1), 'raw-json'))))`;

    // Act
    const run = await runProcess(process.execPath, ['--import', 'tsx', '-e', script, root], { cwd: PROJECT_DIR, user });
    // Removable again by any user.
    chmodSync(join(root, 'locked'), 0o755);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const read = JSON.parse(run.stdout);
    const named = (file: string) => relative(PROJECT_DIR, join(root, file));
    expect(read.deliveries.map((delivery: { source: string }) => delivery.source)).toEqual([named('a.json')]);
    expect(read.undelivered.map(({ source: file, reason }: { source: string; reason: string }) => [file, reason])).toEqual([
      [named('locked'), 'no_permission'],
      [named('secret.json'), 'no_permission'],
    ]);
  });
});
