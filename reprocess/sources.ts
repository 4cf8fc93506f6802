/**
 * Where archived events come from: the stack's archive bucket (`--from s3://<bucket>[/<prefix>]`), read with the
 * SDK's S3 client (ListObjectsV2, every page, then GetObject), or a folder in the archive's format (the local run's
 * `.local/archive`, or objects downloaded from the bucket).
 *
 * In S3 only the hours asked for are listed: the archive's keys are `<prefix>dt=<yyyy-MM-dd>/hour=<HH>/`, by the hour
 * Firehose received the record, which is at or a little after the event's SNS `Timestamp` (Firehose buffers up to
 * 300 s). The listing goes one hour past `--until` for that.
 *
 * Limitation: a record that reached Firehose more than an hour after its SNS `Timestamp` (SNS retried its delivery to
 * Firehose) is found only with a later `--until`. Objects are read one after another, each whole in memory (an
 * object holds at most 64 MB before compression: the delivery stream's buffer).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { type ArchiveObject, readArchiveObject } from './archive-records.js';
import { ReprocessUsageError } from './errors.js';

/** Settings of the S3 reads. */
const S3_READ = {
  /** The archive's prefix when `--from s3://<bucket>` names none (template/archive.ts). */
  defaultPrefix: 'events/',
  /** The listing's margin past `--until`: Firehose's buffer interval, rounded up to an hour. */
  marginMs: 3_600_000,
  /** The deadlines of one S3 call: to connect, and for the whole answer to come (the SDK retries one that passed). */
  connectTimeoutMs: 5_000,
  callTimeoutMs: 30_000,
  pageSize: 1000,
} as const;

/** A source given as `--from`. */
export type ArchiveSource = { kind: 's3'; bucket: string; prefix: string } | { kind: 'folder'; path: string };

/** Reads `--from`: an `s3://` URL or a folder. */
export function parseSource(from: string): ArchiveSource {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(from);
  if (match === null) return { kind: 'folder', path: from };
  const prefix = match[2] === '' ? S3_READ.defaultPrefix : match[2]!.endsWith('/') ? match[2]! : `${match[2]}/`;
  return { kind: 's3', bucket: match[1]!, prefix };
}

/**
 * The prefixes to list from `since` to one hour past `until`, oldest first: a day's prefix for a day the range
 * covers whole, else its hours' (a month is some 30 listings, not 720).
 */
export function listPrefixes(prefix: string, since: Date, until: Date): string[] {
  const prefixes: string[] = [];
  const first = Math.floor(since.getTime() / HOUR_MS) * HOUR_MS;
  const last = until.getTime() + S3_READ.marginMs;
  for (let at = first; at <= last; ) {
    const iso = new Date(at).toISOString();
    const wholeDay = at % DAY_MS === 0 && at + DAY_MS - HOUR_MS <= last;
    prefixes.push(wholeDay ? `${prefix}dt=${iso.slice(0, 10)}/` : `${prefix}dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`);
    at += wholeDay ? DAY_MS : HOUR_MS;
  }
  return prefixes;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Every object of the folder (recursively, sorted by path), read. */
export function* readFolder(path: string): Generator<ArchiveObject & { name: string }> {
  let files: string[];
  try {
    files = filesUnder(path);
  } catch (error) {
    throw new ReprocessUsageError(`cannot read the archive folder ${path}: ${(error as Error).message}`);
  }
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    yield { name, ...readArchiveObject(name, readFileSync(file)) };
  }
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

/** Every object under the hour prefixes of the range (every page), read; `s3://bucket/key` names them. */
export async function* readBucket(
  source: Extract<ArchiveSource, { kind: 's3' }>,
  range: { since: Date; until: Date },
  region: string | undefined,
): AsyncGenerator<ArchiveObject & { name: string }> {
  const s3 = new S3Client({
    ...(region === undefined ? {} : { region }),
    // Every call has a deadline (the paginator's pages too): no answer within it is a failure the SDK retries.
    requestHandler: { connectionTimeout: S3_READ.connectTimeoutMs, requestTimeout: S3_READ.callTimeoutMs },
    // A stand-in or local S3 at an address, not a bucket host name.
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
  });
  try {
    for (const prefix of listPrefixes(source.prefix, range.since, range.until)) {
      const pages = paginateListObjectsV2({ client: s3, pageSize: S3_READ.pageSize }, { Bucket: source.bucket, Prefix: prefix });
      for await (const page of pages) {
        for (const { Key } of page.Contents ?? []) {
          if (Key === undefined) continue;
          const answer = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key }));
          const name = `s3://${source.bucket}/${Key}`;
          yield { name, ...readArchiveObject(name, await answer.Body!.transformToByteArray()) };
        }
      }
    }
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket')
      throw new ReprocessUsageError(`no bucket named ${source.bucket} (give the stack's ArchiveBucketName output)`);
    throw error;
  } finally {
    s3.destroy();
  }
}
