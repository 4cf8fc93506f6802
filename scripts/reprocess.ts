/**
 * `npm run reprocess -- --from <s3://bucket[/prefix] | folder> [--since T] [--until T] [--types a,b] [--category C]
 * [--force <label>] [--dry-run] [--rate N] [--stack S | --function-prefix P] [--region R] [--json] [--report file]`:
 * runs archived events again through the functions that own them, after a handler bug is fixed. See docs/operate.md,
 * "Reprocess archived events".
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { ReprocessUsageError } from '../reprocess/errors.js';
import { REPROCESS_DEFAULTS, type ReprocessReport } from '../reprocess/run.js';
import { CATEGORIES, type Category } from '../shared/catalog.js';
import { type CommandIo, defineCommand, ExitStatus, integer, isEntryPoint, Option, processIo, runCommand, UsageError } from './cli.js';
import { buildOption, endpointOption, serviceOption, tableOption } from './local-options.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface ReprocessCliOptions {
  from: string;
  since?: Date;
  until?: Date;
  types?: string[];
  category?: Category;
  force?: string;
  dryRun?: boolean;
  rate: number;
  stack?: string;
  functionPrefix?: string;
  region?: string;
  endpoint?: string;
  service?: string;
  build?: string;
  table?: string;
  json?: boolean;
  report?: string;
}

/** The options that go with a local folder only. */
const LOCAL_ONLY = ['endpoint', 'service', 'build', 'table'] as const;
/** The options that go with `s3://` only. */
const S3_ONLY = ['stack', 'functionPrefix', 'region'] as const;

/** An ISO 8601 time (`2026-12-01T09:00Z`, `2026-12-01`), UTC when it names no zone (as the archive's hours are). */
function time(value: string): Date {
  const utc = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(utc) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`expected an ISO 8601 time such as 2026-12-01T09:00:00Z, got "${value}"`);
  return at;
}

/** `npm run reprocess -- <argv>`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand('npm run reprocess --', 'Run archived Stream events again through the functions that own them.', io)
    .requiredOption(
      '--from <source>',
      "the archive: s3://<bucket>[/<prefix>] (the stack's ArchiveBucketName output; prefix events/), or a folder in its format (.local/archive)",
    )
    .option('--since <time>', 'events published at or after this ISO 8601 time, UTC unless it says (needed with s3://)', time)
    .option('--until <time>', 'events published before this ISO 8601 time (default: now)', time)
    .option('--types <types>', 'only these event types, comma-separated', (value: string) =>
      value
        .split(',')
        .map((type) => type.trim())
        .filter(Boolean),
    )
    .addOption(new Option('--category <category>', "only this category's events").choices(CATEGORIES))
    .option(
      '--force <label>',
      'run every selected event once more, under records of this label (1-64 of A-Za-z0-9._-); the same label again runs nothing twice',
    )
    .option('--dry-run', 'count the selected events per category and type, invoke nothing')
    .addOption(
      new Option('--rate <per-second>', 'invocations started per second at most')
        .argParser(integer({ min: 1, max: 1000 }))
        .default(REPROCESS_DEFAULTS.rate),
    )
    .option(
      '--stack <name>',
      'with s3://: the stack (<service>-<stage>, e.g. stream-chat-events-prod) whose functions <stack>-<category> are invoked',
    )
    .option('--function-prefix <prefix>', 'with s3://: invoke <prefix><category> instead')
    .option('--region <region>', "with s3://: the bucket's and functions' region (default: AWS_REGION)")
    .addOption(endpointOption())
    .addOption(serviceOption())
    .addOption(buildOption())
    .addOption(tableOption())
    .option('--json', 'print the JSON report on stdout: {"events":[...],"refused":[...],"unreadable":[...],"summary":{...}}')
    .option('--report <file>', 'also write the JSON report to this file')
    .addHelpText(
      'after',
      `
--stack, --function-prefix and --region go with s3://; --endpoint, --service, --build and --table with a folder.
Without --force, an event already processed comes back a duplicate and does nothing, and an event older than the
idempotency records' lifetime is refused (whether it ran can no longer be told). Exit status: 0 when every
selected event was accepted, 1 when an invocation failed after its retries, 2 when the reprocess could not run.`,
    );
  return runCommand<ReprocessCliOptions>(command, argv, io, async (options) => {
    const s3 = options.from.startsWith('s3://');
    const misplaced = (s3 ? LOCAL_ONLY : S3_ONLY).find((name) => options[name] !== undefined);
    if (misplaced !== undefined)
      throw new UsageError(
        `--${misplaced.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with ${s3 ? 'a folder' : '--from s3://...'}`,
      );
    if (options.stack !== undefined && options.functionPrefix !== undefined)
      throw new UsageError('give --stack or --function-prefix, not both');
    return run(options, io);
  });
}

async function run(options: ReprocessCliOptions, io: CommandIo): Promise<number> {
  // Loaded once the command line is good: `--help` and misuse answer at once.
  const { describeError, functionLogFile, openBuild, progressBar, startLocalStack } = await import('../emulator/index.js');
  const { reprocess } = await import('../reprocess/run.js');
  const info = (line: string) => options.json || io.stderr(`${line}\n`);
  info(
    `Reading ${options.from}${options.dryRun ? ' (dry run)' : ''}${options.force === undefined ? '' : `, forced under label ${options.force}`}...`,
  );
  let bar: ReturnType<typeof progressBar> | undefined;
  let report: ReprocessReport;
  try {
    report = await reprocess({
      from: options.from,
      since: options.since,
      until: options.until,
      types: options.types ?? [],
      category: options.category,
      label: options.force,
      dryRun: options.dryRun === true,
      rate: options.rate,
      functionPrefix: options.functionPrefix ?? (options.stack === undefined ? undefined : `${options.stack}-`),
      region: options.region,
      startLocal: async () => {
        info('Starting the local stack (DynamoDB, functions built with serverless package)...');
        const logFile = functionLogFile(options.service);
        mkdirSync(dirname(logFile), { recursive: true });
        const build = options.build === undefined ? undefined : await openBuild(options.build);
        const stack = await startLocalStack({
          endpoint: options.endpoint,
          build,
          environment: options.table === undefined ? {} : { IDEMPOTENCY_TABLE: options.table },
          onLogLine: (_fn, line) => appendFileSync(logFile, `${line}\n`),
          ...(options.service === undefined ? {} : { serviceDir: options.service }),
        });
        return {
          ...stack,
          stop: async () => {
            await stack.stop();
            build?.remove();
          },
        };
      },
      onProgress: {
        start: (total) => {
          if (!options.json) bar = progressBar(total, 'reprocessing');
        },
        tick: () => bar?.tick(),
        done: () => bar?.done(),
      },
    });
  } catch (error) {
    io.stderr(`error: ${error instanceof ReprocessUsageError ? error.message : describeError(error)}\n`);
    return ExitStatus.Usage;
  }
  const text = `${JSON.stringify(report)}\n`;
  if (options.report !== undefined) writeFileSync(options.report, text);
  if (options.json) io.stdout(text);
  else io.stdout(rendered(report));
  return report.summary.failed > 0 ? ExitStatus.Failed : ExitStatus.Ok;
}

/** The report for a person: what was skipped and why, what failed, and the counts. */
function rendered({ events, refused, unreadable, summary }: ReprocessReport): string {
  const lines: string[] = [];
  for (const { source, reason } of unreadable) lines.push(`skipped ${source}: ${reason}`);
  if (refused.length > 0)
    lines.push(`refused ${refused.length} events: ${refused[0]!.reason}`, ...refused.map(({ source, type }) => `  ${source} ${type}`));
  for (const event of events.filter(({ outcome }) => outcome === 'failed'))
    lines.push(`failed ${event.source} ${event.type} -> ${event.target}: ${event.detail}`);
  lines.push(
    `${summary.archived} archived events in ${summary.objects} object${summary.objects === 1 ? '' : 's'}: ${summary.selected} selected, ${summary.notSelected} not asked for, ${summary.refused} refused, ${summary.unreadable} unreadable lines skipped`,
  );
  for (const [category, types] of Object.entries(summary.byCategory))
    lines.push(
      `  ${category}: ${Object.entries(types)
        .map(([type, count]) => `${type} ${count}`)
        .join(', ')}`,
    );
  lines.push(
    summary.dryRun
      ? 'dry run: nothing invoked'
      : `${summary.sent} sent${summary.failed > 0 ? `, ${summary.failed} failed after retries` : ''}${
          Object.keys(summary.byDetail).length > 0
            ? ` (${Object.entries(summary.byDetail)
                .map(([detail, count]) => `${detail} ${count}`)
                .join(', ')})`
            : ''
        }`,
  );
  return `${lines.join('\n')}\n`;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
