/**
 * The command lines of every command (`main(argv, io)`, in-process): `--help` prints the usage and exits 0, misuse
 * exits 2 saying what is wrong (with a suggestion for a misspelt flag), and no misuse reaches the run itself. The
 * runs are tested in the end-to-end files.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main as bench } from '../../bench/run.js';
import { main as mutation } from '../../mutation/run.js';
import { main as drawDashboard } from '../../scripts/draw-dashboard.js';
import { main as events } from '../../scripts/generate-events.js';
import { main as redrive } from '../../scripts/redrive.js';
import { main as replay } from '../../scripts/replay.js';
import { main as reprocess } from '../../scripts/reprocess.js';
import { main as soak } from '../../scripts/soak.js';
import { main as start } from '../../scripts/start.js';
import { COMMAND_FILES, capturedIo } from '../support/command-io.js';

const COMMANDS = { start, replay, soak, redrive, reprocess, events, 'draw-dashboard': drawDashboard, bench, mutation } as const;

async function run(command: keyof typeof COMMANDS, argv: string[]) {
  const io = capturedIo();
  const code = await COMMANDS[command](argv, io);
  return { code, out: io.out, err: io.err };
}

describe('--help', () => {
  it.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)(
    '%s: prints the usage with every option and exits 0, running nothing',
    async (command) => {
      // Act
      const { code, out, err } = await run(command, ['--help']);

      // Assess
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: npm (start|run [\w-]+) --/);
      expect(out).toContain('-h, --help');
      expect(err).toBe('');
    },
  );
});

describe('a misspelt or unknown flag', () => {
  it.each([
    ['start', '--jsonn', '--json'],
    ['start', '--endpiont', '--endpoint'],
    ['replay', '--generat', '--generate'],
    ['soak', '--evnts', '--events'],
    ['redrive', '--dry-runn', '--dry-run'],
    ['events', '--hepl', '--help'],
  ] as const)('%s %s: exits 2 and suggests %s', async (command, typed, meant) => {
    // Act
    const { code, err } = await run(command, [typed]);

    // Assess
    expect(code).toBe(2);
    expect(err).toContain(`'${typed}'`);
    expect(err).toMatch(new RegExp(`Did you mean ${meant}\\b`));
  });

  it('npm start refuses a flag that is nothing like its own, and arguments it does not take', async () => {
    // Act
    const flag = await run('start', ['--no-such-thing']);
    const argument = await run('start', ['events/']);

    // Assess
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('--no-such-thing');
    expect(argument.code).toBe(2);
    expect(argument.err).toMatch(/too many arguments/);
  });
});

describe('values the options do not take', () => {
  it.each([
    ['replay', ['--encoding', 'gzip', 'x.json'], 'base64-gzip'],
    ['replay', ['--concurrency', '0', 'x.json'], 'at least 1'],
    ['replay', ['--port', '70000', 'x.json'], 'from 0 to 65535'],
    ['replay', ['--endpoint', '127.0.0.1:8000', 'x.json'], 'http or https URL'],
    ['soak', ['--events', 'many'], 'integer'],
    ['soak', ['--failures', '1'], 'from 0 to 1 (exclusive)'],
    ['start', ['--endpoint', 'localhost'], 'http or https URL'],
    ['reprocess', ['--from', 'x', '--since', 'yesterday'], 'ISO 8601 time'],
    ['reprocess', ['--from', 'x', '--rate', '0'], 'from 1 to 1000'],
    ['reprocess', ['--from', 'x', '--category', 'chat'], 'messages'],
    ['reprocess', ['--from', 'x', '--force', 'a b'], '1 to 64 characters of A-Z'],
    ['reprocess', ['--from', 'x', '--forse', 'a'], 'Did you mean --force'],
  ] as const)('%s %j: exits 2 naming what is allowed', async (command, argv, allowed) => {
    // Act
    const { code, err } = await run(command, [...argv]);

    // Assess
    expect(code).toBe(2);
    expect(err).toContain(allowed);
  });

  it('replay --duplicates: the usage states the range that the check enforces, bound included or not', async () => {
    // Act
    const usage = (await run('replay', ['--help'])).out.replace(/\s+/g, ' ');
    const atBound = await run('replay', ['--generate', '10', '--duplicates', '1']);
    const inside = await run('replay', ['--duplicates', '0.999', 'x.json']);

    // Assess: 1 is refused as the usage says; 0.999 passes the check and is refused only for lacking --generate.
    expect(usage).toContain('--duplicates <share> with --generate: share of repeated deliveries, from 0 to 1 (exclusive)');
    expect(atBound.code).toBe(2);
    expect(atBound.err).toContain('from 0 to 1 (exclusive)');
    expect(inside.code).toBe(2);
    expect(inside.err).toContain('--duplicates goes with --generate');
  });
});

describe('options that do not go together', () => {
  it.each([
    ['replay', [], 'give at least one file or folder'],
    ['replay', ['--generate', '5', 'x.json'], 'not both'],
    [
      'replay',
      ['--port', '8000', '--endpoint', 'http://127.0.0.1:8000', 'x.json'],
      "'--port <port>' cannot be used with option '--endpoint <url>'",
    ],
    ['redrive', [], 'give either --from'],
    ['redrive', ['--from', 'a.jsonl', '--queue', 'q'], 'give either --from'],
    ['redrive', ['--queue', 'q', '--build', '.'], '--build goes with --from'],
    ['redrive', ['--queue', 'q', '--routing', 'single-topic'], '--routing goes with --from'],
    ['redrive', ['--queue', 'q', '--no-catch-all'], '--[no-]catch-all goes with --from'],
    ['redrive', ['--from', 'a.jsonl', '--routing', 'per-categroy'], 'per-category'],
    ['redrive', ['--from', 'a.jsonl', '--region', 'eu-west-1'], '--region goes with --queue'],
    ['reprocess', [], "'--from <source>' not specified"],
    ['reprocess', ['--from', 's3://b', '--build', '.'], '--build goes with a folder'],
    ['reprocess', ['--from', '.local/archive', '--stack', 's'], '--stack goes with --from s3://'],
    ['reprocess', ['--from', 's3://b', '--stack', 's', '--function-prefix', 'p-'], 'not both'],
    ['reprocess', ['--from', 's3://b', '--stack', 's'], 'needs --since'],
    ['reprocess', ['--from', 's3://b', '--since', '2026-12-01'], 'needs --stack'],
    ['mutation', ['--fold'], '--fold needs the files to mutate again'],
    ['mutation', ['--fold', 'scripts/cli.ts'], 'outside the mutated folders'],
  ] as const)('%s %j: exits 2 saying why', async (command, argv, why) => {
    // Act
    const { code, err } = await run(command, [...argv]);

    // Assess
    expect(code).toBe(2);
    expect(err).toContain(why);
  });
});

describe('the npm scripts', () => {
  it('run each command with tsx from the file whose main these tests call', () => {
    // Prepare
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

    // Act
    const run = Object.fromEntries(Object.keys(COMMAND_FILES).map((name) => [name, scripts[name]]));

    // Assess
    expect(run).toEqual(Object.fromEntries(Object.entries(COMMAND_FILES).map(([name, file]) => [name, `tsx ${file}`])));
  });
});
