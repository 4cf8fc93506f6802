/**
 * Every command as a user types it (`npm run <command> -- ...`), once each, in a child process: the entry point runs
 * the command's `main` and exits with its status. What the commands do is tested in-process (their `main`), in
 * test/unit/command-lines.test.ts and the end-to-end files.
 */
import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/processes.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

/** The npm scripts that are commands of this project, as package.json names them (setup: its own tests). */
const COMMANDS = ['start', 'replay', 'soak', 'redrive', 'events'] as const;

describe.concurrent('each command through npm', () => {
  it.each(COMMANDS)('npm run %s -- --help prints its usage and exits 0', { tags: ['child-process'] }, async (command) => {
    // Act
    const run = await runProcess('npm', ['run', '--silent', command, '--', '--help'], { cwd: PROJECT_DIR, env: { CI: 'true' } });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(command === 'start' ? /^Usage: npm start --/ : new RegExp(`^Usage: npm run ${command} --`));
    expect(run.stdout).toContain('--help');
    expect(run.stderr).toBe('');
  });

  it('exits 2 on misuse, with the suggestion on stderr', { tags: ['child-process'] }, async () => {
    // Act
    const run = await runProcess('npm', ['run', '--silent', 'soak', '--', '--evnts', '10'], { cwd: PROJECT_DIR, env: { CI: 'true' } });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--evnts/);
    expect(run.stderr).toMatch(/--events/);
    expect(run.stdout).toBe('');
  });
});
