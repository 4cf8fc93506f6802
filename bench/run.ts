/**
 * `npm run bench`: what one Stream event costs through this template, side by side with its floor and its peers,
 * measured in one run against one DynamoDB Local, as ratios (absolute times on a shared 2-core machine are noise).
 * Writes bench/results.json and bench/RESULTS.md. A script, not a test: a slow machine fails nothing.
 *
 * Peers, on the same events:
 * - floor: decode + one conditional PutItem (bench/peers/floor.ts);
 * - powertools: decode + Powertools makeIdempotent on the decoded event (bench/peers/powertools.ts);
 * - ours: the category function as deployed (serverless package output), through the real middleware chain.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pLimit from 'p-limit';
import {
  buildService,
  bundleLikeDeploy,
  createIdempotencyTable,
  type DeliveryResult,
  encodeMessage,
  LOCAL_AWS_ENV,
  LocalFanOut,
  lambdaContext,
  publicationsOf,
  samples,
  snsLambdaEvent,
  startDynamoDBLocal,
  startLocalStack,
  synthesize,
} from '../emulator/index.js';
import { type CommandIo, defineCommand, ExitStatus, isEntryPoint, processIo, runCommand } from '../scripts/cli.js';
import { categoryOf } from '../shared/catalog.js';
import { DECODE_LIMITS } from '../shared/decode-limits.js';
import { eventKey } from '../shared/event-key.js';
import { decodeMessageText } from '../shared/message-encoding.js';
import { RoutingMode, type RoutingSettings } from '../shared/routing.js';
import { MessageEncoding } from '../shared/types.js';
import { renderResults, TARGETS } from './report.js';
import { ARCHIVE_MONTHS, EVENT_MIX, PRICES, PRICES_CONSULTED, SIZES } from './settings.js';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const require = createRequire(import.meta.url);
type Handler = (event: unknown, context: unknown) => Promise<{ outcome: string }>;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Runs `work` with stdout discarded (the functions log at INFO, as deployed), counting the bytes they write. */
async function quietly<T>(work: () => Promise<T>): Promise<{ result: T; loggedBytes: number }> {
  const write = process.stdout.write.bind(process.stdout);
  let loggedBytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    loggedBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await work(), loggedBytes };
  } finally {
    process.stdout.write = write;
  }
}

/** A message.new event padded with members to about `bytes` of JSON. */
function eventOfSize(bytes: number, seed: string): string {
  const base = samples().find((sample) => sample.type === 'message.new')!.event;
  const members: unknown[] = [];
  let json = JSON.stringify({ ...base, synthetic_id: seed, members });
  let i = 0;
  while (json.length < bytes) {
    members.push({
      user_id: `member-${i}`,
      user: { id: `member-${i}`, name: `Member ${i}`, role: 'user', created_at: '2025-11-03T08:12:44.120391Z' },
      role: 'member',
      channel_role: 'channel_member',
      created_at: '2026-05-02T10:00:03.199012Z',
    });
    i += 1;
    json = JSON.stringify({ ...base, synthetic_id: seed, members });
  }
  return json;
}

/** The routing modes figure 6 compares, by the label RESULTS.md gives them. */
const ROUTING_MODES: Record<string, Partial<RoutingSettings>> = {
  'single-topic': { mode: RoutingMode.SingleTopic, catchAll: true },
  'per-category': { mode: RoutingMode.PerCategory, catchAll: true },
  'catchAll false': { mode: RoutingMode.PerCategory, catchAll: false },
};

/**
 * 100 events in {@link EVENT_MIX}'s proportions: each a sample of the type's category (the first in events/samples)
 * with the type put in its place, so that every handler gets the fields it reads.
 */
function mixedSamples(): Array<Record<string, unknown>> {
  const all = samples();
  return Object.entries(EVENT_MIX).flatMap(([type, percent]) => {
    const sample = all.find((candidate) => categoryOf(candidate.type) === categoryOf(type)) ?? all[0]!;
    return Array.from({ length: percent }, () => ({ ...sample.event, type }));
  });
}

/**
 * What the archive holds per event of the mix: the SNS notification line Firehose receives (base64 gzip, as Stream
 * sends by default), billed rounded up to 5 KB, and its size once gzip compresses it: each line alone, an upper
 * bound (Firehose compresses a buffer of many lines; the mix's copies of one sample would compress far better
 * together than distinct events do).
 */
function archiveBytes(mix: ReadonlyArray<Record<string, unknown>>) {
  const lines = mix.map(
    (event) =>
      `${JSON.stringify(snsLambdaEvent(encodeMessage(JSON.stringify(event), MessageEncoding.Base64Gzip), { messageId: 'archive' }).Records[0]!.Sns)}\n`,
  );
  const bytes = lines.map((line) => Buffer.byteLength(line));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    recordBytesPerEvent: Math.round(mean(bytes)),
    billedBytesPerEvent: Math.round(mean(bytes.map((b) => Math.ceil(b / PRICES.firehoseRecordBytes) * PRICES.firehoseRecordBytes))),
    gzipBytesPerEvent: Math.round(mean(lines.map((line) => gzipSync(line).length))),
  };
}

/** Runs every figure and writes bench/results.json and bench/RESULTS.md. */
async function runBench(io: CommandIo): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  Object.assign(process.env, LOCAL_AWS_ENV);
  const dynamoDB = await startDynamoDBLocal();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoDB.endpoint;
  process.env.STREAM_LOCAL_RUN = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const build = await buildService();
  // The peers bundled as the deployed functions were (the packaged service's esbuild options).
  const peers = await bundleLikeDeploy(
    {
      floor: fileURLToPath(new URL('./peers/floor.ts', import.meta.url)),
      powertools: fileURLToPath(new URL('./peers/powertools.ts', import.meta.url)),
      minimal: fileURLToPath(new URL('./peers/minimal.ts', import.meta.url)),
    },
    build.bundling,
  );
  try {
    const oursTable = build.functions[0]!.environment.IDEMPOTENCY_TABLE!;
    await Promise.all(
      [oursTable, 'bench-floor', 'bench-powertools'].map((name) => createIdempotencyTable(dynamoDB.endpoint, build.idempotencyTable, name)),
    );
    Object.assign(process.env, build.functions[0]!.environment);

    // Count DynamoDB requests at the client the bundles use (the CommonJS SDK, left out of the bundles).
    let requests = 0;
    /** Of them, the reads (GetItem: the legacy key's check on a first sighting), billed in read units. */
    let reads = 0;
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    const send = DynamoDBClient.prototype.send;
    DynamoDBClient.prototype.send = function countedSend(this: unknown, ...args: unknown[]) {
      requests += 1;
      if ((args[0] as object | undefined)?.constructor.name === 'GetItemCommand') reads += 1;
      return (send as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof send;

    const load = (file: string, exported = 'handler') => (require(file) as Record<string, Handler>)[exported]!;
    const fileOf = (name: string) => build.functions.find((fn) => fn.name === name)!.handlerFile;
    process.env.IDEMPOTENCY_TABLE = 'bench-floor';
    const floor = load(peers.files.floor!);
    process.env.IDEMPOTENCY_TABLE = 'bench-powertools';
    const powertools = load(peers.files.powertools!);
    process.env.IDEMPOTENCY_TABLE = oursTable;
    const oursMessages = load(fileOf('messages'));
    const oursUsers = load(fileOf('users'));

    // ---- Figures 1 and 2: latency and DynamoDB requests per event ------------------------------------------
    const gzipDelivery = (json: string, id: string) => snsLambdaEvent(encodeMessage(json, MessageEncoding.Base64Gzip), { messageId: id });
    const newEvents = Array.from({ length: SIZES.latencyEvents }, (_, i) => gzipDelivery(eventOfSize(4_000, `new-${i}`), `n${i}`));
    const foreignForPeers = Array.from({ length: SIZES.latencyEvents }, (_, i) =>
      gzipDelivery(eventOfSize(4_000, `foreign-${i}`), `f${i}`),
    );
    const peersByName = { floor, powertools, ours: oursMessages } as const;
    type Peer = keyof typeof peersByName;
    const latencies: Record<Peer, Record<'new' | 'duplicate' | 'foreign', number[]>> = {
      floor: { new: [], duplicate: [], foreign: [] },
      powertools: { new: [], duplicate: [], foreign: [] },
      ours: { new: [], duplicate: [], foreign: [] },
    };
    const requestCounts: Record<Peer, Record<'new' | 'duplicate' | 'foreign', number>> = {
      floor: { new: 0, duplicate: 0, foreign: 0 },
      powertools: { new: 0, duplicate: 0, foreign: 0 },
      ours: { new: 0, duplicate: 0, foreign: 0 },
    };
    const order: Peer[] = ['floor', 'powertools', 'ours'];
    const measure = async (peer: Peer, kind: 'new' | 'duplicate' | 'foreign', event: unknown) => {
      // Ours has a guard: another category's event goes to a function that does not own it.
      const handler = kind === 'foreign' && peer === 'ours' ? oursUsers : peersByName[peer];
      const before = requests;
      const started = performance.now();
      const result = await handler(event, lambdaContext({ functionName: `bench-${peer}` }));
      latencies[peer][kind].push(performance.now() - started);
      requestCounts[peer][kind] += requests - before;
      return result;
    };
    // Warm every path first, as a warm Lambda container would be.
    const warm = gzipDelivery(eventOfSize(4_000, 'warm'), 'w');
    await quietly(async () => {
      for (const peer of order) for (let i = 0; i < 2; i += 1) await peersByName[peer](warm, lambdaContext({ functionName: 'warm' }));
      await oursUsers(warm, lambdaContext({ functionName: 'warm' }));
    });
    const readsBeforeNew = reads;
    const { loggedBytes: oursNewLogBytes } = await quietly(async () => {
      for (let i = 0; i < newEvents.length; i += 1) {
        // Rotate the order so no peer always runs first.
        for (let k = 0; k < order.length; k += 1) {
          const peer = order[(i + k) % order.length]!;
          if (peer !== 'ours') await measure(peer, 'new', newEvents[i]);
        }
        await measure('ours', 'new', newEvents[i]);
      }
    });
    // Every peer measured reads; only ours reads (its legacy key), and only on a new event.
    const oursReadsPerNewEvent = (reads - readsBeforeNew) / SIZES.latencyEvents;
    await quietly(async () => {
      for (let i = 0; i < newEvents.length; i += 1) {
        for (let k = 0; k < order.length; k += 1) await measure(order[(i + k) % order.length]!, 'duplicate', newEvents[i]);
        for (let k = 0; k < order.length; k += 1) {
          const peer = order[(i + k) % order.length]!;
          await measure(peer, 'foreign', peer === 'ours' ? newEvents[i] : foreignForPeers[i]);
        }
      }
    });
    const latency = Object.fromEntries(
      order.map((peer) => [
        peer,
        Object.fromEntries(
          (['new', 'duplicate', 'foreign'] as const).map((kind) => [
            kind,
            { medianMs: round(percentile(latencies[peer][kind], 50)), p99Ms: round(percentile(latencies[peer][kind], 99)) },
          ]),
        ),
      ]),
    ) as Record<Peer, Record<'new' | 'duplicate' | 'foreign', { medianMs: number; p99Ms: number }>>;
    const ratio = (a: Peer, b: Peer, kind: 'new' | 'duplicate' | 'foreign') => round(latency[a][kind].medianMs / latency[b][kind].medianMs);
    const latencyRatios = Object.fromEntries(
      (['new', 'duplicate', 'foreign'] as const).map((kind) => [
        kind,
        { oursOverPowertools: ratio('ours', 'powertools', kind), oursOverFloor: ratio('ours', 'floor', kind) },
      ]),
    ) as Record<'new' | 'duplicate' | 'foreign', { oursOverPowertools: number; oursOverFloor: number }>;
    const requestsPerEvent = Object.fromEntries(
      order.map((peer) => [
        peer,
        Object.fromEntries(Object.entries(requestCounts[peer]).map(([kind, n]) => [kind, round(n / SIZES.latencyEvents, 2)])),
      ]),
    ) as Record<Peer, Record<'new' | 'duplicate' | 'foreign', number>>;

    // ---- Figure 3: CPU cost of the drop path ---------------------------------------------------------------
    const dropPath: Record<string, { cpuMicrosPerEvent: number; jsonParseMicros: number; ratio: number } | { notDeliverable: string }> = {};
    for (const [label, bytes, iterations] of [
      ['4KB', 4_000, 3_000],
      ['200KB', 200_000, 150],
    ] as const) {
      const json = eventOfSize(bytes, `drop-${label}`);
      const parseCost = cpuMicros(iterations, () => JSON.parse(json));
      for (const encoding of Object.values(MessageEncoding)) {
        const event = snsLambdaEvent(encodeMessage(json, encoding), { messageId: 'drop' });
        if (event.Records[0]!.Sns.Message.length > DECODE_LIMITS.maxMessageBytes) {
          dropPath[`${label}.${encoding}`] = { notDeliverable: 'over the 256 KiB SNS carries once encoded' };
          continue;
        }
        if (decodeMessageText(event.Records[0]!.Sns.Message).text.length !== json.length) throw new Error('drop path payload mismatch');
        const context = lambdaContext({ functionName: 'drop' });
        for (let i = 0; i < 200; i += 1) await oursUsers(event, context);
        const started = process.cpuUsage();
        for (let i = 0; i < iterations; i += 1) await oursUsers(event, context);
        const used = process.cpuUsage(started);
        const micros = (used.user + used.system) / iterations;
        dropPath[`${label}.${encoding}`] = {
          cpuMicrosPerEvent: round(micros, 1),
          jsonParseMicros: round(parseCost, 1),
          ratio: round(micros / parseCost, 2),
        };
      }
    }

    // ---- Figure 3b: CPU cost of the event key -----------------------------------------------------------------
    // Paid once per owned event, before Powertools hashes the key again: RFC 8785 canonical JSON, then SHA-256.
    // Beside it, what version 1 of the key cost: SHA-256 of the text as it arrived.
    const eventKeyCost: Record<string, { canonicalKeyMicros: number; textHashMicros: number; bytes: number }> = {};
    const keyedEvents: Array<[string, string, number]> = [
      ...samples().map((sample): [string, string, number] => [sample.type, sample.json, 5_000]),
      ['message.new, 200KB', eventOfSize(200_000, 'key-200KB'), 100],
    ];
    for (const [label, json, iterations] of keyedEvents) {
      const event = JSON.parse(json) as object;
      eventKeyCost[label] = {
        bytes: json.length,
        canonicalKeyMicros: round(
          cpuMicros(iterations, () => eventKey(event)),
          1,
        ),
        textHashMicros: round(
          cpuMicros(iterations, () => createHash('sha256').update(json).digest('base64url')),
          1,
        ),
      };
    }

    // ---- Figure 4: throughput through the local fan-out ----------------------------------------------------
    // The floor runs through the same harness (the local execution environments: a pool of workers per function,
    // one invocation each, events as JSON text), so that the ratio compares pipelines, not a pipeline with a bare
    // loop; the bare in-process loop is reported beside it.
    const fanOutEnvironment = {
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDB.endpoint,
      STREAM_LOCAL_RUN: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const deliverConcurrently = async (deliver: (lambdaEvent: string) => Promise<unknown>, lambdaEvents: string[]) => {
      const limit = pLimit(SIZES.concurrency);
      const started = performance.now();
      await Promise.all(lambdaEvents.map((lambdaEvent) => limit(() => deliver(lambdaEvent))));
      return lambdaEvents.length / ((performance.now() - started) / 1000);
    };
    const floorEvents = (prefix: string) =>
      Array.from({ length: SIZES.throughputEvents }, (_, i) =>
        JSON.stringify(gzipDelivery(eventOfSize(4_000, `${prefix}-${i}`), `${prefix}${i}`)),
      );
    const fanOutOptions = {
      environment: fanOutEnvironment,
      retryDelaysMs: [250, 500],
      onLogLine: () => undefined,
      deadLetterDir: mkdtempSync(join(tmpdir(), 'bench-dead-letters-')),
    };
    const owner = build.functions.find((fn) => fn.name === 'messages')!;
    // The floor with the owner's settings (memory, timeout, concurrency), so that only the code differs.
    const floorFanOut = new LocalFanOut(
      [
        {
          ...owner,
          name: 'floor',
          functionName: 'bench-floor',
          handlerFile: peers.files.floor!,
          handlerExport: 'handler',
          environment: { IDEMPOTENCY_TABLE: 'bench-floor' },
        },
      ],
      fanOutOptions,
    );
    const fanOut = new LocalFanOut(build.functions, fanOutOptions);
    await floorFanOut.deliver(JSON.stringify(warm));
    await fanOut.deliver(JSON.stringify(warm));
    // The owner alone: the messages function with only message.new events, to tell the owner's path from the
    // cost of running five functions on two cores.
    const ownerOnly = new LocalFanOut([owner], fanOutOptions);
    const messageNewSample = samples()
      .filter((sample) => sample.type === 'message.new')
      .map((sample) => sample.event);
    // Rounds alternate between the three, and each keeps its best: the first rounds warm the workers' JIT, and a
    // busy moment of the shared machine should not decide the ratio.
    let floorThroughput = 0;
    let oursThroughput = 0;
    let ownerOnlyThroughput = 0;
    for (let round = 0; round < SIZES.throughputRounds; round += 1) {
      floorThroughput = Math.max(
        floorThroughput,
        await deliverConcurrently((lambdaEvent) => floorFanOut.deliver(lambdaEvent), floorEvents(`tp-floor-${round}`)),
      );
      const deliveries = synthesize(
        samples().map((sample) => sample.event),
        { count: SIZES.throughputEvents, duplicates: 0.2, prefix: `tp-${round}` },
      );
      oursThroughput = Math.max(
        oursThroughput,
        await deliverConcurrently(
          (lambdaEvent) => fanOut.deliver(lambdaEvent),
          deliveries.map((d) => d.lambdaEvent),
        ),
      );
      const owned = synthesize(messageNewSample, { count: SIZES.throughputEvents, duplicates: 0.2, prefix: `tp-owner-${round}` });
      ownerOnlyThroughput = Math.max(
        ownerOnlyThroughput,
        await deliverConcurrently(
          (lambdaEvent) => ownerOnly.deliver(lambdaEvent),
          owned.map((d) => d.lambdaEvent),
        ),
      );
    }
    await Promise.all([floorFanOut.close(), fanOut.close(), ownerOnly.close()]);
    const floorInProcess = await deliverConcurrently(
      (lambdaEvent) => floor(JSON.parse(lambdaEvent), lambdaContext({ functionName: 'floor' })),
      floorEvents('tp-bare'),
    );
    const throughput = {
      oursEventsPerSecond: round(oursThroughput, 0),
      floorEventsPerSecond: round(floorThroughput, 0),
      floorInProcessEventsPerSecond: round(floorInProcess, 0),
      ratio: round(oursThroughput / (floorThroughput / 2), 2),
      ratioToInProcessFloor: round(oursThroughput / (floorInProcess / 2), 2),
      ownerOnlyEventsPerSecond: round(ownerOnlyThroughput, 0),
      ownerOnlyRatio: round(ownerOnlyThroughput / (floorThroughput / 2), 2),
      deadLetters: fanOut.deadLetters.total + ownerOnly.deadLetters.total + floorFanOut.deadLetters.total,
    };

    // ---- Figure 5: zip sizes and cold import --------------------------------------------------------------
    // Runs alternate between the files, so that a busy moment of the machine weighs on all of them alike.
    const importOnce = (file: string) =>
      Number(
        execFileSync(
          process.execPath,
          ['-e', `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`],
          {
            env: { ...process.env, NODE_OPTIONS: '' },
          },
        ).toString(),
      );
    const importFiles = { minimal: peers.files.minimal!, ...Object.fromEntries(build.functions.map((fn) => [fn.name, fn.handlerFile])) };
    const importRuns: Record<string, number[]> = Object.fromEntries(Object.keys(importFiles).map((name) => [name, []]));
    for (let run = 0; run < SIZES.coldImportRuns; run += 1) {
      for (const [name, file] of Object.entries(importFiles)) importRuns[name]!.push(importOnce(file));
    }
    const minimalImportMs = percentile(importRuns.minimal!, 50);
    const perFunction = Object.fromEntries(
      Object.entries(build.zipBytes).map(([name, zipBytes]) => {
        const runs = importRuns[name];
        const importMs = runs === undefined ? undefined : percentile(runs, 50);
        return [
          name,
          {
            zipBytes,
            ...(importMs === undefined ? {} : { coldImportMs: round(importMs, 1), coldImportRatio: round(importMs / minimalImportMs, 2) }),
          },
        ];
      }),
    );

    // ---- Figure 6: invocations per event in each routing mode, and cost per million events ----------------------
    // One run: the same mix of event types (settings.ts, EVENT_MIX) through the local stack in each mode, which
    // routes as Stream and SNS would (emulator/local-sns.ts); the invocations are counted from what the functions
    // reported, the publishes from the topics each delivery reached.
    const mix = mixedSamples();
    const routing: Record<
      string,
      {
        events: number;
        processed: number;
        invocationsPerEvent: number;
        /** Per event of a named category (messages, channels, users, moderation), and per event of `other`. */
        invocationsPerNamedEvent: number;
        invocationsPerOtherEvent: number;
        publishesPerEvent: number;
      }
    > = {};
    const perEvent = (results: readonly DeliveryResult[]) =>
      round(results.reduce((sum, result) => sum + result.invocations, 0) / Math.max(1, results.length), 3);
    for (const [label, settings] of Object.entries(ROUTING_MODES)) {
      const stack = await startLocalStack({
        build,
        endpoint: dynamoDB.endpoint,
        environment: { IDEMPOTENCY_TABLE: `bench-routing-${label.replace(/[^a-z0-9]+/gi, '-')}` },
        routing: settings,
        deadLetterDir: fanOutOptions.deadLetterDir,
      });
      try {
        const deliveries = synthesize(mix, { count: SIZES.routingEvents, duplicates: 0, prefix: `routing-${label}` });
        const publishes = deliveries.reduce((sum, d) => sum + publicationsOf(d.lambdaEvent, stack.routing!).length, 0);
        const delivered = await stack.deliverAll(deliveries, SIZES.concurrency);
        routing[label] = {
          events: deliveries.length,
          processed: delivered.filter((result) => result.outcome === 'processed').length,
          invocationsPerEvent: perEvent(delivered),
          invocationsPerNamedEvent: perEvent(delivered.filter((result) => categoryOf(result.type ?? '') !== 'other')),
          invocationsPerOtherEvent: perEvent(delivered.filter((result) => categoryOf(result.type ?? '') === 'other')),
          publishesPerEvent: round(publishes / deliveries.length, 3),
        };
      } finally {
        await stack.stop();
      }
    }
    const archived = archiveBytes(mix);
    const billedMs = (ms: number) => Math.max(1, Math.ceil(ms));
    const gbSeconds = (ms: number) => (billedMs(ms) / 1000) * PRICES.lambdaMemoryGb;
    const ownerMs = latency.ours.new.medianMs;
    const dropMs = latency.ours.foreign.medianMs;
    const logBytesPerOwnedEvent = oursNewLogBytes / SIZES.latencyEvents;
    const writesPerNewEvent = requestsPerEvent.ours.new - oursReadsPerNewEvent;
    const costOf = ({ invocationsPerEvent, publishesPerEvent }: { invocationsPerEvent: number; publishesPerEvent: number }) => {
      const items = {
        lambdaRequests: round(invocationsPerEvent * PRICES.lambdaPerMillionRequests, 2),
        lambdaDurationOwner: round(1e6 * gbSeconds(ownerMs) * PRICES.lambdaPerGbSecondArm, 2),
        lambdaDurationDropPath: round((invocationsPerEvent - 1) * 1e6 * gbSeconds(dropMs) * PRICES.lambdaPerGbSecondArm, 2),
        dynamoDbWrites: round(writesPerNewEvent * PRICES.dynamoDbPerMillionWriteUnits, 2),
        // Powertools reads a record with ConsistentRead: one read unit per GetItem of up to 4 KB.
        dynamoDbReads: round(oursReadsPerNewEvent * PRICES.dynamoDbPerMillionReadUnits, 2),
        snsPublishes: round(publishesPerEvent * PRICES.snsPerMillionPublishes, 2),
        logsIngestion: round(((logBytesPerOwnedEvent * 1e6) / 1024 ** 3) * PRICES.logsPerGbIngested, 2),
        archiveFirehose: round(((archived.billedBytesPerEvent * 1e6) / 1024 ** 3) * PRICES.firehosePerGbIngested, 2),
        archiveS3: round(((archived.gzipBytesPerEvent * 1e6) / 1024 ** 3) * PRICES.s3PerGbMonth * ARCHIVE_MONTHS, 2),
      };
      const total = round(
        Object.values(items).reduce((a, b) => a + b, 0),
        2,
      );
      return { ...items, total, totalIfStreamPaysPublishes: round(total - items.snsPublishes, 2) };
    };
    const costPerMillion = Object.fromEntries(Object.entries(routing).map(([label, figures]) => [label, costOf(figures)]));
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        // The load when the run began and ended: on a shared machine, what else competed for the cores.
        loadAverage: { atStart: round(loadAtStart, 1), atEnd: round(loadavg()[0]!, 1) },
      },
      latency,
      latencyRatios,
      requestsPerEvent,
      dropPath,
      eventKeyCost,
      throughput,
      perFunction,
      minimalColdImportMs: round(minimalImportMs, 1),
      routing,
      costPerMillionEvents: {
        ...costPerMillion,
        fixedPerMonth: { dashboard: PRICES.dashboardPerMonth },
        assumptions: {
          ownerBilledMs: billedMs(ownerMs),
          dropPathBilledMs: billedMs(dropMs),
          logBytesPerOwnedEvent: Math.round(logBytesPerOwnedEvent),
          writesPerNewEvent: round(writesPerNewEvent, 2),
          readsPerNewEvent: round(oursReadsPerNewEvent, 2),
          archive: archived,
          mix: EVENT_MIX,
          prices: PRICES,
          pricesConsulted: PRICES_CONSULTED,
          publishesPaidBy: 'the topic owner (the customer), the conservative case; totalIfStreamPaysPublishes shows the other',
        },
      },
      targets: TARGETS,
    };
    writeFileSync(`${BENCH_DIR}results.json`, `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderResults(results);
    writeFileSync(`${BENCH_DIR}RESULTS.md`, markdown);
    io.stdout(`${markdown}\n`);
  } finally {
    peers.remove();
    build.remove();
    await dynamoDB.stop();
  }
}

/** CPU microseconds per call of `work`, after a warm-up. */
function cpuMicros(iterations: number, work: () => unknown): number {
  for (let i = 0; i < Math.min(50, iterations); i += 1) work();
  const started = process.cpuUsage();
  for (let i = 0; i < iterations; i += 1) work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / iterations;
}

/** `npm run bench`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand(
    'npm run bench --',
    'Measure what one Stream event costs through the template, beside its floor and its peers; write bench/RESULTS.md.',
    io,
  );
  return runCommand(command, argv, io, async () => {
    await runBench(io);
    return ExitStatus.Ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
