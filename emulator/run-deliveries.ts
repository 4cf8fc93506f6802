/**
 * The command-line side of a local run, shared by `npm start` and `npm run replay`: starts the local stack,
 * delivers, prints the report, stops what it started, and gives the exit status (0 unless a delivery failed
 * after its retries or the run itself could not happen).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArchive } from './archive.js';
import { type Build, openBuild } from './build.js';
import { describeError } from './errors.js';
import type { Delivery } from './local-stack.js';
import { startLocalStack, summarize } from './local-stack.js';
import { progressBar } from './progress.js';
import { renderSummary } from './report.js';

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
  /** Where the run archives what it delivers, as the stack's archive in S3 (default: `<service>/.local/archive`). */
  archiveDir?: string;
}

/** Runs the deliveries and reports; resolves to the exit status. */
export async function runDeliveries(deliveries: () => Delivery[], options: RunDeliveriesOptions, output: RunOutput): Promise<number> {
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
    const toDeliver = deliveries();
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
      onLogLine: (fn, line) => {
        appendFileSync(logFile, `${line}\n`);
        if (options.logs) output.stderr(`[${fn}] ${line}\n`);
      },
    });
    info(`Delivering ${toDeliver.length} SNS events to ${stack.fanOut.functionNames.join(', ')}...`);
    const progress = progressBar(toDeliver.length, 'delivering');
    const results = await stack.deliverAll(toDeliver, options.concurrency, progress.tick);
    progress.done();
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
        `${JSON.stringify({ results, summary: { ...summary, durationMs, deadLetters: { records: deadLetters.total, files } } })}\n`,
      );
    } else {
      output.stdout(`${renderSummary(summary, durationMs, deadLetters)}\n\nFunction logs: ${logFile}\n`);
    }
    return summary.byOutcome.failed > 0 ? 1 : 0;
  } catch (error) {
    output.stderr(`error: ${describeError(error)}\n`);
    return 2;
  } finally {
    await stack?.stop();
    build?.remove();
  }
}
