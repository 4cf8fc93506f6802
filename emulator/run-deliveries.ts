/**
 * The command-line side of a local run, shared by `npm start` and `npm run replay`: starts the local stack,
 * delivers, prints the report, stops what it started, and sets the exit status (0 unless a delivery failed
 * after its retries or the run itself could not happen).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Delivery } from './local-stack.js';
import { startLocalStack, summarize } from './local-stack.js';
import { progressBar } from './progress.js';
import { renderSummary } from './report.js';

// The AWS SDK warns on Node 20 that it will soon need 22; the local tools run on both, the warning is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Where the functions' log lines of the last local run are kept (one JSON line each, as in CloudWatch). */
export const FUNCTION_LOG_FILE = fileURLToPath(new URL('../.local/function-logs.jsonl', import.meta.url));

export interface RunDeliveriesOptions {
  json: boolean;
  endpoint: string | undefined;
  /** DynamoDB Local's port when one is started (0: any free port). */
  port?: number;
  concurrency: number;
  /** Also print the functions' log lines on stderr. */
  logs: boolean;
  /** The serverless service whose functions run (default: this project). */
  serviceDir?: string;
}

/** Runs the deliveries and reports; resolves to the process exit status. */
export async function runDeliveries(deliveries: () => Delivery[], options: RunDeliveriesOptions): Promise<number> {
  const started = Date.now();
  mkdirSync(new URL('../.local/', import.meta.url), { recursive: true });
  writeFileSync(FUNCTION_LOG_FILE, '');
  const info = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  let stack;
  try {
    const toDeliver = deliveries();
    info(options.endpoint ? `Using DynamoDB at ${options.endpoint}` : 'Starting DynamoDB Local (127.0.0.1, in memory) and building the functions with serverless package...');
    stack = await startLocalStack({
      endpoint: options.endpoint,
      port: options.port ?? 0,
      ...(options.serviceDir === undefined ? {} : { serviceDir: options.serviceDir }),
      onLogLine: (fn, line) => {
        appendFileSync(FUNCTION_LOG_FILE, `${line}\n`);
        if (options.logs) process.stderr.write(`[${fn}] ${line}\n`);
      },
    });
    info(`Delivering ${toDeliver.length} SNS events to ${stack.fanOut.functionNames.join(', ')}...`);
    const progress = progressBar(toDeliver.length, 'delivering');
    const results = await stack.deliverAll(toDeliver, options.concurrency, progress.tick);
    progress.done();
    const summary = summarize(results);
    const durationMs = Date.now() - started;
    const { deadLetters } = stack.fanOut;
    if (options.json) {
      const files = Object.keys(deadLetters.counts).map((fn) => relative(process.cwd(), deadLetters.fileOf(fn)));
      process.stdout.write(`${JSON.stringify({ results, summary: { ...summary, durationMs, deadLetters: { records: deadLetters.total, files } } })}\n`);
    } else {
      process.stdout.write(`${renderSummary(summary, durationMs, deadLetters)}\n\nFunction logs: ${FUNCTION_LOG_FILE}\n`);
    }
    return summary.byOutcome.failed > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await stack?.stop();
  }
}
