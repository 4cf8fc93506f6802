/**
 * `npm run replay -- [options] <path>...`: delivers your own events through the local fan-out, exactly as
 * `npm start` delivers the samples. Which files count and how each is read: emulator/delivery-files.ts and
 * docs/local-run.md.
 */
import type { RoutingMode } from '../shared/routing.js';
import { MessageEncoding } from '../shared/types.js';
import {
  type CommandIo,
  defineCommand,
  integer,
  isEntryPoint,
  Option,
  processIo,
  runCommand,
  share,
  shareRange,
  UsageError,
} from './cli.js';
import {
  archiveOption,
  buildOption,
  catchAllOption,
  endpointOption,
  noCatchAllOption,
  portOption,
  routingOption,
  routingOverrides,
  serviceOption,
  tableOption,
} from './local-options.js';

/** The share of repeated deliveries `--generate` makes: an event repeated every time is no longer load. */
const DUPLICATES = { min: 0, max: 1, maxExclusive: true } as const;

interface ReplayOptions {
  json?: boolean;
  endpoint?: string;
  encoding: MessageEncoding;
  generate?: number;
  duplicates: number;
  port: number;
  concurrency: number;
  logs?: boolean;
  service?: string;
  build?: string;
  table?: string;
  routing?: RoutingMode;
  catchAll?: boolean;
  archive?: string;
}

/** `npm run replay -- <argv>`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand(
    'npm run replay --',
    'Deliver your own events (files, folders, or synthetic load) through the local stack.',
    io,
  )
    .argument('[paths...]', 'files or folders (every .json file inside, sorted; hidden ones skipped; links followed)')
    .option('--json', 'print one JSON document on stdout: {"results":[...],"summary":{...}}')
    .addOption(endpointOption())
    .addOption(
      new Option('--encoding <encoding>', 'how to wrap bare Stream events')
        .choices(Object.values(MessageEncoding))
        .default(MessageEncoding.Base64Gzip),
    )
    .addOption(
      new Option('--generate <count>', 'synthesise this many deliveries from the samples instead of reading files').argParser(
        integer({ min: 1 }),
      ),
    )
    .addOption(
      new Option('--duplicates <share>', `with --generate: share of repeated deliveries, ${shareRange(DUPLICATES)}`)
        .argParser(share(DUPLICATES))
        .default(0.2),
    )
    .addOption(portOption())
    .addOption(new Option('--concurrency <count>', 'deliveries in flight at once').argParser(integer({ min: 1 })).default(8))
    .option('--logs', "also print the functions' log lines on stderr")
    .addOption(serviceOption())
    .addOption(buildOption())
    .addOption(tableOption())
    .addOption(routingOption())
    .addOption(catchAllOption())
    .addOption(noCatchAllOption())
    .addOption(archiveOption())
    .addHelpText(
      'after',
      `
A file holding an SNS->Lambda event ({"Records":[{"EventSource":"aws:sns","Sns":{...}},...]}) is delivered as
it is; any other file's bytes, as they are, are wrapped as the SNS message Stream sends, in the chosen encoding
(raw-json cannot carry bytes that are not UTF-8: such a file is not delivered). The report says how each file was
read, and names each file not delivered (missing, a broken link, no permission, not UTF-8 for raw-json). The build
goes to .local/ (never .serverless/); failures after Lambda's retries are written as on-failure records to
.local/dead-letters/<function>.jsonl. Rules in docs/local-run.md.
Exit status: 0; 1 if a delivery failed after its retries; 2 if a file could not be read or delivered (even when a
delivery also failed) or the run could not happen.`,
    );
  return runCommand<ReplayOptions>(command, argv, io, async (options, paths) => {
    if (options.generate === undefined && paths.length === 0)
      throw new UsageError('give at least one file or folder, or --generate <count>');
    if (options.generate !== undefined && paths.length > 0) throw new UsageError('give files or folders, or --generate <count>, not both');
    if (options.generate === undefined && command.getOptionValueSource('duplicates') === 'cli')
      throw new UsageError('--duplicates goes with --generate');
    const { generate, duplicates } = options;
    // Loaded once the command line is good: `--help` and misuse answer at once.
    const { readDeliveries, runDeliveries, samples, synthesize } = await import('../emulator/index.js');
    return runDeliveries(
      () =>
        generate === undefined
          ? readDeliveries(paths, options.encoding)
          : synthesize(
              samples().map((sample) => sample.event),
              { count: generate, duplicates },
            ),
      {
        json: options.json === true,
        logs: options.logs === true,
        endpoint: options.endpoint,
        port: options.port,
        concurrency: options.concurrency,
        ...(options.service === undefined ? {} : { serviceDir: options.service }),
        ...(options.build === undefined ? {} : { buildDir: options.build }),
        ...(options.table === undefined ? {} : { tableName: options.table }),
        ...(options.archive === undefined ? {} : { archiveDir: options.archive }),
        routing: routingOverrides(options),
      },
      io,
    );
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
