/**
 * The hostile-input corpus: deliveries built to break a decoder or a process (bombs, depth, size, many small
 * values, bad bytes, malformed Lambda events), each with the classification the pipeline must give it. Each is
 * built on demand, in memory: some are megabytes, and the bytes are the point, not the files. The big ones are
 * built from Buffers, outside the heap that the run is limited to.
 */
import { gzipSync } from 'node:zlib';
import { snsLambdaEvent } from '../../emulator/index.js';
import type { Category } from '../../shared/catalog.js';
import { DECODE_LIMITS } from '../../shared/decode-limits.js';

export interface HostileDelivery {
  name: string;
  /** Builds the Lambda event (on demand: the corpus together would be hundreds of megabytes). */
  build: () => unknown;
  /** `rejected:<reason>` or `processed`, and by which category's function. */
  expected: { outcome: 'rejected' | 'processed'; reason?: string; category: Category };
}

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');
const gz = (bytes: Buffer | string) => b64(gzipSync(bytes));
const sns = (message: string, id = 'hostile') => snsLambdaEvent(message, { messageId: id });
const deep = (levels: number) => `{"type":"message.new","x":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const rejected = (reason: string, category: Category = 'other') => ({ outcome: 'rejected' as const, reason, category });
const processed = (category: Category) => ({ outcome: 'processed' as const, category });
/** `head`, then `count` copies of `unit` joined by commas, then `tail`, as bytes outside the heap. */
const repeated = (head: string, unit: string, count: number, tail: string) => {
  const body = Buffer.alloc(count * (unit.length + 1) - 1, `${unit},`);
  return Buffer.concat([Buffer.from(head), body, Buffer.from(tail)]);
};
/** `head`, `size` copies of one byte, then `tail`, as bytes outside the heap. */
const padded = (head: string, size: number, byte: number, tail: string) =>
  Buffer.concat([Buffer.from(head), Buffer.alloc(size, byte), Buffer.from(tail)]);
/** How many `{}` elements make an event of `values` counted values (the root, the array, one per element). */
const emptyObjects = (values: number) => Math.floor((values - 2) / 2);

export function hostileCorpus(): HostileDelivery[] {
  const record = () => sns('{"type":"message.new"}').Records[0]!;
  const underValues = emptyObjects(DECODE_LIMITS.maxJsonValues);
  const overValues = underValues + 1;
  return [
    {
      name: 'gzip bomb (64 MiB of spaces)',
      build: () => sns(gz(Buffer.alloc(64 * 1024 * 1024, 0x20))),
      expected: rejected('inflated_too_large'),
    },
    {
      name: 'gzip bomb of a valid event (type first, 64 MiB of padding)',
      build: () => sns(gz(padded('{"type":"message.new","pad":"', 64 * 1024 * 1024, 0x20, '"}'))),
      expected: rejected('inflated_too_large', 'messages'),
    },
    {
      name: '16 MiB of [{},{},...] in 22 KB of gzip, no type',
      build: () => sns(gz(repeated('[', '{}', 5_592_000, ']'))),
      expected: rejected('inflated_too_large'),
    },
    {
      name: '4 MiB of {},{},... after the type, in gzip',
      build: () => sns(gz(repeated('{"type":"message.new","v":[', '{}', 1_398_000, ']}'))),
      expected: rejected('too_many_values', 'messages'),
    },
    {
      name: 'empty objects just under the value limit, type first',
      build: () => sns(gz(repeated('{"type":"message.new","v":[', '{}', underValues, ']}'))),
      expected: processed('messages'),
    },
    {
      name: 'empty objects just over the value limit, type first',
      build: () => sns(gz(repeated('{"type":"message.new","v":[', '{}', overValues, ']}'))),
      expected: rejected('too_many_values', 'messages'),
    },
    {
      name: 'empty objects just under the value limit, no type (all five parse it)',
      build: () => sns(gz(repeated('{"v":[', '{}', underValues, ']}'))),
      expected: rejected('missing_type'),
    },
    {
      name: 'empty objects just under the value limit, type last (all five parse it)',
      build: () => sns(gz(repeated('{"v":[', '{}', underValues, '],"type":"channel.updated"}'))),
      expected: processed('channels'),
    },
    {
      name: 'one-member objects just under the value limit (each member uncounted)',
      build: () => sns(gz(repeated('{"v":[', '{"a":1}', underValues - 1, '],"type":"channel.updated"}'))),
      expected: processed('channels'),
    },
    {
      name: 'short strings just under the value limit and near the byte limit',
      build: () => sns(gz(repeated('{"type":"message.new","v":[', `"${'s'.repeat(16)}"`, DECODE_LIMITS.maxJsonValues - 3, ']}'))),
      expected: processed('messages'),
    },
    {
      name: 'numbers just under the value limit',
      build: () => sns(gz(repeated('{"type":"message.new","v":[', '1.5e300', DECODE_LIMITS.maxJsonValues - 3, ']}'))),
      expected: processed('messages'),
    },
    { name: 'gzip inside gzip', build: () => sns(gz(gzipSync('{"type":"message.new"}'))), expected: rejected('invalid_utf8') },
    { name: 'JSON nested 100,000 levels, raw', build: () => sns(deep(100_000)), expected: rejected('too_deep', 'messages') },
    { name: 'JSON nested 100,000 levels, gzip', build: () => sns(gz(deep(100_000))), expected: rejected('too_deep', 'messages') },
    { name: 'JSON nested 1,000,000 levels, gzip', build: () => sns(gz(deep(1_000_000))), expected: rejected('too_deep', 'messages') },
    { name: 'JSON nested 1,000,000 levels, gzip, no type', build: () => sns(gz(`[${deep(1_000_000)}]`)), expected: rejected('too_deep') },
    {
      name: 'a 10 MB string, raw',
      build: () => sns(`{"type":"message.new","text":"${'x'.repeat(10 * 1024 * 1024)}"}`),
      expected: rejected('message_too_large', 'messages'),
    },
    {
      name: 'a 10 MB string, gzip (past the inflated limit)',
      build: () => sns(gz(padded('{"type":"message.new","text":"', 10 * 1024 * 1024, 0x78, '"}'))),
      expected: rejected('inflated_too_large', 'messages'),
    },
    {
      name: 'a 3.9 MiB string, gzip (a valid event under the inflated limit)',
      build: () => sns(gz(`{"type":"message.new","text":"${'x'.repeat(4_000_000)}"}`)),
      expected: processed('messages'),
    },
    {
      name: 'a message over 256 KB',
      build: () => sns(`{"type":"message.new","text":"${'y'.repeat(300 * 1024)}"}`),
      expected: rejected('message_too_large', 'messages'),
    },
    {
      name: 'a message over 256 KB of UTF-8 in fewer characters',
      build: () => sns(`{"type":"message.new","text":"${'€'.repeat(100_000)}"}`),
      expected: rejected('message_too_large', 'messages'),
    },
    {
      name: 'invalid UTF-8, base64',
      build: () => sns(b64(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]))),
      expected: rejected('invalid_utf8'),
    },
    {
      name: 'invalid UTF-8, gzip',
      build: () => sns(gz(Buffer.from([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d]))),
      expected: rejected('invalid_utf8'),
    },
    {
      name: 'a raw NUL byte inside a JSON string',
      build: () => sns(gz('{"type":"message.new","text":"a\u0000b"}')),
      expected: rejected('invalid_json', 'messages'),
    },
    {
      name: 'NUL bytes as escapes (valid JSON)',
      build: () => sns(gz('{"type":"message.new","text":"a\\u0000b\\u0000"}')),
      expected: processed('messages'),
    },
    { name: 'NUL bytes around the message', build: () => sns('\u0000\u0000{"type":"message.new"}'), expected: rejected('bad_base64') },
    { name: 'Records missing', build: () => ({}), expected: rejected('not_one_record') },
    { name: 'Records empty', build: () => ({ Records: [] }), expected: rejected('not_one_record') },
    { name: 'two records', build: () => ({ Records: [record(), record()] }), expected: rejected('not_one_record') },
    { name: 'Records not an array', build: () => ({ Records: { 0: record() } }), expected: rejected('not_one_record') },
    { name: 'a null Lambda event', build: () => null, expected: rejected('not_one_record') },
    {
      name: 'EventSource aws:sqs',
      build: () => ({ Records: [{ ...record(), EventSource: 'aws:sqs' }] }),
      expected: rejected('not_sns_record'),
    },
    {
      name: 'Sns.Message a number',
      build: () => ({ Records: [{ ...record(), Sns: { ...record().Sns, Message: 42 } }] }),
      expected: rejected('not_sns_record'),
    },
    {
      name: 'Records nested 100,000 levels',
      build: () => JSON.parse(`{"Records":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
      expected: rejected('not_sns_record'),
    },
    { name: 'bad base64', build: () => sns('%%%not-base64%%%'), expected: rejected('bad_base64') },
    {
      name: 'truncated gzip',
      build: () => sns(gz('{"type":"message.new","text":"hello hello"}').slice(0, 28)),
      expected: rejected('bad_gzip'),
    },
    { name: 'invalid JSON', build: () => sns('{"type":"message.new",}'), expected: rejected('invalid_json', 'messages') },
    { name: 'a JSON array', build: () => sns(b64('[{"type":"message.new"}]')), expected: rejected('not_an_object') },
    { name: 'JSON null', build: () => sns('null'), expected: rejected('not_an_object') },
    { name: 'no type', build: () => sns('{"cid":"messaging:x"}'), expected: rejected('missing_type') },
    { name: 'an empty type', build: () => sns('{"type":""}'), expected: rejected('invalid_type') },
    { name: 'a non-string type', build: () => sns('{"type":["message.new"]}'), expected: rejected('invalid_type') },
    {
      name: 'two types, the second one last',
      build: () => sns(gz('{"type":"user.banned","x":1,"type":"message.new"}')),
      expected: rejected('conflicting_type', 'moderation'),
    },
    {
      name: 'two types and an escaped type key',
      build: () => sns('{"type":"user.banned","\\u0074ype":"message.new"}'),
      expected: rejected('conflicting_type', 'moderation'),
    },
    {
      name: 'two types, the first key escaped and 600 spaces in (no peek)',
      build: () => sns(gz(`{${' '.repeat(600)}"\\u0074ype":"user.banned","type":"message.new"}`)),
      expected: rejected('conflicting_type', 'moderation'),
    },
    {
      name: 'a type past the depth limit, after it (no peek)',
      build: () => sns(gz(`{"x":${'['.repeat(1_000)}${']'.repeat(1_000)},"type":"message.new"}`)),
      expected: rejected('too_deep', 'messages'),
    },
    {
      name: '256 KiB of control characters (1.5 MB once escaped)',
      build: () => sns('\u0001'.repeat(256 * 1024)),
      expected: rejected('bad_base64'),
    },
    {
      name: 'a custom type of 100,000 characters (a valid event)',
      build: () => sns(`{"type":"custom.${'t'.repeat(100_000)}"}`),
      expected: processed('other'),
    },
    {
      name: 'created_at neither RFC 3339 nor a number (a valid event)',
      build: () => sns('{"type":"user.banned","created_at":"soon"}'),
      expected: processed('moderation'),
    },
    {
      name: 'prototype pollution keys',
      build: () => sns(gz('{"type":"message.new","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')),
      expected: processed('messages'),
    },
    { name: 'type named after Object.prototype', build: () => sns('{"type":"constructor"}'), expected: processed('other') },
    { name: 'type __proto__', build: () => sns('{"type":"__proto__"}'), expected: processed('other') },
    {
      name: 'unpaired surrogates in keys and values',
      build: () => sns('{"type":"message.new","\\ud800":"\\udfff"}'),
      expected: processed('messages'),
    },
    {
      name: 'created_at an object that cannot be turned into a string (a valid event)',
      build: () => sns('{"type":"message.new","created_at":{"toString":0,"valueOf":0}}'),
      expected: processed('messages'),
    },
    {
      name: 'numbers past the double range (a valid event)',
      build: () => sns('{"type":"message.new","x":1e400,"y":-1e999,"z":1e-400}'),
      expected: processed('messages'),
    },
    {
      name: 'an unpaired surrogate and 2 million backslashes, 4 MiB inflated',
      build: () => sns(gz(padded('{"type":"channel.updated","s":"\\ud800', 4_180_000, 0x5c, '"}'))),
      expected: processed('channels'),
    },
    {
      name: 'an EventSource that cannot be turned into a string',
      build: () => ({ Records: [{ EventSource: { toString: 0 }, Sns: { Message: '{}' } }] }),
      expected: rejected('not_sns_record'),
    },
    {
      name: '30,000 keys in one object',
      build: () => sns(gz(`{"type":"channel.updated",${Array.from({ length: 30_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
      expected: processed('channels'),
    },
  ];
}
