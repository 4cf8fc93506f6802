/** Runs an npm script of this project as a user would, and keeps its exit status, stdout and stderr. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_DIR } from './serverless-cli.js';

export interface NpmRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm <args>` in the project, with `env` on top of this process's environment; never throws on a failed run. */
export async function npm(args: string[], env: Record<string, string> = {}): Promise<NpmRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', args, {
      cwd: PROJECT_DIR,
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: 'true', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as NpmRun;
    return { code, stdout, stderr };
  }
}
