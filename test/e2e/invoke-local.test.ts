/**
 * `serverless invoke local` as the README gives it, on a copy of the project as a fresh clone has it after `npm ci`
 * (no `.local/`, no build), with no AWS credentials, no DynamoDB endpoint and an empty home folder: the plugin
 * starts DynamoDB Local and creates the table (template/invoke-local.ts), the sample is processed, the same event
 * again is a duplicate, and a bare Stream event is refused with what to pass instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/processes.js';
import { copyProject } from '../support/serverless-cli.js';

let project: ReturnType<typeof copyProject>;
let home: string;

beforeAll(() => {
  project = copyProject();
  home = mkdtempSync(join(tmpdir(), 'empty-home-'));
});

afterAll(() => {
  project?.remove();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

/** The README's command, in the copy, with only PATH and an empty HOME from this machine. */
const invokeLocal = (eventFile: string) =>
  runProcess(join(project.dir, 'node_modules/.bin/serverless'), ['invoke', 'local', '-f', 'messages', '-p', eventFile], {
    cwd: project.dir,
    baseEnv: { PATH: process.env.PATH ?? '', HOME: home, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    timeoutMs: 180_000,
  });

/** The JSON lines the function logged (Powertools' structured lines). */
const logLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{"level"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('serverless invoke local on a fresh copy', () => {
  it('processes the sample, answers duplicate the second time, and refuses a bare Stream event', { tags: ['child-process'] }, async () => {
    // Prepare
    const bareEvent = join(project.dir, 'bare-event.json');
    writeFileSync(bareEvent, JSON.stringify({ type: 'message.new', cid: 'messaging:general' }));

    // Act
    const first = await invokeLocal('events/message.new.base64-gzip.json');
    const second = await invokeLocal('events/message.new.base64-json.json');
    const bare = await invokeLocal(bareEvent);

    // Assess
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/"outcome": "processed"/);
    const [newMessage] = logLines(first.stdout).filter((line) => line.message === 'New message');
    expect(newMessage).toMatchObject({ cold_start: true, function_memory_size: '256', function_name: 'stream-chat-events-dev-messages' });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/"outcome": "duplicate"/);
    expect(bare.code).not.toBe(0);
    expect(bare.stdout + bare.stderr).toMatch(/bare Stream event \(type "message\.new"\).*events\/<type>\.base64-gzip\.json/s);
  });
});
