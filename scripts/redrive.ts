/**
 * `npm run redrive -- (--from <file> | --queue <queue url or name> [--region R]) [--dry-run] [--json]`: sends the
 * dead letters of this stack again, once their cause is fixed. See the README, "Operate it".
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FUNCTION_LOG_FILE } from '../emulator/index.js';
import { redriveQueue } from './redrive/aws.js';
import { RedriveUsageError } from './redrive/errors.js';
import { redriveFile } from './redrive/local.js';
import type { RedriveOutcome } from './redrive/records.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const USAGE = `usage: npm run redrive -- (--from <file> | --queue <queue url or name> [--region R]) [--dry-run] [--json]
  --from FILE        a local dead-letter file (.local/dead-letters/<function>.jsonl): each record goes through the
                     local stack again; redriven records leave the file
  --endpoint URL     with --from: the DynamoDB of the run that failed (default: a fresh DynamoDB Local)
  --service DIR      with --from: another serverless service folder (default: this project)
  --queue Q          a dead-letter queue in AWS (URL, or name with --region): each message is sent again and
                     deleted once that succeeded
  --region R         the queue's region when given by name (default: AWS_REGION)
  --dry-run          say what would be sent, send and delete nothing
  --json             print one JSON document: {"records":[...],"summary":{...}}

A Lambda on-failure record invokes the function named in its functionArn with its requestPayload; an SNS message
(from a subscription's redrive policy) is published to its topic again. Exit status: 0 when every record was
redriven, 1 when one was not (it stays in the queue or file), 2 when the redrive could not run.`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        from: { type: 'string' },
        queue: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        service: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const problem =
    (values.from === undefined) === (values.queue === undefined)
      ? 'give either --from <file> or --queue <queue url or name>'
      : values.queue !== undefined && (values.endpoint !== undefined || values.service !== undefined)
        ? '--endpoint and --service go with --from'
        : values.from !== undefined && values.region !== undefined
          ? '--region goes with --queue'
          : undefined;
  if (problem !== undefined) {
    process.stderr.write(`${problem}\n${USAGE}\n`);
    return 2;
  }
  const dryRun = values['dry-run'];
  const info = (line: string) => values.json || process.stderr.write(`${line}\n`);
  let outcomes: RedriveOutcome[];
  try {
    if (values.from !== undefined) {
      info(`${dryRun ? 'Reading' : 'Redriving'} ${values.from}${dryRun ? ' (dry run)' : ' through the local stack (DynamoDB, functions built with serverless package)...'}`);
      mkdirSync(new URL('../.local/', import.meta.url), { recursive: true });
      outcomes = await redriveFile({
        file: values.from,
        dryRun,
        endpoint: values.endpoint,
        serviceDir: values.service === undefined ? undefined : resolve(values.service),
        onLogLine: (_fn, line) => appendFileSync(FUNCTION_LOG_FILE, `${line}\n`),
      });
    } else {
      info(`${dryRun ? 'Reading' : 'Redriving'} the queue ${values.queue}${dryRun ? ' (dry run)' : ''}...`);
      outcomes = await redriveQueue({ queue: values.queue!, region: values.region, dryRun });
    }
  } catch (error) {
    process.stderr.write(`error: ${error instanceof RedriveUsageError ? '' : `${(error as Error).name}: `}${(error as Error).message}\n`);
    return 2;
  }
  const summary = {
    records: outcomes.length,
    redriven: outcomes.filter((o) => o.outcome === 'redriven').length,
    failed: outcomes.filter((o) => o.outcome === 'failed').length,
    dryRun,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ records: outcomes, summary })}\n`);
  } else {
    for (const { source, kind, target, outcome, detail } of outcomes) {
      process.stdout.write(`${source}  ${kind}  ${target ?? '-'}  ${outcome}: ${detail}\n`);
    }
    process.stdout.write(
      dryRun
        ? `${summary.records} records, nothing sent (dry run)\n`
        : `${summary.redriven} of ${summary.records} records redriven${summary.failed > 0 ? `, ${summary.failed} left where they were` : ''}\n`,
    );
  }
  return summary.failed > 0 ? 1 : 0;
}

process.exitCode = await main();
