/**
 * One reprocess: read the archive (S3 or a folder), select the events, and send each to the function that owns it
 * (the category of its type, shared/catalog.ts) as an asynchronous invocation, paced; or, with `dryRun`, count them.
 *
 * Without a label, each event is sent as it was: a function whose idempotency record says it ran answers duplicate
 * and does nothing, so only the events that were missed run (the reprocess itself does not look). With a label
 * (`--force <label>`), every selected event runs once more, under a key namespace of that label: the same label
 * again runs nothing twice.
 *
 * Limitation: the selected events are held in memory until sent (a day of a busy app is millions: narrow the range
 * with --since/--until or --types). Events are sent in archive order, a few at a time: two copies of one event sent
 * together meet as a concurrent duplicate, which the function throws for a retry of its own, and then finds done.
 */
import pLimit from 'p-limit';
import type { LocalStack } from '../emulator/index.js';
import type { Category } from '../shared/catalog.js';
import type { ArchivedEvent, ArchiveObject, UnreadableRecord } from './archive-records.js';
import { type InvokeRefusedError, ReprocessUsageError } from './errors.js';
import { type Invoker, lambdaInvoker, localInvoker } from './invokers.js';
import { checkLabel, reprocessPayload } from './payload.js';
import { pacer } from './rate.js';
import { type RefusedEvent, selectEvents } from './selection.js';
import { parseSource, readBucket, readFolder } from './sources.js';

/** Options of {@link reprocess}. */
export interface ReprocessOptions {
  /** `s3://<bucket>[/<prefix>]`, or a folder in the archive's format. */
  from: string;
  since: Date | undefined;
  until: Date | undefined;
  types: readonly string[];
  category: Category | undefined;
  /** `--force <label>`. */
  label: string | undefined;
  dryRun: boolean;
  /** Invocations started per second at most. */
  rate: number;
  /** Invocations in flight at most, in AWS (an Event invocation returns once queued). */
  concurrency: number;
  /**
   * Locally, where an invocation returns when the function is done: one at a time, as `npm start` delivers, so that
   * each function runs in one execution environment instead of starting a new one for each invocation in flight.
   */
  localConcurrency: number;
  /** In AWS: the functions are `<functionPrefix><category>` (`<stack>-` for the template's). */
  functionPrefix: string | undefined;
  region: string | undefined;
  /** Locally: starts the local stack whose functions are invoked (called only when there is something to send). */
  startLocal: () => Promise<LocalStack>;
  now: Date;
  /** Told of the number of events to send, then after each one. */
  onProgress: { start(total: number): void; tick(): void; done(): void };
}

/** The defaults of {@link ReprocessOptions}, in one place. */
export const REPROCESS_DEFAULTS = {
  types: [],
  category: undefined,
  label: undefined,
  dryRun: false,
  /** Well under a function's concurrency (1,000 per account by default; none reserved): live events keep theirs. */
  rate: 10,
  concurrency: 4,
  localConcurrency: 1,
  since: undefined,
  until: undefined,
  functionPrefix: undefined,
  region: undefined,
} as const satisfies Partial<ReprocessOptions>;

/** What became of one selected event. */
export interface ReprocessedEvent {
  source: string;
  messageId: string;
  type: string;
  category: Category;
  /** The function it was (or would be) sent to. */
  target: string;
  outcome: 'sent' | 'failed' | 'dry-run';
  /** `queued` (AWS), the function's outcome (locally), or why the invocation failed. */
  detail: string;
  attempts: number;
}

/** The JSON report of a reprocess. */
export interface ReprocessReport {
  events: ReprocessedEvent[];
  refused: RefusedEvent[];
  unreadable: UnreadableRecord[];
  summary: {
    objects: number;
    /** Readable events in those objects. */
    archived: number;
    selected: number;
    notSelected: number;
    refused: number;
    unreadable: number;
    sent: number;
    failed: number;
    /** Selected events per category and type. */
    byCategory: Record<string, Record<string, number>>;
    /** Sent events per detail (locally: the functions' outcomes, `processed`, `duplicate`...; in AWS `queued`). */
    byDetail: Record<string, number>;
    label: string | null;
    dryRun: boolean;
  };
}

/** Runs one reprocess; resolves to its report. Throws {@link ReprocessUsageError} when it cannot start. */
export async function reprocess(
  given: Partial<ReprocessOptions> & Pick<ReprocessOptions, 'from' | 'startLocal' | 'onProgress'>,
): Promise<ReprocessReport> {
  const options: ReprocessOptions = { ...REPROCESS_DEFAULTS, now: new Date(), ...given };
  const label = options.label === undefined ? undefined : checkLabel(options.label);
  const source = parseSource(options.from);
  if (source.kind === 's3' && options.since === undefined)
    throw new ReprocessUsageError('--from s3://... needs --since: the hours to list');
  if (source.kind === 's3' && options.functionPrefix === undefined && !options.dryRun)
    throw new ReprocessUsageError('--from s3://... needs --stack <stack name> or --function-prefix: the functions to invoke');
  const objects =
    source.kind === 's3'
      ? readBucket(source, { since: options.since!, until: options.until ?? options.now }, options.region)
      : readFolder(source.path);
  const selected: ArchivedEvent[] = [];
  const report: ReprocessReport = {
    events: [],
    refused: [],
    unreadable: [],
    summary: {
      objects: 0,
      archived: 0,
      selected: 0,
      notSelected: 0,
      refused: 0,
      unreadable: 0,
      sent: 0,
      failed: 0,
      byCategory: {},
      byDetail: {},
      label: label ?? null,
      dryRun: options.dryRun,
    },
  };
  for await (const object of objects as AsyncIterable<ArchiveObject>) {
    report.summary.objects += 1;
    report.summary.archived += object.events.length;
    report.unreadable.push(...object.unreadable);
    const chosen = selectEvents(object.events, { ...options, force: label !== undefined });
    selected.push(...chosen.selected);
    report.summary.notSelected += chosen.notSelected;
    report.refused.push(...chosen.refused);
  }
  for (const { category, type } of selected) {
    report.summary.byCategory[category] ??= {};
    report.summary.byCategory[category][type] = (report.summary.byCategory[category][type] ?? 0) + 1;
  }
  Object.assign(report.summary, { selected: selected.length, refused: report.refused.length, unreadable: report.unreadable.length });
  const targetOf = (category: Category) => (source.kind === 's3' ? `${options.functionPrefix ?? ''}${category}` : category);
  if (options.dryRun) {
    report.events = selected.map((event) => described(event, targetOf(event.category), 'dry-run', 'would be sent', 0));
    return report;
  }
  if (selected.length === 0) return report;
  let stack: LocalStack | undefined;
  let aws: ReturnType<typeof lambdaInvoker> | undefined;
  try {
    let invoke: Invoker;
    if (source.kind === 's3') {
      aws = lambdaInvoker(options.functionPrefix!, options.region);
      invoke = aws.invoke;
    } else {
      stack = await options.startLocal();
      invoke = localInvoker(stack);
    }
    const pace = pacer(options.rate);
    const limit = pLimit(source.kind === 's3' ? options.concurrency : options.localConcurrency);
    options.onProgress.start(selected.length);
    report.events = await Promise.all(
      selected.map((event) =>
        limit(async () => {
          await pace.next();
          const outcome = await invoke(event.category, reprocessPayload(event.notification, label)).then(
            ({ target, attempts, detail }) => described(event, target, 'sent', detail, attempts),
            (error: InvokeRefusedError & { attempts?: number }) =>
              described(event, targetOf(event.category), 'failed', error.message, error.attempts ?? 1),
          );
          options.onProgress.tick();
          return outcome;
        }),
      ),
    );
    options.onProgress.done();
  } finally {
    aws?.close();
    await stack?.stop();
  }
  for (const event of report.events) {
    // The detail's words before any parenthesis: `failed after 3 attempts (...)` counts with the others like it.
    const kind = event.detail.split(' (')[0]!;
    if (event.outcome === 'sent') report.summary.byDetail[kind] = (report.summary.byDetail[kind] ?? 0) + 1;
  }
  report.summary.sent = report.events.filter((event) => event.outcome === 'sent').length;
  report.summary.failed = report.events.filter((event) => event.outcome === 'failed').length;
  return report;
}

function described(
  event: ArchivedEvent,
  target: string,
  outcome: ReprocessedEvent['outcome'],
  detail: string,
  attempts: number,
): ReprocessedEvent {
  return {
    source: event.source,
    messageId: event.notification.MessageId,
    type: event.type,
    category: event.category,
    target,
    outcome,
    detail,
    attempts,
  };
}
