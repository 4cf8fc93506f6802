/** Runs the real `serverless` command (osls), offline, with no AWS credentials, on this project or a copy of it. */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVERLESS_COMPILE_CACHE, stagedService } from '../../emulator/index.js';
import { runProcess } from './processes.js';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Where and how to run the command. */
interface ServerlessRun {
  /** Environment on top of the minimal one (PATH, HOME, telemetry off). */
  env?: Record<string, string>;
  /** The project to run in; this one by default. */
  projectDir?: string;
  /**
   * A package folder (`--package`) that already holds every function's zip, built from these same sources: the
   * staged copy's serverless.yml then sets serverless-esbuild's `skipBuild`, and osls packages those zips instead of
   * bundling again (about a second of CPU per package). Only for packagings that differ in parameters alone: the
   * zips do not depend on them (the parameters reach the functions as environment, which is in the template).
   */
  prebuilt?: boolean;
}

/**
 * Runs `serverless <args>`; rejects with `stdout` and `stderr` on a non-zero exit. Each run works in a staging folder
 * of the project (emulator's `stagedService`: its files linked, its configuration copied), with esbuild's work folder
 * and osls's `.serverless` inside it, removed after it: test files running at once never write into one another's
 * build, and no run deletes the project's own `.serverless/`.
 */
export async function serverless(
  args: string[],
  { env = {}, projectDir = PROJECT_DIR, prebuilt = false }: ServerlessRun = {},
): Promise<{ stdout: string; stderr: string }> {
  const staged = stagedService(projectDir);
  try {
    if (prebuilt) skipBuild(join(staged.dir, 'serverless.yml'));
    const run = await runProcess(join(PROJECT_DIR, 'node_modules/.bin/serverless'), args, {
      cwd: staged.dir,
      timeoutMs: 180_000,
      baseEnv: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ESBUILD_WORK_FOLDER: '.esbuild',
        NODE_COMPILE_CACHE: SERVERLESS_COMPILE_CACHE,
      },
      env,
    });
    if (run.code !== 0) throw Object.assign(new Error(`serverless ${args.join(' ')} exited ${run.code ?? run.signal}`), run);
    return { stdout: run.stdout, stderr: run.stderr };
  } finally {
    staged.remove();
  }
}

/** Sets `custom.esbuild.skipBuild` in a staged copy's serverless.yml (a copy: the project's own file is untouched). */
function skipBuild(configFile: string): void {
  const config = readFileSync(configFile, 'utf8');
  const edited = config.replace(/^ {2}esbuild:\n/m, '  esbuild:\n    skipBuild: true\n');
  if (edited === config) throw new Error(`${configFile} has no \`custom.esbuild:\` block at two spaces: update skipBuild()`);
  writeFileSync(configFile, edited);
}

// Build output, local state and history: none of it is part of what a customer edits.
const NOT_COPIED = new Set(['node_modules', '.git', '.local', '.serverless', 'coverage', '.mutation']);

/**
 * A copy of the project's sources in a temporary folder, sharing this project's node_modules (a symlink: the
 * dependencies are the same and copying them would take longer than the test). `remove` deletes the copy.
 */
export function copyProject(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'project-copy-'));
  cpSync(PROJECT_DIR, dir, {
    recursive: true,
    filter: (source) => {
      const name = basename(source);
      return !NOT_COPIED.has(name) && !name.startsWith('.esbuild');
    },
  });
  symlinkSync(join(PROJECT_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
