/**
 * The suite's one way to run a child process (a command as a user types it, `serverless`, a heap-limited Node): it
 * never throws on a failed run, and keeps the exit status, the signal, stdout and stderr for the test to assess.
 */
import { execFile } from 'node:child_process';

/** How a child process ended, and what it printed. */
export interface ProcessRun {
  /** The exit status; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runProcess}. */
export interface ProcessOptions {
  cwd: string;
  /** The whole environment of the child (default: this process's), then `env` on top. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  env?: Record<string, string>;
  /** Killed after this long (the run then ends with a signal). */
  timeoutMs?: number;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Run as this user (needs root): for a test of what an unprivileged user may not read. */
  user?: { uid: number; gid: number };
}

/** Runs `file` with `args`; resolves when it ends, whatever its exit status. */
export function runProcess(
  file: string,
  args: readonly string[],
  { cwd, baseEnv = process.env, env = {}, timeoutMs = 240_000, input, user }: ProcessOptions,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { cwd, env: { ...baseEnv, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, ...user },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        // A command that could not start at all (ENOENT) is the test's own mistake, not a run to assess.
        if (failure !== null && typeof failure.code === 'string') return reject(failure);
        resolve({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
