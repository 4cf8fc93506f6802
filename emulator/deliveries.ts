/**
 * Where the local run's deliveries come from: files and folders given by the user, the project's sample events,
 * or events synthesised from the samples for load runs.
 */
import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MessageEncoding } from '../shared/types.js';
import { DeliveryFileError } from './errors.js';
import type { Delivery } from './local-stack.js';
import { encodeMessage, snsLambdaEvent, stableMessageId } from './sns-envelope.js';

/**
 * Reads deliveries from files and folders (every .json file inside, sorted, recursively). A file holding an
 * SNS->Lambda event (`{"Records":[...]}`) is delivered as it is; anything else is wrapped as the SNS message
 * Stream would send, in `encoding`: a bare Stream event, but also text that is not JSON or JSON that is not an
 * event, so that the real decoder classifies it as the function would in AWS.
 */
export function readDeliveries(paths: readonly string[], encoding: MessageEncoding): Delivery[] {
  return paths.flatMap((path) => jsonFilesUnder(path)).map((file) => deliveryFromFile(file, encoding));
}

function jsonFilesUnder(path: string): string[] {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    throw new DeliveryFileError(`no such file or folder: ${path}`);
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      return statSync(child).isDirectory() ? jsonFilesUnder(child) : name.endsWith('.json') ? [child] : [];
    });
}

function deliveryFromFile(file: string, encoding: MessageEncoding): Delivery {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DeliveryFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const source = relative(process.cwd(), file) || file;
  if (isLambdaEvent(text)) return { source, lambdaEvent: text };
  // The file's bytes as they are, only encoded: parsing and re-serializing would merge duplicate keys, round
  // numbers and drop what is not JSON, and the function would not see what the file holds.
  return { source, lambdaEvent: JSON.stringify(snsLambdaEvent(encodeMessage(text, encoding), { messageId: stableMessageId(source) })) };
}

function isLambdaEvent(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'Records' in value;
  } catch {
    return false;
  }
}

/** Options of {@link synthesize}. */
export interface SynthesisOptions {
  /** Deliveries to make. */
  count: number;
  /** Share of deliveries that repeat an earlier one (an SNS redelivery or a re-publish by Stream). */
  duplicates: number;
  /**
   * Share of new events marked to fail in the handler (`soak_fail_times`: 1 or 2 failures, which a retry
   * overcomes, or 3, which exhaust Lambda's two retries). Only the soak's recording handler reads the mark.
   */
  failures?: number;
  /** Share of deliveries that are poison (not a Stream event at all). */
  poison?: number;
  /** Prefix of the synthetic ids, so that two syntheses in one run make distinct events. */
  prefix?: string;
}

/** A synthesised delivery, with the identity of the Stream event it carries. */
export interface SynthesisedDelivery extends Delivery {
  /** Which distinct event this is (repeats share it); empty for poison. */
  eventKey: string;
  type: string;
  repeat: boolean;
  poison: boolean;
  /** How many times the soak's handler fails this event before it succeeds (0: never). */
  failTimes: number;
}

/**
 * Synthesises deliveries from sample events: each new event is a sample with fresh ids and timestamp, so that
 * its hash differs; a repeat re-sends an earlier event, half of the time as an SNS redelivery (same MessageId and
 * encoding), half as a re-publish by Stream (new MessageId, another encoding).
 */
export function synthesize(
  samples: ReadonlyArray<Record<string, unknown>>,
  { count, duplicates, failures = 0, poison = 0, prefix = 'event' }: SynthesisOptions,
): SynthesisedDelivery[] {
  const encodings = Object.values(MessageEncoding);
  const distinct: Array<{ key: string; type: string; json: string; messageId: string; encoding: MessageEncoding; failTimes: number }> = [];
  const deliveries: SynthesisedDelivery[] = [];
  for (let i = 0; i < count; i += 1) {
    if (Math.random() < poison) {
      const message = Buffer.from(`not a Stream event ${i}`).toString('base64');
      deliveries.push({
        source: `synthetic/${i}`,
        eventKey: '',
        type: 'poison',
        repeat: false,
        poison: true,
        failTimes: 0,
        lambdaEvent: JSON.stringify(snsLambdaEvent(message, { messageId: stableMessageId(`poison/${i}/${Math.random()}`) })),
      });
      continue;
    }
    const repeat = distinct.length > 0 && Math.random() < duplicates;
    if (repeat) {
      const original = distinct[randomInt(distinct.length)]!;
      const republish = Math.random() < 0.5;
      const encoding = republish ? encodings[(encodings.indexOf(original.encoding) + 1) % encodings.length]! : original.encoding;
      const messageId = republish ? stableMessageId(`${original.key}/republish/${i}`) : original.messageId;
      deliveries.push({
        source: `synthetic/${i}`,
        eventKey: original.key,
        type: original.type,
        repeat: true,
        poison: false,
        failTimes: original.failTimes,
        lambdaEvent: JSON.stringify(snsLambdaEvent(encodeMessage(original.json, encoding), { messageId })),
      });
      continue;
    }
    const sample = samples[i % samples.length]!;
    const key = `${prefix}-${i}`;
    const failTimes = Math.random() < failures ? 1 + randomInt(3) : 0;
    const json = JSON.stringify({ ...vary(sample, key, i), ...(failTimes > 0 ? { soak_fail_times: failTimes } : {}) });
    const encoding = encodings[i % encodings.length]!;
    const messageId = stableMessageId(`${key}/${Math.random()}`);
    distinct.push({ key, type: String(sample.type), json, messageId, encoding, failTimes });
    deliveries.push({
      source: `synthetic/${i}`,
      eventKey: key,
      type: String(sample.type),
      repeat: false,
      poison: false,
      failTimes,
      lambdaEvent: JSON.stringify(snsLambdaEvent(encodeMessage(json, encoding), { messageId })),
    });
  }
  return deliveries;
}

/** A copy of a sample made distinct: its own synthetic id and creation time. */
function vary(sample: Record<string, unknown>, key: string, index: number): Record<string, unknown> {
  const createdAt = new Date(Date.UTC(2026, 6, 14, 12) + index * 1000).toISOString();
  const varied: Record<string, unknown> = { ...sample, created_at: createdAt, synthetic_id: key };
  const message = sample.message as Record<string, unknown> | undefined;
  if (message !== undefined) varied.message = { ...message, id: `${key}-message` };
  return varied;
}
