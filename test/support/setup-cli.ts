/**
 * Runs the setup command: in-process through its `main(argv, io)` with a captured io (what every test but one
 * does, so that mutants can be killed), or once as `npm run setup` does, in a child process.
 */
import { main } from '../../scripts/setup.js';
import { type ProcessRun, runProcess } from './processes.js';
import { PROJECT_DIR } from './serverless-cli.js';

export type SetupCliRun = ProcessRun;

/** `npm run setup -- <args>` in this process, with exactly `env` as its environment. */
export async function runSetupCommand(args: string[], env: Record<string, string | undefined>): Promise<SetupCliRun> {
  const run: SetupCliRun = { code: -1, signal: null, stdout: '', stderr: '' };
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
export function runSetupCli(args: string[], env: Record<string, string> = {}): Promise<SetupCliRun> {
  return runProcess(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', ...args], { cwd: PROJECT_DIR, env });
}
