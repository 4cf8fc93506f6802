/**
 * The local run's deliveries from files and folders (`npm run replay -- <path>...`, `npm start`): which files
 * count, how each is read, and what becomes of one that cannot be delivered.
 *
 * The rules, and why:
 * - **A path given is read whatever its name**, hidden or not: the user named it. A folder given is walked.
 * - **In a folder**, entries are taken sorted by name (UTF-16 code units, as `Array.prototype.sort`), folders
 *   walked where they sort. A file counts when its name ends in `.json` (lower case, as the samples are named);
 *   other files are left alone. Hidden entries (a name starting with `.`) are skipped, files and folders alike:
 *   `.git/`, editor swap files and `.DS_Store` are not events.
 * - **Symbolic links are followed**, to files and to folders, because a folder of events is often a link farm
 *   into an archive. A link to a folder already being walked (a loop) is not entered again: its files are
 *   delivered once, where the walk first met them.
 * - **Nothing is dropped silently**: a path or entry that cannot be read (missing, a broken link or a loop of
 *   links, no permission, not a regular file such as a FIFO, a read error) and, with `raw-json`, a file whose
 *   bytes are not UTF-8, is listed in {@link DeliveryFiles.undelivered} by name with its reason, and every other
 *   file is still delivered. An entry whose kind cannot be told (a broken link) counts when named `*.json`.
 * - **A file holding an SNS->Lambda event is delivered as it is** only when it has that shape
 *   ({@link isSnsLambdaEvent}); any other file, JSON or not, is a bare Stream event: its bytes, as they are, are
 *   the SNS message in the chosen encoding (never parsed and re-serialized, which would merge duplicate keys and
 *   respell numbers). Each delivery says which way it was read.
 *
 * Limitation: a file is read whole into memory; files are not checked against SNS's or Lambda's size limits here
 * (the function's decoder rejects an SNS message over 256 KiB as SNS would have refused it).
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MessageEncoding } from '../shared/types.js';
import { NotUtf8MessageError } from './errors.js';
import type { Delivery } from './local-stack.js';
import { encodeMessage, snsLambdaEvent, stableMessageId, utf8Text } from './sns-envelope.js';

/** How a file was read: as the SNS->Lambda event it holds, or as a bare Stream event wrapped in one. */
export const FileReading = {
  /** The file is an SNS->Lambda event (`{"Records":[{"EventSource":"aws:sns","Sns":{...}}]}`), delivered as it is. */
  SnsEvent: 'sns-event',
  /** The file's bytes became the SNS message, in the chosen encoding. */
  Wrapped: 'wrapped',
} as const;
export type FileReading = (typeof FileReading)[keyof typeof FileReading];

/** Why a file or folder was not delivered. */
export const UndeliveredReason = {
  /** No such file or folder. */
  Missing: 'missing',
  /** A symbolic link to nothing, or a loop of links. */
  BrokenLink: 'broken_link',
  /** The file or folder may not be read (EACCES, EPERM). */
  NoPermission: 'no_permission',
  /** A FIFO, socket or device: reading it could block or never end. */
  NotAFile: 'not_a_file',
  /** Any other read error (EIO, ...): the message says which. */
  Unreadable: 'unreadable',
  /** With `raw-json`, bytes that are not valid UTF-8: an SNS message is text. */
  NotUtf8: 'not_utf8',
} as const;
export type UndeliveredReason = (typeof UndeliveredReason)[keyof typeof UndeliveredReason];

/** A file or folder that was not delivered, by the name the report uses. */
export interface UndeliveredFile {
  source: string;
  reason: UndeliveredReason;
  /** What went wrong, for a person. */
  message: string;
}

/** A delivery read from a file, with how it was read. */
export interface FileDelivery extends Delivery {
  read: FileReading;
}

/** What a set of paths yields: the deliveries, in order, and what could not be delivered. */
export interface DeliveryFiles {
  deliveries: FileDelivery[];
  undelivered: UndeliveredFile[];
}

/** Reads deliveries from files and folders by the rules above; never throws for a file it cannot deliver. */
export function readDeliveries(paths: readonly string[], encoding: MessageEncoding): DeliveryFiles {
  const found: DeliveryFiles = { deliveries: [], undelivered: [] };
  for (const path of paths) walk(path, true, [], encoding, found);
  return found;
}

function walk(path: string, given: boolean, ancestors: readonly string[], encoding: MessageEncoding, found: DeliveryFiles): void {
  const source = sourceOf(path);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if (given || path.endsWith('.json')) found.undelivered.push(undelivered(source, error));
    return;
  }
  if (stats.isDirectory()) {
    let real: string;
    let names: string[];
    try {
      real = realpathSync(path);
      names = readdirSync(path).sort();
    } catch (error) {
      found.undelivered.push(undelivered(source, error));
      return;
    }
    // A link back to a folder the walk is inside: entering it would never end, and its files come once already.
    if (ancestors.includes(real)) return;
    for (const name of names) if (!name.startsWith('.')) walk(join(path, name), false, [...ancestors, real], encoding, found);
    return;
  }
  if (!given && !path.endsWith('.json')) return;
  if (!stats.isFile()) {
    found.undelivered.push({
      source,
      reason: UndeliveredReason.NotAFile,
      message: `${source}: not a regular file (a FIFO, socket or device)`,
    });
    return;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    found.undelivered.push(undelivered(source, error));
    return;
  }
  try {
    found.deliveries.push(deliveryOf(source, bytes, encoding));
  } catch (error) {
    if (!(error instanceof NotUtf8MessageError)) throw error;
    found.undelivered.push({ source, reason: UndeliveredReason.NotUtf8, message: `${source}: ${error.message}` });
  }
}

function deliveryOf(source: string, bytes: Buffer, encoding: MessageEncoding): FileDelivery {
  // Bytes that are not UTF-8 cannot be an SNS->Lambda event, which is JSON text.
  const text = utf8Text(bytes);
  if (text !== undefined && isSnsLambdaEvent(text)) return { source, lambdaEvent: text, read: FileReading.SnsEvent };
  const message = encodeMessage(bytes, encoding);
  return {
    source,
    lambdaEvent: JSON.stringify(snsLambdaEvent(message, { messageId: stableMessageId(source) })),
    read: FileReading.Wrapped,
  };
}

/**
 * Whether a file's text is an SNS->Lambda event: JSON whose `Records` is a non-empty array of objects, each with
 * `EventSource` `aws:sns` and an `Sns` object. Anything else is a bare event, even JSON with a `Records` field of
 * its own (a custom event may have one, and an SQS-shaped file is not what SNS sends).
 */
export function isSnsLambdaEvent(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObject(value) || !Array.isArray(value.Records) || value.Records.length === 0) return false;
  return value.Records.every((record: unknown) => isObject(record) && record.EventSource === 'aws:sns' && isObject(record.Sns));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sourceOf(path: string): string {
  return relative(process.cwd(), path) || path;
}

function undelivered(source: string, error: unknown): UndeliveredFile {
  const { code, message } = error as NodeJS.ErrnoException;
  const [reason, said]: [UndeliveredReason, string] =
    code === 'ELOOP' || ((code === 'ENOENT' || code === 'ENOTDIR') && isLink(source))
      ? [UndeliveredReason.BrokenLink, 'a symbolic link to nothing (or a loop of links)']
      : code === 'ENOENT' || code === 'ENOTDIR'
        ? [UndeliveredReason.Missing, 'no such file or folder']
        : code === 'EACCES' || code === 'EPERM'
          ? [UndeliveredReason.NoPermission, 'permission denied']
          : [UndeliveredReason.Unreadable, `cannot be read (${message})`];
  return { source, reason, message: `${source}: ${said}` };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
