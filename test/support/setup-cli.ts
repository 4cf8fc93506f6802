/**
 * Runs the setup command: in-process through its `main(argv, io)` with a captured io (what every test but one
 * does, so that mutants can be killed), or once as `npm run setup` does, in a child process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { main } from '../../scripts/setup.js';
import { PROJECT_DIR } from './serverless-cli.js';

export interface SetupCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run setup -- <args>` in this process, with exactly `env` as its environment. */
export async function runSetupCommand(args: string[], env: Record<string, string | undefined>): Promise<SetupCliRun> {
  const run = { code: -1, stdout: '', stderr: '' };
  run.code = await main(args, {
    stdout: (text) => {
      run.stdout += text;
    },
    stderr: (text) => {
      run.stderr += text;
    },
    env,
  });
  return run;
}

/** `npm run setup -- <args>` as a child process, with `env` added to this process's environment. */
export async function runSetupCli(args: string[], env: Record<string, string> = {}): Promise<SetupCliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'setup', '--', ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}
