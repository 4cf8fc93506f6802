/**
 * The command-line side of a local run, shared by `npm start` and `npm run replay`: starts the local stack,
 * delivers, prints the report, stops what it started, and gives the exit status: 2 when the run could not happen
 * or a file could not be read or delivered (it wins over 1: a file left out is a gap in the run, whatever became
 * of the others), else 1 when a delivery failed after its retries, else 0.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoutingSettings } from '../shared/routing.js';
import { LocalArchive } from './archive.js';
import { type Build, openBuild } from './build.js';
import type { DeliveryFiles, FileReading, UndeliveredFile } from './delivery-files.js';
import { describeError } from './errors.js';
import type { Delivery, DeliveryResult } from './local-stack.js';
import { startLocalStack, summarize } from './local-stack.js';
import { progressBar } from './progress.js';
import { renderSummary, routingLabel } from './report.js';

// The AWS SDK warns on Node 20 that it will soon need 22; the local tools run on both, the warning is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Where a run writes what it prints: a command's `io`. */
export interface RunOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Where the functions' log lines of the last local run of a service are kept (one JSON line each, as in CloudWatch). */
export function functionLogFile(serviceDir = PROJECT_DIR): string {
  return join(serviceDir, '.local', 'function-logs.jsonl');
}

/** The log file of this project's last local run. */
export const FUNCTION_LOG_FILE = functionLogFile();

export interface RunDeliveriesOptions {
  json: boolean;
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  endpoint: string | undefined;
  /** DynamoDB Local's port when one is started (0: any free port). */
  port?: number;
  concurrency: number;
  /** Also print the functions' log lines on stderr. */
  logs: boolean;
  /** The serverless service whose functions run (default: this project); its `.local/` gets the logs and dead letters. */
  serviceDir?: string;
  /** A package folder built before (`npx serverless package --package <dir>`), run instead of packaging now. */
  buildDir?: string;
  /** The idempotency table's name, instead of the one the functions are configured with. */
  tableName?: string;
  /** Routing settings instead of the packaged ones (`--routing`, `--catch-all`). */
  routing?: Partial<RoutingSettings>;
  /** Where the run archives what it delivers, as the stack's archive in S3 (default: `<service>/.local/archive`). */
  archiveDir?: string;
}

/** What a run delivers: deliveries, or what files gave (deliveries, each saying how it was read, and files left out). */
export type RunInput = readonly Delivery[] | DeliveryFiles;

/** A delivery's result, with how its file was read when it came from one. */
type ReportedResult = DeliveryResult & { read?: FileReading };

/**
 * Runs the deliveries and reports; resolves to the exit status. Files that could not be delivered are named on
 * stderr and in the report (`undelivered` in the JSON); when nothing at all can be delivered, no stack is started.
 */
export async function runDeliveries(deliveries: () => RunInput, options: RunDeliveriesOptions, output: RunOutput): Promise<number> {
  const started = Date.now();
  const serviceDir = options.serviceDir ?? PROJECT_DIR;
  const logFile = functionLogFile(serviceDir);
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, '');
  const info = (line: string) => {
    if (!options.json) output.stderr(`${line}\n`);
  };
  let build: Build | undefined;
  let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;
  try {
    const input = deliveries();
    const {
      deliveries: toDeliver,
      undelivered,
    }: { deliveries: ReadonlyArray<Delivery & { read?: FileReading }>; undelivered: UndeliveredFile[] } = isDeliveryFiles(input)
      ? input
      : { deliveries: input, undelivered: [] };
    for (const file of undelivered) output.stderr(`not delivered: ${file.message}\n`);
    if (toDeliver.length === 0 && undelivered.length > 0) {
      // The report every run gives, with nothing delivered and no dead letters written.
      const summary = {
        ...summarize([]),
        undelivered: undelivered.length,
        durationMs: Date.now() - started,
        routing: null,
        deadLetters: { records: 0, files: [] },
      };
      if (options.json) output.stdout(`${JSON.stringify({ results: [], undelivered, summary })}\n`);
      else output.stdout(`${renderSummary(summarize([]), Date.now() - started, undefined, undefined, { results: [], undelivered })}\n`);
      return 2;
    }
    info(
      [
        options.endpoint ? `Using DynamoDB at ${options.endpoint}` : 'Starting DynamoDB Local (127.0.0.1, in memory)',
        options.buildDir ? `the functions built in ${options.buildDir}` : 'building the functions with serverless package...',
      ].join(', '),
    );
    build = options.buildDir === undefined ? undefined : await openBuild(options.buildDir);
    stack = await startLocalStack({
      endpoint: options.endpoint,
      port: options.port ?? 0,
      serviceDir,
      build,
      environment: options.tableName === undefined ? {} : { IDEMPOTENCY_TABLE: options.tableName },
      routing: options.routing ?? {},
      onLogLine: (fn, line) => {
        appendFileSync(logFile, `${line}\n`);
        if (options.logs) output.stderr(`[${fn}] ${line}\n`);
      },
    });
    info(`Delivering ${toDeliver.length} Stream events, ${routingLabel(stack.routing)}, to ${stack.fanOut.functionNames.join(', ')}...`);
    const progress = progressBar(toDeliver.length, 'delivering');
    const delivered = await stack.deliverAll(toDeliver, options.concurrency, progress.tick);
    progress.done();
    // Results come in input order: each is its delivery's.
    const results: ReportedResult[] = delivered.map((result, i) => {
      const read = toDeliver[i]?.read;
      const { source, ...rest } = result;
      return read === undefined ? result : { source, read, ...rest };
    });
    const archive = new LocalArchive(options.archiveDir ?? join(serviceDir, '.local', 'archive'), new Date(started));
    for (const { lambdaEvent } of toDeliver) archive.add(lambdaEvent);
    const archived = archive.write();
    if (archived !== undefined) info(`Archived ${archive.size} SNS messages in ${relative(process.cwd(), archived)}`);
    const summary = summarize(results);
    const durationMs = Date.now() - started;
    const { deadLetters } = stack.fanOut;
    if (options.json) {
      const files = Object.keys(deadLetters.counts).map((fn) => relative(process.cwd(), deadLetters.fileOf(fn)));
      output.stdout(
        `${JSON.stringify({
          results,
          undelivered,
          summary: {
            ...summary,
            routing: stack.routing?.settings ?? null,
            undelivered: undelivered.length,
            durationMs,
            deadLetters: { records: deadLetters.total, files },
          },
        })}\n`,
      );
    } else {
      const filesReport = isDeliveryFiles(input) ? { results, undelivered } : undefined;
      output.stdout(`${renderSummary(summary, durationMs, deadLetters, stack.routing, filesReport)}\n\nFunction logs: ${logFile}\n`);
    }
    return undelivered.length > 0 ? 2 : summary.byOutcome.failed > 0 ? 1 : 0;
  } catch (error) {
    output.stderr(`error: ${describeError(error)}\n`);
    return 2;
  } finally {
    await stack?.stop();
    build?.remove();
  }
}

function isDeliveryFiles(input: RunInput): input is DeliveryFiles {
  return !Array.isArray(input);
}
