/**
 * Runs the setup command as `npm run setup` does (`tsx scripts/setup.ts`, here as one Node process with tsx's loader,
 * which saves npm's own start on each of the many runs), and collects what it prints and its exit status.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_DIR } from './serverless-cli.js';

export interface SetupCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run setup -- <args>`, with `env` added to this process's environment. */
export async function runSetupCli(args: string[], env: Record<string, string> = {}): Promise<SetupCliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}
