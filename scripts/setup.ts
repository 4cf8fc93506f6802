/**
 * `npm run setup -- --topic-arn <arn> [--auth resource|keys] [--event-types a,b] [--dry-run | --check | --remove]
 *  [--base-url <url>] [--json]`: the Stream hook setup from a laptop. Credentials from STREAM_API_KEY and
 * STREAM_API_SECRET (and SNS_KEY and SNS_SECRET for keys auth); STREAM_BASE_URL as --base-url. Exit status 0 only
 * on success, 1 when the setup failed, 2 on a usage error. Credentials are never printed: hooks are shown masked and
 * every message is scrubbed of the secrets in play.
 */
import { parseArgs } from 'node:util';
import { SetupError } from '../functions/setup/errors.js';
import type { HookSettings } from '../functions/setup/hook-plan.js';
import { SecretScrubber } from '../functions/setup/masking.js';
import { SetupAction, type SetupReport, assertCheckPassed, runSetup } from '../functions/setup/stream-hook.js';

const USAGE = `usage: npm run setup -- --topic-arn <arn> [--auth resource|keys] [--event-types a,b,...]
                       [--dry-run | --check | --remove] [--base-url <url>] [--json]
       npm run setup -- --help

Registers this stack's SNS hook in your Stream app (or updates it), then runs Stream's SNS check. Other hooks are
never written. Our hook's id is derived from the topic ARN, so running it again, or after a failure, is safe.

  --topic-arn <arn>     the stack's topic (output StreamEventsTopicArn)
  --auth resource|keys  how Stream publishes: the topic policy (default) or an access key (SNS_KEY, SNS_SECRET)
  --event-types a,b     event types to send; default every event, including types Stream adds later
  --dry-run             print the hooks before and after, write nothing
  --check               run Stream's SNS check only
  --remove              delete our hook (every hook for this topic), and nothing else
  --base-url <url>      another Stream-compatible endpoint (also STREAM_BASE_URL)
  --json                print one JSON document

environment: STREAM_API_KEY, STREAM_API_SECRET; for --auth keys also SNS_KEY, SNS_SECRET; STREAM_BASE_URL
exit status: 0 done, 1 the setup failed (the message says why and what was written), 2 usage error`;

function render(report: SetupReport): string {
  const dryRun = report.action === SetupAction.DryRun;
  const hooks = (list: SetupReport['hooksBefore']) =>
    list.length === 0 ? '  (none)' : list.map((hook) => `  ${JSON.stringify(hook)}`).join('\n');
  const duplicates = report.duplicatesRemoved;
  return [
    `${report.action} ${report.topicArn}: ${report.changed ? (dryRun ? 'would change' : 'changed') : 'no change'}`,
    ...(duplicates.length > 0 && report.action !== SetupAction.Check
      ? [`${dryRun ? 'would remove' : 'removed'} ${duplicates.length} duplicate hook${duplicates.length === 1 ? '' : 's'} for this topic: ${duplicates.join(', ')}`]
      : []),
    'hooks before:',
    hooks(report.hooksBefore),
    `hooks after${dryRun ? ' (planned, nothing written)' : ''}:`,
    hooks(report.hooksAfter),
    ...(report.check ? [`SNS check: ${report.check.status}${report.check.error ? ` (${report.check.error})` : ''}`] : []),
  ].join('\n');
}

async function main(): Promise<number> {
  const { STREAM_API_KEY: apiKey, STREAM_API_SECRET: apiSecret, SNS_KEY: snsKey, SNS_SECRET: snsSecret } = process.env;
  // Whatever reaches the terminal goes through this: an unexpected error's message could quote a request.
  const scrubber = new SecretScrubber([
    { value: apiSecret, visible: 0 },
    { value: apiKey, visible: 4 },
    { value: snsSecret, visible: 0 },
    { value: snsKey, visible: 4 },
  ]);
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'topic-arn': { type: 'string' },
        auth: { type: 'string', default: 'resource' },
        'event-types': { type: 'string', default: '' },
        'dry-run': { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        remove: { type: 'boolean', default: false },
        'base-url': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const modes = (['dry-run', 'check', 'remove'] as const).filter((mode) => values[mode]);
  const problems = [
    values['topic-arn'] ? undefined : '--topic-arn is required',
    values.auth === 'resource' || values.auth === 'keys' ? undefined : '--auth must be resource or keys',
    modes.length <= 1 ? undefined : 'choose at most one of --dry-run, --check, --remove',
    apiKey && apiSecret ? undefined : 'set STREAM_API_KEY and STREAM_API_SECRET',
  ].filter(Boolean);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const action = modes[0] === undefined ? SetupAction.Apply : (modes[0] as SetupAction);
  const settings: HookSettings = {
    topicArn: values['topic-arn']!,
    authType: values.auth as HookSettings['authType'],
    eventTypes: values['event-types'].split(',').map((type) => type.trim()).filter(Boolean),
    snsKey,
    snsSecret,
  };
  try {
    const report = await runSetup(action, settings, { apiKey: apiKey!, apiSecret: apiSecret! }, {
      baseUrl: values['base-url'] ?? process.env.STREAM_BASE_URL,
    });
    process.stdout.write(`${scrubber.scrub(values.json ? JSON.stringify(report) : render(report))}\n`);
    if (action === SetupAction.Apply || action === SetupAction.Check) assertCheckPassed(report, settings.authType);
    return 0;
  } catch (error) {
    const message = error instanceof SetupError ? error.message : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`error: ${scrubber.scrub(message)}\n`);
    return 1;
  }
}

process.exitCode = await main();
