/**
 * A small soak in the suite (the full one is `npm run soak`): deliveries with duplicates (some while the original is
 * in flight), injected failures, poison and a DynamoDB outage midway; every event accounted for. In-process (the
 * command's `main`), on the run's package and its DynamoDB Local; the outage is cut short, and the retries wait in
 * proportion to it, as in the full soak.
 */
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../scripts/soak.js';
import { capturedIo } from '../support/command-io.js';
import { testPackage } from '../support/test-builds.js';

/** Enough deliveries for over a hundred duplicates and dozens of failing events, half of them after the outage. */
const EVENTS = 500;

describe('soak', () => {
  it('loses nothing and executes nothing twice across duplicates, failures and an outage', async () => {
    // Prepare
    const io = capturedIo();
    const args = [
      '--events',
      String(EVENTS),
      '--outage',
      '1500',
      '--json',
      '--build',
      await testPackage('project'),
      '--endpoint',
      inject('dynamoDBEndpoint'),
    ];

    // Act
    const code = await main(args, io);
    const accounting = JSON.parse(io.out);

    // Assess
    expect(code, io.err).toBe(0);
    expect(accounting.lost).toBe(0);
    expect(accounting.executedTwice).toBe(0);
    expect(accounting.deliveries).toBe(EVENTS);
    expect(accounting.duplicatesSuppressed).toBeGreaterThan(EVENTS * 0.1);
    expect(accounting.failingEvents).toBeGreaterThan(EVENTS * 0.02);
    expect(accounting.executed + accounting.deadLetteredEvents - accounting.deadLetteredAndExecuted).toBe(accounting.distinct);
    expect(accounting.outage).toMatchObject({ afterDeliveries: EVENTS / 2, outageMs: 1500 });
    expect(accounting.outage.requestsRefused).toBeGreaterThan(0);
    // Per-category routing (the packaged default): the samples are all of named categories, so each invokes its own
    // function and other; the poison (the rejected), whose type cannot be read, reaches all five topics.
    expect(accounting.routing).toBe('per-category routing');
    expect(accounting.invocations).toBe(2 * (EVENTS - accounting.rejected) + 5 * accounting.rejected);
  });
});
