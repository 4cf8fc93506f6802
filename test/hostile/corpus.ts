/**
 * The hostile-input corpus: deliveries built to break a decoder or a process (bombs, depth, size, bad bytes,
 * malformed Lambda events), each with the classification the pipeline must give it. Built in memory: some are
 * megabytes, and the bytes are the point, not the files.
 */
import { gzipSync } from 'node:zlib';
import { snsLambdaEvent } from '../../scripts/local/sns-envelope.js';
import type { Category } from '../../shared/catalog.js';

export interface HostileDelivery {
  name: string;
  lambdaEvent: unknown;
  /** `rejected:<reason>` or `processed`, and by which category's function. */
  expected: { outcome: 'rejected' | 'processed'; reason?: string; category: Category };
}

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');
const gz = (bytes: Buffer | string) => b64(gzipSync(bytes));
const sns = (message: string, id = 'hostile') => snsLambdaEvent(message, { messageId: id });
const deep = (levels: number) => `{"type":"message.new","x":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const rejected = (reason: string, category: Category = 'other') => ({ outcome: 'rejected' as const, reason, category });
const processed = (category: Category) => ({ outcome: 'processed' as const, category });

export function hostileCorpus(): HostileDelivery[] {
  const tenMegabytes = 'x'.repeat(10 * 1024 * 1024);
  const record = sns('{"type":"message.new"}').Records[0]!;
  return [
    { name: 'gzip bomb (64 MiB of spaces)', lambdaEvent: sns(gz(Buffer.alloc(64 * 1024 * 1024, 0x20))), expected: rejected('inflated_too_large') },
    { name: 'gzip bomb of a valid event (type first, 64 MiB of padding)', lambdaEvent: sns(gz(`{"type":"message.new","pad":"${' '.repeat(64 * 1024 * 1024)}"}`)), expected: rejected('inflated_too_large', 'messages') },
    { name: 'gzip inside gzip', lambdaEvent: sns(gz(gzipSync('{"type":"message.new"}'))), expected: rejected('invalid_utf8') },
    { name: 'JSON nested 100,000 levels, raw', lambdaEvent: sns(deep(100_000)), expected: rejected('too_deep', 'messages') },
    { name: 'JSON nested 100,000 levels, gzip', lambdaEvent: sns(gz(deep(100_000))), expected: rejected('too_deep', 'messages') },
    { name: 'JSON nested 1,000,000 levels, gzip', lambdaEvent: sns(gz(deep(1_000_000))), expected: rejected('too_deep', 'messages') },
    { name: 'a 10 MB string, raw', lambdaEvent: sns(`{"type":"message.new","text":"${tenMegabytes}"}`), expected: rejected('message_too_large', 'messages') },
    { name: 'a 10 MB string, gzip (a valid event)', lambdaEvent: sns(gz(`{"type":"message.new","text":"${tenMegabytes}"}`)), expected: processed('messages') },
    { name: 'a message over 256 KB', lambdaEvent: sns(`{"type":"message.new","text":"${'y'.repeat(300 * 1024)}"}`), expected: rejected('message_too_large', 'messages') },
    { name: 'invalid UTF-8, base64', lambdaEvent: sns(b64(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]))), expected: rejected('invalid_utf8') },
    { name: 'invalid UTF-8, gzip', lambdaEvent: sns(gz(Buffer.from([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d]))), expected: rejected('invalid_utf8') },
    { name: 'a raw NUL byte inside a JSON string', lambdaEvent: sns(gz('{"type":"message.new","text":"a\u0000b"}')), expected: rejected('invalid_json', 'messages') },
    { name: 'NUL bytes as escapes (valid JSON)', lambdaEvent: sns(gz('{"type":"message.new","text":"a\\u0000b\\u0000"}')), expected: processed('messages') },
    { name: 'NUL bytes around the message', lambdaEvent: sns('\u0000\u0000{"type":"message.new"}'), expected: rejected('bad_base64') },
    { name: 'Records missing', lambdaEvent: {}, expected: rejected('not_one_record') },
    { name: 'Records empty', lambdaEvent: { Records: [] }, expected: rejected('not_one_record') },
    { name: 'two records', lambdaEvent: { Records: [record, record] }, expected: rejected('not_one_record') },
    { name: 'Records not an array', lambdaEvent: { Records: { 0: record } }, expected: rejected('not_one_record') },
    { name: 'a null Lambda event', lambdaEvent: null, expected: rejected('not_one_record') },
    { name: 'EventSource aws:sqs', lambdaEvent: { Records: [{ ...record, EventSource: 'aws:sqs' }] }, expected: rejected('not_sns_record') },
    { name: 'Sns.Message a number', lambdaEvent: { Records: [{ ...record, Sns: { ...record.Sns, Message: 42 } }] }, expected: rejected('not_sns_record') },
    { name: 'Records nested 100,000 levels', lambdaEvent: JSON.parse(`{"Records":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), expected: rejected('not_sns_record') },
    { name: 'bad base64', lambdaEvent: sns('%%%not-base64%%%'), expected: rejected('bad_base64') },
    { name: 'truncated gzip', lambdaEvent: sns(gz('{"type":"message.new","text":"hello hello"}').slice(0, 28)), expected: rejected('bad_gzip') },
    { name: 'invalid JSON', lambdaEvent: sns('{"type":"message.new",}'), expected: rejected('invalid_json', 'messages') },
    { name: 'a JSON array', lambdaEvent: sns(b64('[{"type":"message.new"}]')), expected: rejected('not_an_object') },
    { name: 'JSON null', lambdaEvent: sns('null'), expected: rejected('not_an_object') },
    { name: 'no type', lambdaEvent: sns('{"cid":"messaging:x"}'), expected: rejected('missing_type') },
    { name: 'an empty type', lambdaEvent: sns('{"type":""}'), expected: rejected('invalid_type') },
    { name: 'a non-string type', lambdaEvent: sns('{"type":["message.new"]}'), expected: rejected('invalid_type') },
    { name: 'created_at neither RFC 3339 nor nanoseconds', lambdaEvent: sns('{"type":"user.banned","created_at":"soon"}'), expected: rejected('invalid_created_at', 'moderation') },
    { name: 'prototype pollution keys', lambdaEvent: sns(gz('{"type":"message.new","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')), expected: processed('messages') },
    { name: 'type named after Object.prototype', lambdaEvent: sns('{"type":"constructor"}'), expected: processed('other') },
    { name: 'type __proto__', lambdaEvent: sns('{"type":"__proto__"}'), expected: processed('other') },
    { name: '30,000 keys in one object', lambdaEvent: sns(gz(`{"type":"channel.updated",${Array.from({ length: 30_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`)), expected: processed('channels') },
  ];
}
