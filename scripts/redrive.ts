/**
 * `npm run redrive -- (--from <file> | --queue <queue url or name> [--region R]) [--dry-run] [--json]`: sends the
 * dead letters of this stack again, once their cause is fixed. See the README, "Operate it".
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RedriveUsageError } from '../redrive/errors.js';
import type { RedriveOutcome } from '../redrive/records.js';
import type { RoutingMode } from '../shared/routing.js';
import { type CommandIo, defineCommand, ExitStatus, isEntryPoint, processIo, runCommand, UsageError } from './cli.js';
import {
  buildOption,
  catchAllOption,
  endpointOption,
  noCatchAllOption,
  routingOption,
  routingOverrides,
  serviceOption,
  tableOption,
} from './local-options.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface RedriveOptions {
  from?: string;
  queue?: string;
  region?: string;
  endpoint?: string;
  service?: string;
  build?: string;
  table?: string;
  routing?: RoutingMode;
  catchAll?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** The options that go with `--from` only. */
const LOCAL_ONLY = ['endpoint', 'service', 'build', 'table', 'routing', 'catchAll'] as const;

/** An option's flag, where it is not its name. */
const FLAG_OF: Record<(typeof LOCAL_ONLY)[number] | 'region', string> = {
  endpoint: 'endpoint',
  service: 'service',
  build: 'build',
  table: 'table',
  routing: 'routing',
  catchAll: '[no-]catch-all',
  region: 'region',
};

/** `npm run redrive -- <argv>`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand('npm run redrive --', 'Send the dead letters of this stack again, once their cause is fixed.', io)
    .option(
      '--from <file>',
      'a local dead-letter file (.local/dead-letters/<function>.jsonl): each record goes through the local stack again; redriven records leave the file',
    )
    .addOption(endpointOption())
    .addOption(serviceOption())
    .addOption(buildOption())
    .addOption(tableOption())
    .addOption(routingOption())
    .addOption(catchAllOption())
    .addOption(noCatchAllOption())
    .option(
      '--queue <queue>',
      'a dead-letter queue in AWS (URL, or name with --region): each message is sent again and deleted once that succeeded',
    )
    .option('--region <region>', "the queue's region when given by name (default: AWS_REGION)")
    .option('--dry-run', 'say what would be sent, send and delete nothing')
    .option('--json', 'print one JSON document: {"records":[...],"summary":{...}}')
    .addHelpText(
      'after',
      `
--endpoint, --service, --build, --table, --routing and --[no-]catch-all go with --from; --region goes with --queue.
A Lambda on-failure record invokes the function named in its functionArn with its requestPayload; an SNS message
(from a subscription's redrive policy) is published to its topic again. Exit status: 0 when every record was
redriven, 1 when one was not (it stays in the queue or file), 2 when the redrive could not run.`,
    );
  return runCommand<RedriveOptions>(command, argv, io, async (options) => {
    if ((options.from === undefined) === (options.queue === undefined))
      throw new UsageError('give either --from <file> or --queue <queue url or name>');
    const misplaced =
      options.queue !== undefined
        ? LOCAL_ONLY.find((name) => options[name] !== undefined)
        : options.region !== undefined
          ? 'region'
          : undefined;
    if (misplaced !== undefined) throw new UsageError(`--${FLAG_OF[misplaced]} goes with ${misplaced === 'region' ? '--queue' : '--from'}`);
    return redrive(options, io);
  });
}

async function redrive(options: RedriveOptions, io: CommandIo): Promise<number> {
  // Loaded once the command line is good: `--help` and misuse answer at once.
  const { describeError, functionLogFile } = await import('../emulator/index.js');
  const dryRun = options.dryRun === true;
  const info = (line: string) => options.json || io.stderr(`${line}\n`);
  let outcomes: RedriveOutcome[];
  try {
    if (options.from !== undefined) {
      info(
        `${dryRun ? 'Reading' : 'Redriving'} ${options.from}${dryRun ? ' (dry run)' : ' through the local stack (DynamoDB, functions built with serverless package)...'}`,
      );
      const logFile = functionLogFile(options.service);
      mkdirSync(dirname(logFile), { recursive: true });
      const { redriveFile } = await import('../redrive/local.js');
      outcomes = await redriveFile({
        file: options.from,
        dryRun,
        endpoint: options.endpoint,
        serviceDir: options.service,
        buildDir: options.build,
        tableName: options.table,
        routing: routingOverrides(options),
        onLogLine: (_fn, line) => appendFileSync(logFile, `${line}\n`),
      });
    } else {
      info(`${dryRun ? 'Reading' : 'Redriving'} the queue ${options.queue}${dryRun ? ' (dry run)' : ''}...`);
      const { redriveQueue } = await import('../redrive/aws.js');
      outcomes = await redriveQueue({ queue: options.queue!, region: options.region, dryRun });
    }
  } catch (error) {
    io.stderr(`error: ${error instanceof RedriveUsageError ? error.message : describeError(error)}\n`);
    return ExitStatus.Usage;
  }
  const summary = {
    records: outcomes.length,
    redriven: outcomes.filter((o) => o.outcome === 'redriven').length,
    failed: outcomes.filter((o) => o.outcome === 'failed').length,
    dryRun,
  };
  if (options.json) {
    io.stdout(`${JSON.stringify({ records: outcomes, summary })}\n`);
  } else {
    for (const { source, kind, target, outcome, detail } of outcomes)
      io.stdout(`${source}  ${kind}  ${target ?? '-'}  ${outcome}: ${detail}\n`);
    io.stdout(
      dryRun
        ? `${summary.records} records, nothing sent (dry run)\n`
        : `${summary.redriven} of ${summary.records} records redriven${summary.failed > 0 ? `, ${summary.failed} left where they were` : ''}\n`,
    );
  }
  return summary.failed > 0 ? ExitStatus.Failed : ExitStatus.Ok;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
