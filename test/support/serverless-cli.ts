/** Runs the real `serverless` command (osls), offline, with no AWS credentials, on this project or a copy of it. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Where and how to run the command. */
interface ServerlessRun {
  /** Environment on top of the minimal one (PATH, HOME, telemetry off). */
  env?: Record<string, string>;
  /** The project to run in; this one by default. */
  projectDir?: string;
}

/** Runs `serverless <args>`; rejects with `stdout` and `stderr` on a non-zero exit. */
export async function serverless(args: string[], { env = {}, projectDir = PROJECT_DIR }: ServerlessRun = {}): Promise<{ stdout: string; stderr: string }> {
  return run(join(PROJECT_DIR, 'node_modules/.bin/serverless'), args, {
    cwd: projectDir,
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
  });
}

// Build output, local state and history: none of it is part of what a customer edits.
const NOT_COPIED = new Set(['node_modules', '.git', '.local', '.serverless', 'coverage']);

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
