/**
 * The options every local-run command (`npm start`, `replay`, `soak`, `redrive -- --from`) shares, worded once:
 * a build made before, a DynamoDB already running, the table in it, another service folder, the routing mode.
 */
import { resolve } from 'node:path';
import { RoutingMode, type RoutingSettings } from '../shared/routing.js';
import { httpUrl, integer, Option } from './cli.js';

/** `--build <dir>`: run a package folder built before instead of packaging now. */
export const buildOption = () =>
  new Option(
    '--build <dir>',
    'run the functions of a package folder built before (npx serverless package --package <dir>) instead of packaging now',
  ).argParser((dir: string) => resolve(dir));

/** `--endpoint <url>`: use a running DynamoDB. */
export const endpointOption = () =>
  new Option('--endpoint <url>', 'use this DynamoDB (a DynamoDB Local already running) instead of starting one').argParser(httpUrl());

/** `--table <name>`: the idempotency table in that DynamoDB. */
export const tableOption = () =>
  new Option('--table <name>', "the idempotency table's name (created if missing; default: the one the functions are configured with)");

/** `--service <dir>`: another serverless service. */
export const serviceOption = () =>
  new Option('--service <dir>', 'run the functions of another serverless service folder (default: this project)').argParser((dir: string) =>
    resolve(dir),
  );

/** `--port <port>`: DynamoDB Local's port, when one is started. */
export const portOption = () =>
  new Option('--port <port>', 'port for the DynamoDB Local started (default: any free port)')
    .argParser(integer({ min: 0, max: 65_535 }))
    .default(0)
    .conflicts('endpoint');

/** `--routing <mode>`: route as Stream would in this mode, instead of the packaged one. */
export const routingOption = () =>
  new Option(
    '--routing <mode>',
    'route as Stream and SNS would in this mode (default: the packaged one, serverless.yml param routing)',
  ).choices(Object.values(RoutingMode));

/**
 * `--catch-all` and `--no-catch-all`: per-category mode's catch-all hook (serverless.yml param catchAll). A pair
 * without a default, so that neither given means the packaged value.
 */
export const catchAllOption = () =>
  new Option('--catch-all', "per-category: the events topic's hook takes every type (default: the packaged catchAll)");

/** See {@link catchAllOption}. */
export const noCatchAllOption = () =>
  new Option('--no-catch-all', "per-category: the events topic's hook lists only the other types, so each event is published once");

/** The routing settings the flags give, on top of the packaged ones. */
export function routingOverrides(options: { routing?: RoutingMode; catchAll?: boolean }): Partial<RoutingSettings> {
  return {
    ...(options.routing === undefined ? {} : { mode: options.routing }),
    ...(options.catchAll === undefined ? {} : { catchAll: options.catchAll }),
  };
}
/** `--archive <dir>`: where a local run archives what it delivers (as the stack's archive in S3). */
export const archiveOption = () =>
  new Option(
    '--archive <dir>',
    "archive what the run delivers in this folder, in the S3 archive's format (default: .local/archive)",
  ).argParser((dir: string) => resolve(dir));
