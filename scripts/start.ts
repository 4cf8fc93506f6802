/**
 * `npm start`: the whole pipeline on this machine, no AWS account. DynamoDB Local, the functions built as deploy
 * builds them, and every sample in events/ (each Stream sample in three encodings, plus two poison deliveries)
 * delivered through the local SNS fan-out. Expect each sample processed once, its other two encodings reported
 * as duplicates, and the poison rejected with its reason.
 */
import { fileURLToPath } from 'node:url';
import type { RoutingMode } from '../shared/routing.js';
import { MessageEncoding } from '../shared/types.js';
import { type CommandIo, defineCommand, isEntryPoint, processIo, runCommand } from './cli.js';
import {
  archiveOption,
  buildOption,
  catchAllOption,
  endpointOption,
  noCatchAllOption,
  routingOption,
  routingOverrides,
  tableOption,
} from './local-options.js';

const EVENTS = fileURLToPath(new URL('../events/', import.meta.url));

interface StartOptions {
  json?: boolean;
  logs?: boolean;
  build?: string;
  endpoint?: string;
  table?: string;
  routing?: RoutingMode;
  catchAll?: boolean;
  archive?: string;
}

/** `npm start -- <argv>`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand(
    'npm start --',
    'Deliver every sample in events/ through the local stack, as SNS delivers to the five functions.',
    io,
  )
    .option('--json', 'print one JSON document on stdout: {"results":[...],"summary":{...}}')
    .option('--logs', "also print the functions' log lines on stderr")
    .addOption(buildOption())
    .addOption(endpointOption())
    .addOption(tableOption())
    .addOption(routingOption())
    .addOption(catchAllOption())
    .addOption(noCatchAllOption())
    .addOption(archiveOption())
    .addHelpText('after', '\nExit status: 0, 1 if a delivery failed after its retries, 2 if the run could not happen.');
  return runCommand<StartOptions>(command, argv, io, async (options) => {
    // Loaded once the command line is good: `--help` and misuse answer at once.
    const { readDeliveries, runDeliveries } = await import('../emulator/index.js');
    const sampleEvents = () => {
      const { deliveries, undelivered } = readDeliveries([EVENTS], MessageEncoding.Base64Gzip);
      return { deliveries: deliveries.filter((delivery) => !delivery.source.includes('/samples/')), undelivered };
    };
    return runDeliveries(
      sampleEvents,
      {
        json: options.json === true,
        logs: options.logs === true,
        endpoint: options.endpoint,
        concurrency: 1,
        ...(options.build === undefined ? {} : { buildDir: options.build }),
        ...(options.table === undefined ? {} : { tableName: options.table }),
        routing: routingOverrides(options),
        ...(options.archive === undefined ? {} : { archiveDir: options.archive }),
      },
      io,
    );
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
