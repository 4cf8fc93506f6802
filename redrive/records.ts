/**
 * The dead-letter records this stack produces, read back for a redrive. Two kinds reach a dead-letter queue:
 * - a Lambda on-failure record (an asynchronous invocation that still failed after its retries): re-invoke the
 *   function its `functionArn` names with its `requestPayload`;
 * - an SNS message (SNS could not deliver to the function; the subscription's redrive policy kept the
 *   notification): publish its `Message` to its topic again, so that every function receives it as before.
 */
import { describeError } from '../emulator/index.js';
import { REPROCESS_MEMBER } from '../shared/reprocess.js';
import { UnreadableDeadLetterError } from './errors.js';

/** A dead-letter record and how to send it again. */
export type DeadLetterRecord =
  | { kind: 'lambda'; functionArn: string; requestId: string; requestPayload: unknown }
  | {
      kind: 'sns';
      topicArn: string;
      message: string;
      subject: string | undefined;
      messageAttributes: Record<string, { Type: string; Value: string }>;
    };

const FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;
const TOPIC_ARN = /^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+(\.fifo)?$/;

/** Reads one record from its JSON text (an SQS message body, or a line of a local dead-letter file). */
function readDeadLetterRecord(text: string): DeadLetterRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnreadableDeadLetterError('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UnreadableDeadLetterError('not a JSON object');
  const record = value as Record<string, any>;
  if (typeof record.requestContext === 'object' && record.requestContext !== null && 'requestPayload' in record) {
    const { functionArn, requestId } = record.requestContext as { functionArn?: unknown; requestId?: unknown };
    if (typeof functionArn !== 'string' || !FUNCTION_ARN.test(functionArn))
      throw new UnreadableDeadLetterError(`requestContext.functionArn is not a function ARN: ${String(functionArn)}`);
    return { kind: 'lambda', functionArn, requestId: String(requestId ?? ''), requestPayload: record.requestPayload };
  }
  if (record.Type === 'Notification' && typeof record.Message === 'string') {
    if (typeof record.TopicArn !== 'string' || !TOPIC_ARN.test(record.TopicArn))
      throw new UnreadableDeadLetterError(`TopicArn is not a topic ARN: ${String(record.TopicArn)}`);
    return {
      kind: 'sns',
      topicArn: record.TopicArn,
      message: record.Message,
      subject: typeof record.Subject === 'string' && record.Subject !== '' ? record.Subject : undefined,
      messageAttributes: (record.MessageAttributes ?? {}) as Record<string, { Type: string; Value: string }>,
    };
  }
  throw new UnreadableDeadLetterError('no requestContext and requestPayload, no SNS Notification');
}

/**
 * The payload a Lambda dead letter is invoked with again: its `requestPayload`, marked as sent again with an empty
 * `streamReprocess` member (shared/reprocess.ts), so that the function counts the event's age as `ReplayedEventAge`
 * (an event redriven after hours must not move the event-age alarm) and keeps its usual idempotency key (no label:
 * an event that did run after all is a duplicate). A payload that is not an SNS->Lambda event object, or already
 * carries the member, is sent as it is.
 *
 * Limitation: an SNS dead letter is published to its topic again, and SNS carries no such member, so its age counts
 * as `EventAge`.
 */
export function redrivenPayload(requestPayload: unknown): unknown {
  if (typeof requestPayload !== 'object' || requestPayload === null || Array.isArray(requestPayload)) return requestPayload;
  if (!('Records' in requestPayload) || REPROCESS_MEMBER in requestPayload) return requestPayload;
  return { ...requestPayload, [REPROCESS_MEMBER]: {} };
}

/** The region of an ARN (`arn:aws:lambda:<region>:...`). */
export function regionOf(arn: string): string {
  return arn.split(':')[3]!;
}

/** What became of one record. */
export interface RedriveOutcome {
  /** Where the record came from: `<file>:<line>`, or the SQS MessageId. */
  source: string;
  kind: DeadLetterRecord['kind'] | 'unreadable';
  /** The function or topic it was (or would be) sent to. */
  target: string | null;
  outcome: 'redriven' | 'failed' | 'dry-run';
  /** The function's answer (`processed`, `duplicate`), the new SNS MessageId, or why it failed. */
  detail: string;
}

/** Sends one readable record again; resolves to the detail of a success, throws on failure. */
export type Redrive = (record: DeadLetterRecord) => Promise<string>;

/** Redrives one record's text, or reports it unreadable; never throws. */
export async function redriveOne(source: string, text: string, redrive: Redrive, dryRun: boolean): Promise<RedriveOutcome> {
  let record: DeadLetterRecord;
  try {
    record = readDeadLetterRecord(text);
  } catch (error) {
    return { source, kind: 'unreadable', target: null, outcome: 'failed', detail: (error as Error).message };
  }
  const target = record.kind === 'lambda' ? record.functionArn : record.topicArn;
  if (dryRun)
    return {
      source,
      kind: record.kind,
      target,
      outcome: 'dry-run',
      detail: record.kind === 'lambda' ? 'would invoke the function' : 'would publish to the topic',
    };
  try {
    return { source, kind: record.kind, target, outcome: 'redriven', detail: await redrive(record) };
  } catch (error) {
    return { source, kind: record.kind, target, outcome: 'failed', detail: describeError(error) };
  }
}
