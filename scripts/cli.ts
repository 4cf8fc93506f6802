/**
 * The one way a command of this project reads its arguments and reports misuse: commander, configured once here.
 *
 * Every command (`npm start`, `replay`, `setup`, `soak`, `redrive`, ...) is a `main(argv, io)` that builds its
 * {@link Command} with {@link defineCommand} and runs it with {@link runCommand}. That gives all of them the same
 * face: generated `--help` (exit 0), choices and number checks on options, a suggestion for a misspelt flag
 * (`--jsonn` → `Did you mean --json?`), and exit status 2 for every misuse. `io` carries stdout, stderr and the
 * environment, so that tests run a command in-process and read what it printed.
 *
 * Why commander and not node:util `parseArgs`: parseArgs has no generated usage, no choices and no suggestions;
 * those three are the whole job here. Version 14 is the last that runs on Node 20.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option, type OptionValues } from 'commander';

export { Option };

/** Where a command writes and what environment it reads. Tests pass their own. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Parse the arguments and stop: exit status 0 when the command line is well formed, 2 when not, and the action
   * never runs. The documentation's test checks every documented command line this way against the real parser.
   */
  parseOnly?: boolean;
}

/** The process's own stdout, stderr and environment. */
export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** The exit statuses every command uses. */
export const ExitStatus = {
  /** Done. */
  Ok: 0,
  /** The command ran and something it did failed (the output says what). */
  Failed: 1,
  /** Misuse (an unknown flag, a bad value, a missing argument) or a run that could not start. */
  Usage: 2,
} as const;

/** One of the {@link ExitStatus} values. */
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** Misuse found after parsing (two flags that exclude each other, say): exit status 2, with the usage hint. */
export class UsageError extends Error {
  public override readonly name = 'UsageError';
}

/**
 * A command named as the user types it (`npm run replay --`), with the project's settings: errors and help go
 * to `io`, and misuse throws instead of exiting, so that {@link runCommand} can return the status.
 */
export function defineCommand(name: string, description: string, io: CommandIo): Command {
  return new Command(name)
    .description(description)
    .helpOption('-h, --help', 'print this help and exit')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .exitOverride();
}

/**
 * Parses `argv` (the arguments after the command's name) and runs `action` with the options and arguments.
 *
 * @returns the action's status; 0 after `--help`; 2 on misuse, whether commander found it or the action threw a
 * {@link UsageError}. Any other error is the action's to handle: it propagates.
 */
export async function runCommand<Options extends OptionValues = OptionValues>(
  command: Command,
  argv: readonly string[],
  io: CommandIo,
  action: (options: Options, args: string[]) => Promise<number> | number,
): Promise<number> {
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version'
        ? ExitStatus.Ok
        : ExitStatus.Usage;
    }
    throw error;
  }
  if (io.parseOnly === true) return ExitStatus.Ok;
  try {
    return await action(command.opts<Options>(), command.args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message}\n(run with --help for the usage)\n`);
    return ExitStatus.Usage;
  }
}

/** An option value parser for integers within bounds (`--concurrency 8`): misuse names the flag and the range. */
export function integer(bounds: { min?: number; max?: number } = {}): (value: string) => number {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  return (value) => {
    const parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer${rangeText(min, max)}, got "${value}".`);
    }
    return parsed;
  };
}

/**
 * An option value parser for a share (`--duplicates 0.2`): a number within bounds, both inclusive unless said.
 * The usage text and the check come from the same bounds, so they cannot disagree.
 */
export function share(bounds: { min?: number; max?: number; maxExclusive?: boolean } = {}): (value: string) => number {
  const { min = 0, max = 1, maxExclusive = false } = bounds;
  return (value) => {
    const parsed = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(parsed) || parsed < min || (maxExclusive ? parsed >= max : parsed > max)) {
      throw new InvalidArgumentError(`expected a number ${shareRange(bounds)}, got "${value}".`);
    }
    return parsed;
  };
}

/** An option value parser for an http(s) URL (`--endpoint http://127.0.0.1:8000`), without a trailing slash. */
export function httpUrl(): (value: string) => string {
  return (value) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || !['http:', 'https:'].includes(url.protocol)) {
      throw new InvalidArgumentError(`expected an http or https URL such as http://127.0.0.1:8000, got "${value}".`);
    }
    return url.href.replace(/\/$/, '');
  };
}

function rangeText(min: number, max: number): string {
  if (min !== Number.MIN_SAFE_INTEGER && max !== Number.MAX_SAFE_INTEGER) return ` from ${min} to ${max}`;
  if (min !== Number.MIN_SAFE_INTEGER) return ` of at least ${min}`;
  if (max !== Number.MAX_SAFE_INTEGER) return ` of at most ${max}`;
  return '';
}

/**
 * Whether the module at `moduleUrl` is the process's entry point (`tsx scripts/start.ts`), so that a command runs
 * its `main` only then, and a test can import it and call `main` in-process.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** The text of a {@link share}'s bounds, for an option's description: the usage says what the check allows. */
export function shareRange(bounds: { min?: number; max?: number; maxExclusive?: boolean } = {}): string {
  const { min = 0, max = 1, maxExclusive = false } = bounds;
  return `from ${min} to ${max}${maxExclusive ? ' (exclusive)' : ''}`;
}
