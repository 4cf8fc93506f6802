/**
 * `npm run soak -- [--events N] [--duplicates P] [--failures F] [--outage MS] [--build DIR] [--endpoint URL]
 * [--routing MODE] [--[no-]catch-all] [--json]`:
 * the template under load, faults and bad input, with an exact account of every event (soak/run-soak.ts). Exit
 * status 1 if an event was lost or executed twice.
 */
import type { RoutingMode } from '../shared/routing.js';
import { SOAK_DEFAULTS } from '../soak/settings.js';
import {
  type CommandIo,
  defineCommand,
  ExitStatus,
  integer,
  isEntryPoint,
  Option,
  processIo,
  runCommand,
  share,
  shareRange,
} from './cli.js';
import { buildOption, catchAllOption, endpointOption, noCatchAllOption, routingOption, routingOverrides } from './local-options.js';

/** Shares of the deliveries: below 1, or nothing new would be delivered. */
const SHARE = { min: 0, max: 1, maxExclusive: true } as const;

interface SoakCommandOptions {
  events: number;
  duplicates: number;
  failures: number;
  outage: number;
  json?: boolean;
  build?: string;
  endpoint?: string;
  routing?: RoutingMode;
  catchAll?: boolean;
}

/** `npm run soak -- <argv>`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand(
    'npm run soak --',
    'The template under load, faults and bad input, with an exact account of every event.',
    io,
  )
    .addOption(new Option('--events <count>', 'deliveries to make').argParser(integer({ min: 1 })).default(SOAK_DEFAULTS.events))
    .addOption(
      new Option('--duplicates <share>', `share repeating an earlier event, ${shareRange(SHARE)}`)
        .argParser(share(SHARE))
        .default(SOAK_DEFAULTS.duplicates),
    )
    .addOption(
      new Option('--failures <share>', `share of events failing in the handler 1 to 3 times, ${shareRange(SHARE)}`)
        .argParser(share(SHARE))
        .default(SOAK_DEFAULTS.failures),
    )
    .addOption(
      new Option('--outage <ms>', 'how long DynamoDB is cut off midway (the retries wait 2/3 and 4/3 of it)')
        .argParser(integer({ min: 1 }))
        .default(SOAK_DEFAULTS.outageMs),
    )
    .option('--json', 'print the accounting as one line of JSON')
    .addOption(buildOption())
    .addOption(endpointOption())
    .addOption(routingOption())
    .addOption(catchAllOption())
    .addOption(noCatchAllOption())
    .addHelpText(
      'after',
      '\nExit status: 0 when every event ran once or reached the dead letters, 1 when one was lost or ran twice, 2 on misuse.',
    );
  return runCommand<SoakCommandOptions>(command, argv, io, async (options) => {
    // Loaded once the command line is good: `--help` and misuse answer at once.
    const [{ EmulatorError, describeError }, { runSoak }] = await Promise.all([
      import('../emulator/index.js'),
      import('../soak/run-soak.js'),
    ]);
    const accounting = await runSoak(
      {
        events: options.events,
        duplicates: options.duplicates,
        failures: options.failures,
        outageMs: options.outage,
        json: options.json === true,
        buildDir: options.build,
        endpoint: options.endpoint,
        routing: routingOverrides(options),
      },
      io,
    ).catch((error: unknown) => {
      if (!(error instanceof EmulatorError)) throw error;
      io.stderr(`error: ${describeError(error)}\n`);
      return undefined;
    });
    if (accounting === undefined) return ExitStatus.Usage;
    return accounting.lost > 0 || accounting.executedTwice > 0 ? ExitStatus.Failed : ExitStatus.Ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
