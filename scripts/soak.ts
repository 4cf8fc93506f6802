/**
 * `npm run soak -- [--events N] [--duplicates P] [--failures F] [--json]`: the template under load, faults and
 * bad input, with an exact account of every event.
 *
 * N deliveries synthesised from the samples go through the local SNS fan-out to all five category functions
 * (the template's real middleware chain; handlers that record their own side effects and fail on demand). A share
 * P repeats earlier events, some of them while the original is still in flight; a share F of events fail in the
 * handler 1, 2 or 3 times (Lambda's two retries overcome the first two; the third goes to the dead-letter list);
 * about 0.5% are poison. Midway, DynamoDB Local is stopped for a few seconds and started again on the same port
 * with its data on disk: an outage. The run ends with the accounting; exit status 1 if an event was lost or
 * executed twice.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CATEGORIES } from '../shared/catalog.js';
import { buildSubscribedFunctions, type BuiltFunction, bundleLikeDeploy, progressBar, samples, startLocalStack, synthesize } from '../emulator/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Soak settings; the command-line options override them. */
const SOAK_DEFAULTS = {
  events: 10_000,
  duplicates: 0.3,
  failures: 0.1,
  poison: 0.005,
  concurrency: 64,
  outageMs: 3_000,
  // Lambda waits about 1 and 2 minutes before its retries; scaled down, but longer than the outage.
  retryDelaysMs: [2_000, 4_000],
} as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: String(SOAK_DEFAULTS.events) },
      duplicates: { type: 'string', default: String(SOAK_DEFAULTS.duplicates) },
      failures: { type: 'string', default: String(SOAK_DEFAULTS.failures) },
      json: { type: 'boolean', default: false },
    },
  });
  const events = Number(values.events);
  const duplicates = Number(values.duplicates);
  const failures = Number(values.failures);
  if (!(Number.isInteger(events) && events > 0 && duplicates >= 0 && duplicates < 1 && failures >= 0 && failures < 1)) {
    process.stderr.write('usage: npm run soak -- [--events N] [--duplicates 0..1] [--failures 0..1] [--json]\n');
    return 2;
  }
  const info = (line: string) => values.json || process.stderr.write(`${line}\n`);
  const started = Date.now();
  const recordDir = mkdtempSync(join(tmpdir(), 'soak-records-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'soak-dynamodb-'));
  // The deployed functions' settings (memory, timeout, concurrency, retries) from the packaged template, around
  // the recording handler.
  const [bundle, deployed] = await Promise.all([
    bundleLikeDeploy({ 'recording-function': fileURLToPath(new URL('./soak/recording-function.ts', import.meta.url)) }),
    buildSubscribedFunctions(),
  ]);
  deployed.remove();
  const functions: BuiltFunction[] = CATEGORIES.map((category) => ({
    ...deployed.functions.find((fn) => fn.name === category)!,
    handlerFile: bundle.files['recording-function']!,
    handlerExport: 'handler',
    environment: { IDEMPOTENCY_TABLE: 'stream-chat-events-soak-idempotency', SOAK_CATEGORY: category, SOAK_RECORD_DIR: recordDir },
  }));
  const stack = await startLocalStack({ functions, dataDir, retryDelaysMs: SOAK_DEFAULTS.retryDelaysMs, deadLetterDir: join(recordDir, 'dead-letters') });
  try {
    const deliveries = synthesize(samples().map((sample) => sample.event), {
      count: events,
      duplicates,
      failures,
      poison: SOAK_DEFAULTS.poison,
    });
    info(`Soak: ${events} deliveries to ${functions.length} functions, DynamoDB Local at ${stack.endpoint} (data on disk)`);
    const restartAt = Math.floor(events / 2);
    let delivered = 0;
    let restart: Promise<void> | undefined;
    const progress = progressBar(events, 'soak');
    const results = await stack.deliverAll(deliveries, SOAK_DEFAULTS.concurrency, () => {
      progress.tick();
      delivered += 1;
      if (delivered === restartAt) restart = stack.restartDynamoDB(SOAK_DEFAULTS.outageMs);
    });
    progress.done();
    await restart;

    const executions = new Map<string, number>();
    for (const file of readdirSync(recordDir).filter((name) => name.endsWith('.log'))) {
      for (const key of readFileSync(join(recordDir, file), 'utf8').split('\n').filter(Boolean)) {
        executions.set(key, (executions.get(key) ?? 0) + 1);
      }
    }
    const distinctKeys = new Set(deliveries.filter((d) => !d.poison).map((d) => d.eventKey));
    const deadLetteredKeys = new Set(
      results.map((result, i) => (result.outcome === 'failed' ? deliveries[i]!.eventKey : undefined)).filter(Boolean),
    );
    const lost = [...distinctKeys].filter((key) => !executions.has(key) && !deadLetteredKeys.has(key));
    const executedTwice = [...executions.values()].filter((count) => count > 1).length;
    const durationMs = Date.now() - started;
    const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
    const accounting = {
      deliveries: events,
      distinct: distinctKeys.size,
      executed: executions.size,
      executedTwice,
      lost: lost.length,
      deadLettered: stack.fanOut.deadLetters.total,
      deadLetteredEvents: deadLetteredKeys.size,
      deadLetteredAndExecuted: [...deadLetteredKeys].filter((key) => executions.has(String(key))).length,
      rejected: count('rejected'),
      duplicatesSuppressed: count('duplicate'),
      failingEvents: deliveries.filter((d) => !d.repeat && d.failTimes > 0).length,
      eventsFailingThrice: deliveries.filter((d) => !d.repeat && d.failTimes === 3).length,
      restart: { afterDeliveries: restartAt, outageMs: SOAK_DEFAULTS.outageMs },
      durationMs,
      deliveriesPerSecond: Math.round(events / (durationMs / 1000)),
      lostKeys: lost.slice(0, 20),
    };
    process.stdout.write(values.json ? `${JSON.stringify(accounting)}\n` : `${JSON.stringify(accounting, null, 2)}\n`);
    return accounting.lost > 0 || accounting.executedTwice > 0 ? 1 : 0;
  } finally {
    await stack.stop();
    bundle.remove();
    rmSync(recordDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
