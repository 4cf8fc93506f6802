import { describe, expect, it } from 'vitest';
import {
  type CommandIo,
  defineCommand,
  ExitStatus,
  httpUrl,
  integer,
  Option,
  runCommand,
  share,
  shareRange,
  UsageError,
} from '../../scripts/cli.js';
import { capturedIo as capture } from '../support/command-io.js';

function sample(io: CommandIo) {
  return defineCommand('npm run sample --', 'A sample command.', io)
    .option('--json', 'print JSON')
    .addOption(new Option('--encoding <encoding>', 'how to wrap').choices(['raw-json', 'base64-gzip']).default('base64-gzip'))
    .option('--concurrency <n>', 'in flight at once', integer({ min: 1 }), 8)
    .option('--duplicates <share>', 'repeated share', share({ max: 1, maxExclusive: true }), 0.2)
    .argument('[paths...]', 'files');
}

describe('runCommand', () => {
  it('hands the parsed options and arguments to the action', async () => {
    // Prepare
    const io = capture();
    let seen: unknown;
    // Act
    const status = await runCommand(sample(io), ['--json', '--concurrency', '3', 'a.json', 'b'], io, (options, args) => {
      seen = { options, args };
      return ExitStatus.Ok;
    });
    // Assess
    expect(status).toBe(0);
    expect(seen).toEqual({ options: { json: true, encoding: 'base64-gzip', concurrency: 3, duplicates: 0.2 }, args: ['a.json', 'b'] });
  });

  it('prints the generated usage on --help and exits 0 without running the action', async () => {
    const io = capture();
    let ran = false;
    const status = await runCommand(sample(io), ['--help'], io, () => {
      ran = true;
      return 0;
    });
    expect({ status, ran }).toEqual({ status: 0, ran: false });
    expect(io.out).toContain('--concurrency <n>');
    expect(io.out).toContain('"raw-json", "base64-gzip"');
  });

  it('suggests the flag a misspelt one was meant to be, and exits 2', async () => {
    const io = capture();
    const status = await runCommand(sample(io), ['--jsonn'], io, () => 0);
    expect(status).toBe(ExitStatus.Usage);
    expect(io.err).toContain('--jsonn');
    expect(io.err).toContain('--json');
    expect(io.err).toMatch(/did you mean/i);
  });

  it.each([
    [['--encoding', 'gzip'], 'raw-json'],
    [['--concurrency', '0'], 'at least 1'],
    [['--concurrency', '1.5'], 'integer'],
    [['--duplicates', '1'], '(exclusive)'],
    [['--duplicates', 'x'], 'number'],
  ])('refuses %j with exit 2, naming what is allowed', async (argv, allowed) => {
    const io = capture();
    const status = await runCommand(sample(io), argv, io, () => 0);
    expect(status).toBe(2);
    expect(io.err).toContain(allowed);
  });

  it('turns a UsageError thrown by the action into exit 2 with its message', async () => {
    const io = capture();
    const status = await runCommand(sample(io), [], io, () => {
      throw new UsageError('give at least one file');
    });
    expect(status).toBe(2);
    expect(io.err).toContain('give at least one file');
  });

  it('lets any other error of the action propagate', async () => {
    const io = capture();
    await expect(runCommand(sample(io), [], io, () => Promise.reject(new TypeError('boom')))).rejects.toThrow('boom');
  });
});

describe('integer and share', () => {
  it('accept the bounds themselves', () => {
    expect(integer({ min: 1, max: 3 })('3')).toBe(3);
    expect(share()('1')).toBe(1);
    expect(share()('0')).toBe(0);
  });
});

describe('httpUrl', () => {
  it('takes an http(s) URL without its trailing slash, and refuses anything else naming what it expects', () => {
    // Act
    const parse = httpUrl();

    // Assess
    expect(parse('http://127.0.0.1:8000/')).toBe('http://127.0.0.1:8000');
    for (const bad of ['127.0.0.1:8000', 'ftp://host', '']) expect(() => parse(bad)).toThrow(/expected an http or https URL/);
  });
});

describe('shareRange', () => {
  it('says the bounds share() checks, so a usage line and the check cannot disagree', () => {
    // Prepare
    const bounds = { min: 0, max: 1, maxExclusive: true };

    // Act
    const text = shareRange(bounds);

    // Assess
    expect(text).toBe('from 0 to 1 (exclusive)');
    expect(() => share(bounds)('1')).toThrow(text);
  });
});
