/**
 * Runs the setup command as `npm run setup` does (`tsx scripts/setup.ts`, here as one Node process with tsx's loader,
 * which saves npm's own start on each of the many runs), and collects what it prints and its exit status.
 */
import { type ProcessRun, runProcess } from './processes.js';
import { PROJECT_DIR } from './serverless-cli.js';

export type SetupCliRun = ProcessRun;

/** `npm run setup -- <args>`, with `env` added to this process's environment. */
export function runSetupCli(args: string[], env: Record<string, string> = {}): Promise<SetupCliRun> {
  return runProcess(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', ...args], { cwd: PROJECT_DIR, env });
}
