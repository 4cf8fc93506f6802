/**
 * `npm run setup -- --topic-arn <arn> [--auth resource|keys] [--event-types a,b] [--dry-run | --check | --remove]
 *  [--base-url <url>] [--json]`: the Stream hook setup from a laptop. Credentials from STREAM_API_KEY and
 * STREAM_API_SECRET (and SNS_KEY and SNS_SECRET for keys auth); STREAM_BASE_URL as --base-url. Exit status 0 only
 * on success. Secrets are never printed: hooks are shown with their secrets masked.
 */
import { parseArgs } from 'node:util';
import { SetupError } from '../functions/setup/errors.js';
import { type HookSettings, SetupAction, type SetupReport, assertCheckPassed, runSetup } from '../functions/setup/stream-hook.js';

const USAGE = `usage: npm run setup -- --topic-arn <arn> [--auth resource|keys] [--event-types a,b,...]
                       [--dry-run | --check | --remove] [--base-url <url>] [--json]
environment: STREAM_API_KEY, STREAM_API_SECRET; for --auth keys also SNS_KEY, SNS_SECRET; STREAM_BASE_URL`;

function render(report: SetupReport): string {
  const hooks = (list: SetupReport['hooksBefore']) =>
    list.length === 0 ? '  (none)' : list.map((hook) => `  ${JSON.stringify(hook)}`).join('\n');
  return [
    `${report.action} ${report.topicArn}: ${report.changed ? (report.action === 'dry-run' ? 'would change' : 'changed') : 'no change'}`,
    'hooks before:',
    hooks(report.hooksBefore),
    `hooks after${report.action === 'dry-run' ? ' (planned, nothing written)' : ''}:`,
    hooks(report.hooksAfter),
    ...(report.check ? [`SNS check: ${report.check.status}${report.check.error ? ` (${report.check.error})` : ''}`] : []),
  ].join('\n');
}

async function main(): Promise<number> {
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
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const modes = (['dry-run', 'check', 'remove'] as const).filter((mode) => values[mode]);
  const { STREAM_API_KEY: apiKey, STREAM_API_SECRET: apiSecret, SNS_KEY: snsKey, SNS_SECRET: snsSecret } = process.env;
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
    process.stdout.write(`${values.json ? JSON.stringify(report) : render(report)}\n`);
    if (action === SetupAction.Apply || action === SetupAction.Check) assertCheckPassed(report, settings.authType);
    return 0;
  } catch (error) {
    const message = error instanceof SetupError ? error.message : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`error: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main();
