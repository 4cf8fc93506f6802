/** Runs the real `serverless` command (osls) of this project, offline, with no AWS credentials. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export async function serverless(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return run(`${PROJECT_DIR}node_modules/.bin/serverless`, args, {
    cwd: PROJECT_DIR,
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
