/**
 * Reading the archive: an object Firehose wrote for the SNS subscription (template/archive.ts), or the local run's
 * copy of one (emulator/archive.ts), into the events it holds. Each line is one SNS notification, as SNS gives it
 * to Firehose with raw message delivery off (AWS's "Formatting Amazon SNS notifications for storage in Amazon S3
 * destinations": line breaks separate the messages); the object is gzip (the delivery stream's compression), or
 * plain text when someone unpacked it.
 *
 * A line that is not such a notification, or whose `Message` is not a Stream event the decoder reads, is not an
 * error of the run: it is reported with its place (`<object>:<line>`), skipped and counted.
 */
import { gunzipSync } from 'node:zlib';
import { type Category, categoryOf } from '../shared/catalog.js';
import { decodeSnsDelivery } from '../shared/decoder.js';
import { UnreadableArchiveRecordError } from './errors.js';

/** One archived SNS notification, with what the reprocess needs to choose and route it. */
export interface ArchivedEvent {
  /** `<object>:<line>`. */
  source: string;
  /** The notification as archived (`Type`, `MessageId`, `TopicArn`, `Message`, `Timestamp`, ...). */
  notification: ArchivedNotification;
  /** The Stream event type, read from `Message` by the functions' own decoder. */
  type: string;
  /** The category that owns the type (shared/catalog.ts): its function is the one invoked. */
  category: Category;
  /** When SNS accepted the message (its `Timestamp`). */
  publishedAt: Date;
}

/** The fields of an archived notification that the reprocess reads; the rest is passed on as it is. */
export interface ArchivedNotification extends Record<string, unknown> {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
}

/** A line that was skipped, and why. */
export interface UnreadableRecord {
  source: string;
  reason: string;
}

/** What one archive object holds. */
export interface ArchiveObject {
  events: ArchivedEvent[];
  unreadable: UnreadableRecord[];
}

/** The two bytes every gzip member starts with. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Reads one archive object (gzip or plain), named `name` in the sources it reports. */
export function readArchiveObject(name: string, bytes: Uint8Array): ArchiveObject {
  let text: string;
  try {
    text = (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8');
  } catch (error) {
    return { events: [], unreadable: [{ source: name, reason: `not a gzip archive object (${(error as Error).message})` }] };
  }
  const events: ArchivedEvent[] = [];
  const unreadable: UnreadableRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const source = `${name}:${index + 1}`;
    try {
      events.push(readArchivedLine(source, line));
    } catch (error) {
      unreadable.push({ source, reason: (error as Error).message });
    }
  });
  return { events, unreadable };
}

/** Reads one line; throws {@link UnreadableArchiveRecordError} with the reason. */
function readArchivedLine(source: string, line: string): ArchivedEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new UnreadableArchiveRecordError('not an SNS notification: not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UnreadableArchiveRecordError('not an SNS notification: not a JSON object');
  const notification = value as Record<string, unknown>;
  if (notification.Type !== 'Notification')
    throw new UnreadableArchiveRecordError(`not an SNS notification: Type is ${JSON.stringify(notification.Type)}, not "Notification"`);
  for (const field of ['MessageId', 'TopicArn', 'Message', 'Timestamp'] as const)
    if (typeof notification[field] !== 'string') throw new UnreadableArchiveRecordError(`not an SNS notification: no string ${field}`);
  const publishedAt = new Date(String(notification.Timestamp));
  if (Number.isNaN(publishedAt.getTime()))
    throw new UnreadableArchiveRecordError(`not an SNS notification: Timestamp is not a time: ${String(notification.Timestamp)}`);
  let type: string;
  try {
    type = decodeSnsDelivery({ Records: [{ EventSource: 'aws:sns', Sns: notification }] }).event.type;
  } catch (error) {
    throw new UnreadableArchiveRecordError(`its Message is not a Stream event: ${(error as Error).message}`);
  }
  return { source, notification: notification as ArchivedNotification, type, category: categoryOf(type), publishedAt };
}
