/**
 * The soak: the template under load, faults and bad input, with an exact account of every event.
 *
 * N deliveries synthesised from the samples go, as Stream would publish them in the routing mode (emulator/local-sns.ts),
 * through the local SNS topics to the category functions subscribed to each (the
 * template's real middleware chain; handlers that record their own side effects and fail on demand,
 * soak/recording-function.ts), with the deployed functions' settings (memory, timeout, concurrency, retries) from
 * the packaged template. A share of deliveries repeats earlier events, some of them while the original is still in
 * flight; a share of events fail in the handler 1, 2 or 3 times (Lambda's two retries overcome the first two; the
 * third goes to the dead letters); about 0.5% are poison. Midway, DynamoDB is cut off for a while (every
 * connection reset, answers to requests already applied lost: emulator/dynamodb-faults.ts), then reachable again.
 * The run ends with the accounting: an event is lost when it neither ran nor reached the dead letters, and run
 * twice when the handler recorded it twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Build,
  type BuiltFunction,
  buildService,
  bundleLikeDeploy,
  openBuild,
  progressBar,
  type RunOutput,
  routingLabel,
  samples,
  startDynamoDBFaults,
  startDynamoDBLocal,
  startLocalStack,
  synthesize,
} from '../emulator/index.js';
import { CATEGORIES } from '../shared/catalog.js';
import type { RoutingSettings } from '../shared/routing.js';
import { SOAK_DEFAULTS } from './settings.js';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  events: number;
  duplicates: number;
  failures: number;
  /** How long DynamoDB is cut off, midway. */
  outageMs: number;
  json: boolean;
  /** A package folder built before, instead of packaging now. */
  buildDir: string | undefined;
  /** A running DynamoDB, instead of starting DynamoDB Local. */
  endpoint: string | undefined;
  /** Routing settings instead of the packaged ones: the soak routes as Stream would in that mode. */
  routing?: Partial<RoutingSettings>;
}

/** The soak's account of every event. */
export interface SoakAccounting {
  deliveries: number;
  distinct: number;
  executed: number;
  executedTwice: number;
  lost: number;
  deadLettered: number;
  deadLetteredEvents: number;
  deadLetteredAndExecuted: number;
  rejected: number;
  duplicatesSuppressed: number;
  failingEvents: number;
  eventsFailingThrice: number;
  outage: { afterDeliveries: number; outageMs: number; requestsRefused: number };
  /** How the soak routed, and the Lambda invocations its deliveries made (retries not counted). */
  routing: string;
  invocations: number;
  durationMs: number;
  deliveriesPerSecond: number;
  lostKeys: string[];
}

/** Runs the soak; resolves to its accounting, also printed on `output`. */
export async function runSoak(options: SoakOptions, output: RunOutput): Promise<SoakAccounting> {
  const info = (line: string) => options.json || output.stderr(`${line}\n`);
  const started = Date.now();
  const recordDir = mkdtempSync(join(tmpdir(), 'soak-records-'));
  const cleanup: Array<() => unknown> = [() => rmSync(recordDir, { recursive: true, force: true })];
  try {
    const [dynamoDB, deployed] = await Promise.all([
      options.endpoint === undefined ? startDynamoDBLocal() : undefined,
      options.buildDir === undefined ? buildService() : openBuild(options.buildDir),
    ]);
    if (dynamoDB !== undefined) cleanup.push(() => dynamoDB.stop());
    cleanup.push(() => deployed.remove());
    const bundle = await bundleLikeDeploy(
      { 'recording-function': fileURLToPath(new URL('./recording-function.ts', import.meta.url)) },
      deployed.bundling,
    );
    cleanup.push(() => bundle.remove());
    const faults = await startDynamoDBFaults(options.endpoint ?? dynamoDB!.endpoint);
    cleanup.push(() => faults.close());
    // A table of its own: the synthetic events of two soaks against one DynamoDB would be each other's duplicates.
    const tableName = `stream-chat-events-soak-${randomUUID()}`;
    const functions: BuiltFunction[] = CATEGORIES.map((category) => ({
      ...deployed.functions.find((fn) => fn.name === category)!,
      handlerFile: bundle.files['recording-function']!,
      handlerExport: 'handler',
      environment: { IDEMPOTENCY_TABLE: tableName, SOAK_CATEGORY: category, SOAK_RECORD_DIR: recordDir },
    }));
    const build: Build = { ...deployed, functions };
    const stack = await startLocalStack({
      build,
      endpoint: faults.endpoint,
      retryDelaysMs: SOAK_DEFAULTS.retryDelaysOfOutage.map((share) => Math.round(share * options.outageMs)),
      // Real time, not the retry clock: with 64 deliveries in flight, a retry whose clock reads a minute ahead can
      // find the lock of a first attempt of the same event, still running here, already expired and run it a second
      // time, which AWS's one clock never allows (seen under CPU contention, 2 of 3 full suites). The soak's promise
      // is about the product under faults and duplicates; the retry clock is proven by test/e2e/local-retries.test.ts.
      retryClock: false,
      deadLetterDir: join(recordDir, 'dead-letters'),
      routing: options.routing ?? {},
    });
    cleanup.push(() => stack.stop());
    const deliveries = synthesize(
      samples().map((sample) => sample.event),
      { count: options.events, duplicates: options.duplicates, failures: options.failures, poison: SOAK_DEFAULTS.poison },
    );
    info(
      `Soak: ${options.events} deliveries, ${routingLabel(stack.routing)}, to ${functions.length} functions, DynamoDB at ${options.endpoint ?? dynamoDB!.endpoint}`,
    );
    const outageAt = Math.floor(options.events / 2);
    let delivered = 0;
    let outage: Promise<void> | undefined;
    const progress = progressBar(options.events, 'soak');
    const results = await stack.deliverAll(deliveries, SOAK_DEFAULTS.concurrency, () => {
      progress.tick();
      delivered += 1;
      if (delivered !== outageAt) return;
      outage = faults.outage(options.outageMs);
    });
    progress.done();
    await outage;

    const executions = new Map<string, number>();
    for (const file of readdirSync(recordDir).filter((name) => name.endsWith('.log'))) {
      for (const key of readFileSync(join(recordDir, file), 'utf8').split('\n').filter(Boolean)) {
        executions.set(key, (executions.get(key) ?? 0) + 1);
      }
    }
    const distinctKeys = new Set(deliveries.filter((d) => !d.poison).map((d) => d.eventKey));
    const deadLetteredKeys = new Set(
      results.map((result, i) => (result.outcome === 'failed' ? deliveries[i]!.eventKey : undefined)).filter((key) => key !== undefined),
    );
    const lost = [...distinctKeys].filter((key) => !executions.has(key) && !deadLetteredKeys.has(key));
    const durationMs = Date.now() - started;
    const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
    const accounting: SoakAccounting = {
      deliveries: options.events,
      distinct: distinctKeys.size,
      executed: executions.size,
      executedTwice: [...executions.values()].filter((times) => times > 1).length,
      lost: lost.length,
      deadLettered: stack.fanOut.deadLetters.total,
      deadLetteredEvents: deadLetteredKeys.size,
      deadLetteredAndExecuted: [...deadLetteredKeys].filter((key) => executions.has(key)).length,
      rejected: count('rejected'),
      duplicatesSuppressed: count('duplicate'),
      failingEvents: deliveries.filter((d) => !d.repeat && d.failTimes > 0).length,
      eventsFailingThrice: deliveries.filter((d) => !d.repeat && d.failTimes === 3).length,
      outage: { afterDeliveries: outageAt, outageMs: options.outageMs, requestsRefused: faults.refused },
      routing: routingLabel(stack.routing),
      invocations: results.reduce((sum, result) => sum + result.invocations, 0),
      durationMs,
      deliveriesPerSecond: Math.round(options.events / (durationMs / 1000)),
      lostKeys: lost.slice(0, 20),
    };
    output.stdout(options.json ? `${JSON.stringify(accounting)}\n` : `${JSON.stringify(accounting, null, 2)}\n`);
    return accounting;
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}
