/**
 * Every command's entry point, once each, in a child process: run as its npm script runs it (`tsx <file>`), it calls
 * the command's `main` and exits with its status; `npm start`, the README's command, through npm itself. What the
 * commands do is tested in-process (their `main`): test/unit/command-lines.test.ts and the end-to-end files; which
 * file each npm script runs, in test/unit/command-lines.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_FILES } from '../support/command-io.js';
import { runProcess } from '../support/processes.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

/** The commands a user runs; bench and mutation are tools of this repository, their help is tested in-process. */
const USER_COMMANDS = ['start', 'replay', 'soak', 'redrive', 'reprocess', 'events'] as const;
const tsx = (file: string, args: string[]) => runProcess(process.execPath, ['--import', 'tsx', file, ...args], { cwd: PROJECT_DIR });

describe.concurrent('each command in a process of its own', () => {
  it.each(USER_COMMANDS)('npm run %s -- --help prints its usage and exits 0', { tags: ['child-process'] }, async (command) => {
    // Act
    const run = await tsx(COMMAND_FILES[command], ['--help']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(command === 'start' ? /^Usage: npm start --/ : new RegExp(`^Usage: npm run ${command} --`));
    expect(run.stderr).toBe('');
  });

  it('exits 2 on misuse, with the suggestion on stderr', { tags: ['child-process'] }, async () => {
    // Act
    const run = await tsx(COMMAND_FILES.soak, ['--evnts', '10']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--evnts/);
    expect(run.stderr).toMatch(/--events/);
    expect(run.stdout).toBe('');
  });

  it('npm start -- --help, through npm as a user types it', { tags: ['child-process'] }, async () => {
    // Act
    const run = await runProcess('npm', ['start', '--silent', '--', '--help'], { cwd: PROJECT_DIR, env: { CI: 'true' } });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm start --/);
  });
});
