/**
 * `npm run setup`: the Stream hook setup from a laptop, as `main(argv, io)` on the project's argument parser
 * (scripts/cli.ts). Usage: `npm run setup -- --help` (docs/setup.md).
 *
 * Credentials come from STREAM_API_KEY and STREAM_API_SECRET (and SNS_KEY and SNS_SECRET for keys auth), never from
 * flags (a flag would stay in the shell's history). Misuse exits 2 before any call: a malformed topic ARN, a
 * partition Stream cannot publish to, `http://` to a host that is not this machine, missing credentials.
 * `--base-url` wins over STREAM_BASE_URL; the stream-chat SDK's own switches (STREAM_LOCAL_TEST_RUN,
 * STREAM_LOCAL_TEST_HOST) never apply, and the command says so when they are set. Everything printed goes through the
 * one scrubber; other teams' hooks show as id, type and state only.
 */
import { pathToFileURL } from 'node:url';
import { DEADLINES, deadlineAfter } from '../functions/setup/deadlines.js';
import { SetupConfigurationError, SetupError } from '../functions/setup/errors.js';
import type { HookSettings } from '../functions/setup/hook-plan.js';
import { SecretScrubber } from '../functions/setup/scrubber.js';
import { checkedBaseUrl, SDK_URL_VARIABLES, type SetupWait } from '../functions/setup/stream-app.js';
import { assertCheckPassed, runSetup, SetupAction, type SetupReport } from '../functions/setup/stream-hook.js';
import { parseTopicArn } from '../functions/setup/topic-arn.js';
import { ROUTING_DEFAULTS, RoutingMode } from '../shared/routing.js';
import { type CommandIo, defineCommand, ExitStatus, integer, Option, processIo, runCommand, UsageError } from './cli.js';

interface SetupFlags {
  topicArn: string;
  auth: HookSettings['authType'];
  routing: HookSettings['routing'];
  catchAll: 'true' | 'false';
  eventTypes: string;
  dryRun?: boolean;
  check?: boolean;
  remove?: boolean;
  baseUrl?: string;
  timeout: number;
  json?: boolean;
}

/** Runs the setup command with `argv` (the arguments after `npm run setup --`); returns the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const { STREAM_API_KEY: apiKey, STREAM_API_SECRET: apiSecret, SNS_KEY: snsKey, SNS_SECRET: snsSecret } = io.env;
  // Whatever reaches the terminal goes through this: an unexpected error's message could quote a request.
  const scrubber = new SecretScrubber([
    { value: apiSecret, visible: 0 },
    { value: apiKey, visible: 4 },
    { value: snsSecret, visible: 0 },
    { value: snsKey, visible: 4 },
  ]);
  const command = defineCommand(
    'npm run setup --',
    "Registers this stack's SNS hooks in your Stream app (or updates them), then runs Stream's SNS check on each topic. " +
      'Per-category routing writes one hook per named category, on a topic whose ARN follows from the events topic, and ' +
      "the catch-all on the events topic. Other hooks are never written. Each hook's id is derived from its topic ARN, " +
      'so running it again, or after a failure, is safe.',
    io,
  )
    .requiredOption('--topic-arn <arn>', "the stack's events topic (output StreamEventsTopicArn)")
    .addOption(
      new Option('--auth <auth>', 'how Stream publishes: the topic policy, or an access key (SNS_KEY, SNS_SECRET)')
        .choices(['resource', 'keys'])
        .default('resource'),
    )
    .addOption(
      new Option('--routing <mode>', 'one hook and topic per named category plus the catch-all, or one hook on the events topic')
        .choices(Object.values(RoutingMode))
        .default(ROUTING_DEFAULTS.mode),
    )
    .addOption(
      new Option(
        '--catch-all <on>',
        "per-category: the events topic's hook takes every type (true), or lists the other types and those Stream adds (false)",
      )
        .choices(['true', 'false'])
        .default(String(ROUTING_DEFAULTS.catchAll)),
    )
    .option('--event-types <a,b>', 'event types to send (narrows every hook); default every event, including types Stream adds later', '')
    .addOption(
      new Option(
        '--dry-run',
        'print every hook the mode wants with its topic ARN, and the hooks before and after; write nothing',
      ).conflicts(['check', 'remove']),
    )
    .addOption(new Option('--check', "run Stream's SNS check only").conflicts(['remove']))
    .option(
      '--remove',
      "delete this stack's hooks (those with its ids, in either mode) and nothing else; other hooks for its topics are named",
    )
    .option('--base-url <url>', 'another Stream-compatible endpoint, https:// or http:// to this machine (also STREAM_BASE_URL)')
    .option('--timeout <seconds>', 'deadline of the whole run', integer({ min: 1, max: 3_600 }), DEADLINES.commandRunMs / 1000)
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nenvironment: STREAM_API_KEY, STREAM_API_SECRET; for --auth keys also SNS_KEY, SNS_SECRET; STREAM_BASE_URL\n' +
        'exit status: 0 done, 1 the setup failed (the message says why and what was written), 2 usage error',
    );

  return runCommand<SetupFlags>(command, argv, io, async (flags) => {
    const action = flags.dryRun
      ? SetupAction.DryRun
      : flags.check
        ? SetupAction.Check
        : flags.remove
          ? SetupAction.Remove
          : SetupAction.Apply;
    const settings: HookSettings = {
      topicArn: flags.topicArn,
      authType: flags.auth,
      routing: flags.routing,
      catchAll: flags.catchAll === 'true',
      eventTypes: flags.eventTypes
        .split(',')
        .map((type) => type.trim())
        .filter(Boolean),
      snsKey,
      snsSecret,
    };
    const baseUrl = flags.baseUrl ?? io.env.STREAM_BASE_URL;
    try {
      parseTopicArn(settings.topicArn, settings.authType);
      checkedBaseUrl(baseUrl);
    } catch (error) {
      if (error instanceof SetupConfigurationError) throw new UsageError(scrubber.scrub(error.message));
      throw error;
    }
    if (!apiKey || !apiSecret) throw new UsageError('set STREAM_API_KEY and STREAM_API_SECRET');
    if (action !== SetupAction.Remove && settings.authType === 'keys' && (!snsKey || !snsSecret)) {
      throw new UsageError('--auth keys needs SNS_KEY and SNS_SECRET');
    }
    for (const variable of SDK_URL_VARIABLES) {
      if (io.env[variable]) io.stderr(`note: ${variable} is set and ignored: the setup calls ${checkedBaseUrl(baseUrl)}\n`);
    }

    const deadline = deadlineAfter(flags.timeout * 1000, `the run's deadline (${flags.timeout} s)`);
    try {
      const report = await runSetup(
        action,
        settings,
        { apiKey, apiSecret },
        {
          baseUrl,
          signal: deadline.signal,
          deadlineAt: deadline.at,
          onWait: (wait: SetupWait) =>
            io.stderr(`${scrubber.scrub(`waiting ${Math.ceil(wait.ms / 1000)} s for the ${wait.name} (${wait.call})`)}\n`),
        },
      );
      io.stdout(`${flags.json ? JSON.stringify(scrubber.scrubValue(report)) : scrubber.scrub(render(report))}\n`);
      if (action === SetupAction.Apply || action === SetupAction.Check) assertCheckPassed(report, settings.authType);
      return ExitStatus.Ok;
    } catch (error) {
      const message = error instanceof SetupError ? error.message : `unexpected error: ${(error as Error).message}`;
      io.stderr(`error: ${scrubber.scrub(message.replace(/\n/g, ' '))}\n`);
      return ExitStatus.Failed;
    } finally {
      deadline.clear();
    }
  });
}

/** The report as lines a person reads. */
function render(report: SetupReport): string {
  const dryRun = report.action === SetupAction.DryRun;
  const hooks = (list: SetupReport['hooksBefore']) =>
    list.length === 0 ? '  (none)' : list.map((hook) => `  ${JSON.stringify(hook)}`).join('\n');
  const ids = (list: string[]) => list.join(', ');
  const { created, updated } = report.written;
  const duplicates = report.duplicatesRemoved;
  const plural = (count: number) => `${count} ${count === 1 ? 'hook' : 'hooks'}`;
  const planned = report.planned.map(
    ({ role, topicArn, id, eventTypes, sendCustomEvents }) =>
      `  ${role}: ${topicArn} (id ${id}; ${eventTypes === 0 ? 'every event type' : `${eventTypes} event types`}${sendCustomEvents ? ', custom events' : ''})`,
  );
  return [
    `${report.action} ${report.topicArn}: ${report.changed ? (dryRun ? 'would change' : 'changed') : 'no change'}`,
    ...(report.routing === undefined || planned.length === 0
      ? []
      : [`${report.routing} routing, ${planned.length === 1 ? 'one hook' : `${planned.length} hooks`}:`, ...planned]),
    ...(created.length > 0 ? [`${dryRun ? 'would create' : 'created'}: ${ids(created)}`] : []),
    ...(updated.length > 0 ? [`${dryRun ? 'would update' : 'updated'}: ${ids(updated)}`] : []),
    ...(duplicates.length > 0
      ? [
          `${dryRun ? 'would remove' : 'removed'} ${plural(duplicates.length).replace('hook', 'duplicate hook')} for this topic: ${ids(duplicates)}`,
        ]
      : []),
    ...(report.action === SetupAction.Remove && report.written.deleted.length > 0 ? [`removed: ${ids(report.written.deleted)}`] : []),
    ...(report.left.length > 0
      ? [`left ${plural(report.left.length)} for this topic that this stack did not make: ${ids(report.left)}`]
      : []),
    ...report.notes.map((note) => `note: ${note}`),
    ...report.warnings.map((warning) => `warning: ${warning}`),
    'hooks before:',
    hooks(report.hooksBefore),
    `hooks after${dryRun ? ' (planned, nothing written)' : ''}:`,
    hooks(report.hooksAfter),
    ...(report.check ? [`SNS check: ${report.check.status}${report.check.error ? ` (${report.check.error})` : ''}`] : []),
  ].join('\n');
}

// Run only as the entry point (`npm run setup`), not when a test imports `main`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), processIo);
}
