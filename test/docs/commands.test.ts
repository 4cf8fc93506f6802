/**
 * Every command the documentation shows is one the tools accept: the README, CONTRIBUTING, docs/ and the emulator's
 * README are read, every `npm` and `npx serverless` command line in their code blocks and inline code is taken out,
 * and each is held against the tool's own parser.
 *
 * - `npm run <script>`, `npm start`, `npm test`: the script exists in package.json.
 * - Every flag a documented line names is one the command takes: the project's commands are asked for their `--help`
 *   in-process through their `main(argv, io)`; osls's commands are read from the schema its argument parser reads
 *   (osls/lib/cli/commands-schema, the table its `--help` prints: in-process, where six `serverless <cmd> --help`
 *   processes cost 7 s of CPU; neither plugin of serverless.yml adds a command or an option, so a flag only a plugin
 *   knew would fail here, never pass); Biome in a child process.
 * - A line with nothing left to fill in (no `<placeholder>`, `[optional]`, `a|b`, `...` or UPPER-CASE value) is
 *   parsed whole by the project's real parser (scripts/cli.ts, `parseOnly`): it must be well formed, values too.
 *
 * What runs for real is run by the tests of each command (test/e2e: `npm start`, replay, redrive, soak, the
 * README's `serverless invoke local`); this file checks that what the text says matches what those tools take.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../../scripts/cli.js';
import { runProcess } from '../support/processes.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  'emulator/README.md',
  ...readdirSync(join(PROJECT_DIR, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const SCRIPTS = (JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** A documented command line and where it stands. */
interface DocumentedCommand {
  document: string;
  line: string;
  /** From a fenced block, so a whole command line; inline code is often a fragment (`npm run setup`). */
  whole: boolean;
}

/** The `npm` and `npx serverless` command lines of a Markdown text: fenced shell blocks and inline code. */
function documentedCommands(document: string): DocumentedCommand[] {
  const markdown = readFileSync(join(PROJECT_DIR, document), 'utf8');
  const lines: Array<{ text: string; whole: boolean }> = [];
  for (const [, language, body] of markdown.matchAll(/```([a-z]*)\n([\s\S]*?)```/g)) {
    if (!['', 'sh', 'bash', 'shell', 'console'].includes(language!)) continue;
    const joined = body!.replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) lines.push({ text: raw.replace(/^\s*\$\s+/, '').replace(/\s+#\s.*$/, ''), whole: true });
  }
  const outsideFences = markdown.replace(/```[\s\S]*?```/g, '');
  for (const [, span] of outsideFences.matchAll(/`([^`]+)`/g)) lines.push({ text: span!.replace(/\s+/g, ' '), whole: false });
  const isCommand = (text: string) => /^(npm (run|start|test|ci)\b|npx (serverless|sls) )/.test(text);
  return lines
    .filter(({ text }) => isCommand(text.trim()))
    .flatMap(({ text, whole }) => text.split(/\s+&&\s+/).map((part) => ({ document, line: part.trim(), whole })))
    .filter(({ line }) => isCommand(line));
}

const COMMANDS = DOCUMENTS.flatMap(documentedCommands);
/** npm's own commands, which are not scripts. */
const NPM_COMMANDS = ['ci'];

/** The script a line runs and its arguments (what follows `--`), or the serverless subcommand and its flags. */
function parse(line: string): { tool: 'npm'; script: string; args: string[] } | { tool: 'serverless'; subcommand: string; args: string[] } {
  const words = line.split(/\s+/);
  if (words[0] === 'npx') {
    const rest = words.slice(2);
    const firstFlag = rest.findIndex((word) => word.startsWith('-'));
    const subcommand = (firstFlag === -1 ? rest : rest.slice(0, firstFlag)).filter((word) => /^[a-z]+$/.test(word)).join(' ');
    return { tool: 'serverless', subcommand, args: firstFlag === -1 ? [] : rest.slice(firstFlag) };
  }
  const script = words[1] === 'run' ? words[2]! : words[1]!;
  const separator = words.indexOf('--');
  return { tool: 'npm', script, args: separator === -1 ? [] : words.slice(separator + 1) };
}

/** The flags a documented argument list names, without the usage brackets around them. */
function flagsOf(args: readonly string[]): string[] {
  return args.flatMap((word) => [...word.matchAll(/(?:^|[[(|])(--?[a-zA-Z][a-zA-Z0-9-]*)/g)].map((match) => match[1]!));
}

/** Whether a line has nothing left for the reader to fill in, so that it can be parsed whole. */
function isConcrete(args: readonly string[]): boolean {
  return args.every((word) => !/[<>[\]|]|\.\.\.|^[A-Z][A-Z_]*$/.test(word));
}

function capturingIo(parseOnly: boolean): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env: process.env,
    parseOnly,
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

type Main = (argv: readonly string[], io: CommandIo) => Promise<number>;

/** The `main` of a script that package.json runs with tsx, or undefined for any other script. */
async function mainOf(script: string): Promise<Main | undefined> {
  const file = /^tsx (\S+\.ts)$/.exec(SCRIPTS[script] ?? '')?.[1];
  if (file === undefined) return undefined;
  const module = (await import(pathToFileURL(join(PROJECT_DIR, file)).href)) as { main?: Main };
  expect(module.main, `${file} exports main(argv, io)`).toBeTypeOf('function');
  return module.main;
}

const helpCache = new Map<string, Promise<string>>();

/** The `--help` text of a command: in-process for the project's own, in a child process for the others. */
function helpOf(key: string, produce: () => Promise<string>): Promise<string> {
  if (!helpCache.has(key)) helpCache.set(key, produce());
  return helpCache.get(key)!;
}

async function helpOfScript(script: string): Promise<string> {
  return helpOf(`npm ${script}`, async () => {
    const main = await mainOf(script);
    if (main !== undefined) {
      const io = capturingIo(false);
      expect(await main(['--help'], io)).toBe(0);
      return io.out;
    }
    const [binary, ...fixed] = SCRIPTS[script]!.split(' ');
    if (binary === 'serverless') return helpOfServerless(fixed.join(' '));
    const run = await runProcess(join(PROJECT_DIR, 'node_modules', '.bin', binary!), [...fixed, '--help'], { cwd: PROJECT_DIR });
    return run.stdout + run.stderr;
  });
}

/** An osls command as its parser's schema has it: its options, each with its one-letter shortcut if any. */
interface OslsCommand {
  options?: Record<string, { shortcut?: string }>;
}

const OSLS_COMMANDS = createRequire(import.meta.url)(join(PROJECT_DIR, 'node_modules/osls/lib/cli/commands-schema/aws-service.js')) as Map<
  string,
  OslsCommand
>;

/** The options of an osls command, one `--name, -x` per line as its `--help` prints them; "unrecognized command" else. */
function helpOfServerless(subcommand: string): Promise<string> {
  return helpOf(`serverless ${subcommand}`, async () => {
    const command = OSLS_COMMANDS.get(subcommand);
    if (command === undefined) return `unrecognized command "${subcommand}"`;
    return Object.entries(command.options ?? {})
      .map(([name, { shortcut }]) => (shortcut === undefined ? `--${name}` : `--${name}, -${shortcut}`))
      .join('\n');
  });
}

describe('the documented commands', () => {
  it('are found in every document (the extraction itself works)', () => {
    // Assess: the README shows the two commands of its map, and docs/ its deeper ones.
    const lines = COMMANDS.map(({ line }) => line);
    expect(lines).toContain('npm test');
    expect(lines.some((line) => line.startsWith('npm start'))).toBe(true);
    expect(lines.some((line) => line.startsWith('npm run setup --'))).toBe(true);
    expect(lines.some((line) => line.startsWith('npx serverless deploy'))).toBe(true);
  });

  it.each(COMMANDS.map((command) => [`${command.document}: ${command.line}`, command] as const))('%s', async (_, { line, whole }) => {
    // Prepare
    const parsed = parse(line);
    const flags = flagsOf(parsed.args);
    // Act
    const help = parsed.tool === 'npm' ? await helpOfScriptIfAny(parsed.script) : await helpOfServerless(parsed.subcommand);
    // Assess: the script exists, and every flag is one the tool lists.
    if (parsed.tool === 'npm') {
      if (!NPM_COMMANDS.includes(parsed.script))
        expect(Object.keys(SCRIPTS), `package.json has the script "${parsed.script}"`).toContain(parsed.script);
    } else expect(help, `serverless knows "${parsed.subcommand}"`).not.toMatch(/not supported|unrecognized command/i);
    for (const flag of flags)
      expect(help, `${flag} is an option of ${line.split(' --')[0]}`).toMatch(new RegExp(`(^|[\\s,/])${flag}(?![a-zA-Z0-9-])`, 'm'));
    if (parsed.tool === 'npm' && whole && isConcrete(parsed.args)) {
      const main = await mainOf(parsed.script);
      if (main !== undefined) {
        const io = capturingIo(true);
        const status = await main(parsed.args, io);
        expect({ status, stderr: io.err }, `the parser takes: ${line}`).toEqual({ status: 0, stderr: '' });
      }
    }
  });
});

async function helpOfScriptIfAny(script: string): Promise<string> {
  return script in SCRIPTS && !['test', 'typecheck'].includes(script) ? helpOfScript(script) : '';
}
