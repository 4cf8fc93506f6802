/**
 * `npm run redrive -- --from <file>`: sends the records of a dead-letter file (one JSON record a line, as the
 * local run writes `.local/dead-letters/<function>.jsonl`) again through the local stack, one at a time. A Lambda
 * on-failure record invokes the function its ARN names, once and synchronously (the answer says whether it
 * worked); an SNS message is delivered to every function through the local fan-out, where a function that still
 * fails writes a new on-failure record. As SQS deletes a redriven message, the file then keeps only the records
 * that were not sent again (and any the run added).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { type Build, type LocalStack, openBuild, snsLambdaEvent, startLocalStack } from '../emulator/index.js';
import type { RoutingSettings } from '../shared/routing.js';
import { RedriveUsageError } from './errors.js';
import { type DeadLetterRecord, type RedriveOutcome, redrivenPayload, redriveOne } from './records.js';

/** Options of {@link redriveFile}. */
export interface LocalRedriveOptions {
  file: string;
  dryRun: boolean;
  /** The DynamoDB holding the idempotency records of the run that failed (default: a fresh DynamoDB Local). */
  endpoint: string | undefined;
  /** The serverless service whose functions run (default: this project). */
  serviceDir: string | undefined;
  /** A package folder built before, run instead of packaging the service now. */
  buildDir: string | undefined;
  /** The idempotency table's name in that DynamoDB, instead of the one the functions are configured with. */
  tableName: string | undefined;
  /** Routing settings that replace the packaged ones (`--routing`, `--[no-]catch-all`), as `npm start` takes them. */
  routing?: Partial<RoutingSettings>;
  onLogLine: (functionName: string, line: string) => void;
}

/** Redrives every record of the file; outcomes in file order. */
export async function redriveFile({
  file,
  dryRun,
  endpoint,
  serviceDir,
  buildDir,
  tableName,
  routing = {},
  onLogLine,
}: LocalRedriveOptions): Promise<RedriveOutcome[]> {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch (error) {
    throw new RedriveUsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const records = lines
    .map((text, index) => ({ source: `${relative(process.cwd(), file)}:${index + 1}`, text }))
    .filter(({ text }) => text.trim() !== '');
  if (dryRun) return Promise.all(records.map(({ source, text }) => redriveOne(source, text, async () => '', true)));
  const build: Build | undefined = buildDir === undefined ? undefined : await openBuild(buildDir);
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      endpoint,
      onLogLine,
      build,
      routing,
      environment: tableName === undefined ? {} : { IDEMPOTENCY_TABLE: tableName },
      ...(serviceDir === undefined ? {} : { serviceDir }),
    });
    const running = stack;
    const outcomes: RedriveOutcome[] = [];
    // One at a time: two records of one event sent together would meet as concurrent duplicates.
    for (const { source, text } of records)
      outcomes.push(await redriveOne(source, text, (record) => redriveLocally(running, record), false));
    // An SNS message always reached the functions: one that failed again left an on-failure record of its own.
    const sentAgain = records.filter((_, i) => outcomes[i]!.outcome === 'redriven' || outcomes[i]!.kind === 'sns');
    keepOnly(
      file,
      sentAgain.map(({ text }) => text),
    );
    return outcomes;
  } finally {
    await stack?.stop();
    build?.remove();
  }
}

async function redriveLocally(stack: LocalStack, record: DeadLetterRecord): Promise<string> {
  if (record.kind === 'lambda') {
    const target = stack.fanOut.functionByArn(record.functionArn);
    if (target === undefined) throw new RedriveUsageError(`no local function has the ARN ${record.functionArn}`);
    const invocation = await target.invoke(JSON.stringify(redrivenPayload(record.requestPayload)), randomUUID());
    if (invocation.error !== undefined) throw Object.assign(new Error(invocation.error.errorMessage), { name: invocation.error.errorType });
    return String((invocation.result as { outcome?: string } | undefined)?.outcome ?? 'succeeded');
  }
  const result = await stack.deliver({
    source: record.topicArn,
    lambdaEvent: JSON.stringify(
      snsLambdaEvent(record.message, { messageId: randomUUID(), topicArn: record.topicArn, timestamp: new Date().toISOString() }),
    ),
  });
  if (result.outcome === 'failed') throw new Error(`delivered, failed again after its retries (a new on-failure record): ${result.reason}`);
  return result.outcome;
}

/** Removes the redriven lines (one occurrence each) from the file, keeping whatever else it holds now. */
function keepOnly(file: string, redriven: string[]): void {
  const remaining = [...redriven];
  const kept = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => {
      const index = remaining.indexOf(line);
      if (index === -1) return line.trim() !== '';
      remaining.splice(index, 1);
      return false;
    });
  writeFileSync(file, kept.map((line) => `${line}\n`).join(''));
}
