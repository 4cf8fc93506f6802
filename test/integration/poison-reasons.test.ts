/**
 * What the operator of the deployed stack reads: every class of poison delivery kept, by the one function that
 * owns it, in the rejected-deliveries record with its own reason code and a detail that says what was found; valid
 * events in unusual forms processed by their owner; transient failures reported under their own errorType. Through
 * the real chains of all five functions against DynamoDB Local.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { CATEGORIES, type Category } from '../../shared/catalog.js';
import { DECODE_LIMITS } from '../../shared/decode-limits.js';
import { freshTable, type TestFunction, testFunction } from '../support/category-function.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const gz = (text: string) => gzipSync(text).toString('base64');
const sns = (message: string) => snsLambdaEvent(message, { messageId: 'poison' });
const record = () => sns('{"type":"message.new"}').Records[0]!;
const zeros = (count: number) => Array.from({ length: count }, () => '0').join(',');

/** What the one function that did not skip a delivery did with it. */
interface Verdict {
  category: Category;
  outcome: string;
  reason?: string;
  /** The detail of the rejected-deliveries record, when the delivery was rejected. */
  detail?: string;
}

let functions: TestFunction[];
beforeAll(async () => {
  const table = await freshTable();
  functions = await Promise.all(CATEGORIES.map((category) => testFunction(category, table)));
});

/** Delivers `lambdaEvent` to all five functions, as SNS fans it out, and returns every verdict but the skips. */
async function fanOut(lambdaEvent: unknown): Promise<Verdict[]> {
  const kept = functions.map((fn) => fn.rejections.length);
  const results = await Promise.all(functions.map((fn) => fn.invoke(lambdaEvent)));
  return results.flatMap((result, i) => {
    if (result.outcome === 'skipped') return [];
    const rejection = functions[i]!.rejections.slice(kept[i]!)[0];
    return [
      { category: result.category, outcome: result.outcome, ...(rejection && { reason: rejection.reason, detail: rejection.detail }) },
    ];
  });
}

describe('poison deliveries: one record each, with the reason that names the fault', () => {
  const cases: Array<{ name: string; lambdaEvent: unknown; category: Category; reason: string; detail?: string }> = [
    { name: 'a null Lambda event', lambdaEvent: null, category: 'other', reason: 'not_one_record', detail: 'no Records array' },
    {
      name: 'a Records array holding null',
      lambdaEvent: { Records: [null] },
      category: 'other',
      reason: 'not_one_record',
      detail: 'found 1 records',
    },
    {
      name: 'two records',
      lambdaEvent: { Records: [record(), record()] },
      category: 'other',
      reason: 'not_one_record',
      detail: 'found 2 records',
    },
    {
      name: 'an SNS record without its Sns object',
      lambdaEvent: { Records: [{ EventSource: 'aws:sns' }] },
      category: 'other',
      reason: 'not_sns_record',
    },
    {
      name: 'an SQS record carrying a Stream event in an Sns object',
      lambdaEvent: { Records: [{ ...record(), EventSource: 'aws:sqs' }] },
      category: 'other',
      reason: 'not_sns_record',
      detail: 'found EventSource "aws:sqs"',
    },
    { name: 'plain text whose length is a multiple of four', lambdaEvent: sns('Hello, world'), category: 'other', reason: 'bad_base64' },
    {
      name: 'base64 behind a character that is not base64',
      lambdaEvent: sns(`#${b64('{"type":"message.new","text":"hi"}')}`),
      category: 'other',
      reason: 'bad_base64',
    },
    {
      name: 'base64 cut short of a whole quantum, its type already readable',
      lambdaEvent: sns(b64('{"type":"message.new","text":"hello"}').slice(0, 30)),
      category: 'messages',
      reason: 'bad_base64',
    },
    {
      // The peek decodes whole base64 quanta only: the closing quote of "message.read" is in the cut one.
      name: 'base64 cut short inside its type',
      lambdaEvent: sns(b64('{"type":"message.read","text":"hello"}').slice(0, 30)),
      category: 'other',
      reason: 'bad_base64',
    },
    {
      name: 'base64 of text whose first byte is the first of gzip',
      lambdaEvent: sns(b64('\u001f not JSON')),
      category: 'other',
      reason: 'invalid_json',
    },
    {
      name: 'base64 of text whose second byte is the second of gzip',
      lambdaEvent: sns(b64('Ëclair, not JSON')),
      category: 'other',
      reason: 'invalid_json',
    },
    {
      name: 'gzip of JSON null',
      lambdaEvent: sns(gz('null')),
      category: 'other',
      reason: 'not_an_object',
      detail: 'the JSON is null, not an object',
    },
    {
      name: 'a JSON number, raw',
      lambdaEvent: sns('42'),
      category: 'other',
      reason: 'not_an_object',
      detail: 'the JSON is a number, not an object',
    },
    {
      name: 'base64 of a JSON array',
      lambdaEvent: sns(b64('[{"type":"message.new"}]')),
      category: 'other',
      reason: 'not_an_object',
      detail: 'the JSON is an array, not an object',
    },
    {
      // The peek gives up; the decoder's pre-scan finds the first type member itself: the same owner.
      name: 'its type key 600 spaces in, past what the peek reads',
      lambdaEvent: sns(`{${' '.repeat(600)}"type":"message.new","text":}`),
      category: 'messages',
      reason: 'invalid_json',
    },
    {
      name: 'its type first, then invalid JSON, raw',
      lambdaEvent: sns('{"type":"message.new","text":"hi",}'),
      category: 'messages',
      reason: 'invalid_json',
    },
    {
      name: 'its type first, then invalid JSON, base64',
      lambdaEvent: sns(b64('{"type":"message.new","text":"hi",}')),
      category: 'messages',
      reason: 'invalid_json',
    },
    {
      name: 'its type first, then invalid JSON, gzip',
      lambdaEvent: sns(gz('{"type":"message.new","text":"hi",}')),
      category: 'messages',
      reason: 'invalid_json',
    },
    {
      name: 'a nesting past the depth limit after an empty object',
      lambdaEvent: sns(`{"type":"message.new","a":{},"x":${'['.repeat(DECODE_LIMITS.maxDepth)}${']'.repeat(DECODE_LIMITS.maxDepth)}}`),
      category: 'messages',
      reason: 'too_deep',
      detail: `deeper than ${DECODE_LIMITS.maxDepth} levels`,
    },
    {
      name: 'one number past the value limit',
      lambdaEvent: sns(gz(`{"type":"message.new","v":[${zeros(DECODE_LIMITS.maxJsonValues - 1)}]}`)),
      category: 'messages',
      reason: 'too_many_values',
      detail: `more than ${DECODE_LIMITS.maxJsonValues} JSON values`,
    },
  ];
  for (const { name, lambdaEvent, category, reason, detail } of cases) {
    it(`keeps ${name} as ${reason}, in ${category} alone`, async () => {
      // Act
      const verdicts = await fanOut(lambdaEvent);

      // Assess
      expect(verdicts).toMatchObject([{ category, outcome: 'rejected', reason }]);
      if (detail !== undefined) expect(verdicts[0]!.detail).toContain(detail);
    });
  }
});

describe('valid events in unusual forms: processed by their owner', () => {
  const cases: Array<{ name: string; message: string }> = [
    { name: 'its type after another key', message: '{"cid":"messaging:after","type":"message.new"}' },
    { name: 'its type key escaped', message: '{"\\u0074ype":"message.new","cid":"messaging:escaped-key"}' },
    { name: 'its type value escaped', message: gz('{"type":"message\\u002enew","cid":"messaging:escaped-value"}') },
    { name: 'no-break spaces around it, base64', message: b64('\u00a0{"type":"message.new","cid":"messaging:nbsp"}\u00a0') },
    { name: 'no-break spaces around it, gzip', message: gz('\u00a0{"type":"message.new","cid":"messaging:nbsp-gzip"}\u00a0') },
    {
      name: 'more sibling arrays than the depth limit',
      message: gz(`{"type":"message.new","lists":[${Array(100).fill('[]').join(',')}]}`),
    },
    {
      name: 'a Windows path, then brackets in a string',
      message: JSON.stringify({ type: 'message.new', path: 'C:\\', text: '[['.repeat(50) }),
    },
  ];
  for (const { name, message } of cases) {
    it(`processes an event with ${name} in messages alone`, async () => {
      // Act
      const verdicts = await fanOut(snsLambdaEvent(message, { messageId: name }));

      // Assess
      expect(verdicts).toEqual([{ category: 'messages', outcome: 'processed' }]);
    });
  }
});

describe('transient failures: the errorType Lambda reports in the on-failure record', () => {
  /** What the Node.js runtime puts in the on-failure record of an invocation that threw `error`. */
  const asLambdaReportsIt = (error: unknown) => ({ errorType: (error as Error).name, errorMessage: (error as Error).message });

  it('reports an unreachable idempotency table as IdempotencyStoreUnavailableError', async () => {
    // Prepare: a port nothing listens on.
    const fn = await testFunction('messages', { endpoint: 'http://127.0.0.1:9', tableName: 'unreachable' });

    // Act
    const failure = await fn.invoke(sns('{"type":"message.new","text":"down"}')).catch((error: unknown) => error);

    // Assess
    expect(asLambdaReportsIt(failure)).toMatchObject({
      errorType: 'IdempotencyStoreUnavailableError',
      errorMessage: expect.stringContaining('the idempotency table is unavailable'),
    });
  });

  it('reports the same event running elsewhere as EventInProgressError, saying that Lambda will retry', async () => {
    // Prepare: the first invocation holds the event until the second has answered.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fn = await testFunction('messages', { work: () => held });
    const first = fn.invoke(sns('{"type":"message.new","text":"busy"}'));
    while (fn.runs.length === 0) await sleep(10);

    // Act
    const failure = await fn.invoke(sns('{"type":"message.new","text":"busy"}')).catch((error: unknown) => error);
    release();
    await first;

    // Assess
    expect(asLambdaReportsIt(failure)).toMatchObject({
      errorType: 'EventInProgressError',
      errorMessage: expect.stringMatching(/being processed by another invocation; Lambda will retry/),
    });
  });
});
