/**
 * A small soak in the suite (the full one is `npm run soak`): 1,000 deliveries with duplicates, injected
 * failures, poison and one DynamoDB Local restart; every event accounted for.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/serverless-cli.js';

describe('soak', () => {
  it('loses nothing and executes nothing twice across duplicates, failures and an outage', async () => {
    // Act
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'soak', '--', '--events', '1000', '--json'], {
      cwd: PROJECT_DIR,
      timeout: 240_000,
      env: { ...process.env, CI: 'true' },
    });
    const accounting = JSON.parse(stdout);

    // Assess
    expect(accounting.lost).toBe(0);
    expect(accounting.executedTwice).toBe(0);
    expect(accounting.deliveries).toBe(1000);
    expect(accounting.duplicatesSuppressed).toBeGreaterThan(100);
    expect(accounting.failingEvents).toBeGreaterThan(20);
    expect(accounting.executed + accounting.deadLetteredEvents - accounting.deadLetteredAndExecuted).toBe(accounting.distinct);
    expect(accounting.restart.afterDeliveries).toBe(500);
  });
});
