/**
 * The local run's archive: what a run delivered, written as the stack's archive holds it in S3 (template/archive.ts),
 * so that `npm run reprocess -- --from .local/archive` can be tried with no AWS account.
 *
 * The format is Firehose's output for an SNS subscription with raw message delivery off: each record is the SNS
 * notification JSON (`Type`, `MessageId`, `TopicArn`, `Subject`, `Message`, `Timestamp`, `UnsubscribeURL`,
 * `MessageAttributes`), one per line (SNS ends each record it gives Firehose with a line break: AWS's "Formatting
 * Amazon SNS notifications for storage in Amazon S3 destinations"), gzip, under
 * `events/dt=<yyyy-MM-dd>/hour=<HH>/` by the hour of arrival (UTC).
 *
 * One difference, on purpose: `Timestamp` is the time of the run. The local run's deliveries carry a fixed one, so
 * that sample files do not change; SNS stamps the time it accepted the message, which for an event published now
 * is now, and the reprocess reads it to refuse events older than the idempotency records' lifetime.
 *
 * Limitation: one object per run, written when the run ends (Firehose writes one per buffer interval, 300 s, or
 * 64 MB); a delivery that is not an SNS Lambda event (a file holding some other `Records`) reached no topic, so it
 * is not archived, as in AWS.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The notification fields SNS gives Firehose with raw message delivery off, in its order. */
const NOTIFICATION_FIELDS = [
  'Type',
  'MessageId',
  'TopicArn',
  'Subject',
  'Message',
  'Timestamp',
  'UnsubscribeURL',
  'MessageAttributes',
] as const;

/** The archive object's key below the archive folder, for the hour `at` falls in (UTC). */
export function archiveObjectKey(at: Date, name: string): string {
  const iso = at.toISOString();
  return `events/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/${name}.gz`;
}

/**
 * The SNS notification an SNS Lambda event carries, as SNS gives it to Firehose; undefined when the event is not
 * one SNS record with a string `Message`.
 */
export function archivedNotification(lambdaEvent: string, publishedAt: Date): Record<string, unknown> | undefined {
  let sns: Record<string, unknown> | undefined;
  try {
    const records = (JSON.parse(lambdaEvent) as { Records?: unknown }).Records;
    sns = Array.isArray(records) && records.length === 1 ? (records[0] as { Sns?: Record<string, unknown> }).Sns : undefined;
  } catch {
    return undefined;
  }
  if (typeof sns !== 'object' || sns === null || typeof sns.Message !== 'string') return undefined;
  // Lambda's record spells the URL `UnsubscribeUrl`; the notification SNS sends other endpoints, `UnsubscribeURL`.
  const notification: Record<string, unknown> = {
    ...sns,
    UnsubscribeURL: sns.UnsubscribeURL ?? sns.UnsubscribeUrl,
    Timestamp: publishedAt.toISOString(),
  };
  return Object.fromEntries(
    NOTIFICATION_FIELDS.filter((field) => notification[field] !== undefined).map((field) => [field, notification[field]]),
  );
}

/** Collects the notifications a run delivers and writes them as one archive object. */
export class LocalArchive {
  readonly #lines: string[] = [];

  /**
   * @param dir - the archive folder (`<service>/.local/archive`); the object goes under its `events/`.
   * @param runAt - when the run delivered: the notifications' `Timestamp`, and the object's hour.
   */
  public constructor(
    public readonly dir: string,
    public readonly runAt: Date = new Date(),
  ) {}

  /** Keeps the notification of one delivery (nothing when it is not an SNS event). */
  public add(lambdaEvent: string): void {
    const notification = archivedNotification(lambdaEvent, this.runAt);
    if (notification !== undefined) this.#lines.push(`${JSON.stringify(notification)}\n`);
  }

  /** How many notifications are kept. */
  public get size(): number {
    return this.#lines.length;
  }

  /**
   * Writes what was kept as one gzip object for the hour of the run; nothing when nothing was kept.
   *
   * @returns the object's path, or undefined.
   */
  public write(): string | undefined {
    const at = this.runAt;
    if (this.#lines.length === 0) return undefined;
    const file = join(this.dir, archiveObjectKey(at, `local-run-${at.toISOString().replace(/[:.]/g, '-')}-${randomUUID()}`));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, gzipSync(this.#lines.join('')));
    return file;
  }
}
