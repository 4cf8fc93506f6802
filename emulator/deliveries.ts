/**
 * Deliveries synthesised from the sample events, for load runs (`npm run replay -- --generate`, the soak, the
 * benchmark). Deliveries from files: delivery-files.ts.
 */
import { randomInt } from 'node:crypto';
import { MessageEncoding } from '../shared/types.js';
import type { Delivery } from './local-stack.js';
import { encodeMessage, snsLambdaEvent, stableMessageId } from './sns-envelope.js';

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
