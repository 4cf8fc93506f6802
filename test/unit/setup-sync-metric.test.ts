/**
 * The scheduled sync's metric (functions/setup/sync-metric.ts) in the namespace and dimension that the packaged
 * alarm reads (test/template/routing.test.ts asserts the alarm's side: StreamChatEvents, service=stream-chat-events).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitSyncMetric, SYNC_METRIC } from '../../functions/setup/sync-metric.js';
import { capturePowertoolsOutput } from '../support/powertools-output.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The EMF documents written, with their namespace, dimensions and the metric's value. */
function emitted(output: ReturnType<typeof capturePowertoolsOutput>) {
  return output
    .lines()
    .filter((line) => line._aws !== undefined)
    .map((line) => ({
      namespace: line._aws.CloudWatchMetrics[0].Namespace,
      dimensions: line._aws.CloudWatchMetrics[0].Dimensions,
      service: line.service,
      value: line[SYNC_METRIC],
    }));
}

describe('emitSyncMetric', () => {
  it('counts the types Stream lists that the catalog lacks, in the namespace and dimension the alarm reads', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', undefined);
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', undefined);
    const output = capturePowertoolsOutput();

    // Act
    emitSyncMetric({ drift: { streamOnly: ['a.new', 'b.new'], catalogOnly: [] } } as never);

    // Assess
    expect(emitted(output)).toEqual([
      { namespace: 'StreamChatEvents', dimensions: [['service']], service: 'stream-chat-events', value: 2 },
    ]);
  });

  it("uses the function's own service and namespace when its environment names them, and counts an unread list as 0", () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'my-service');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'MyNamespace');
    const output = capturePowertoolsOutput();

    // Act
    emitSyncMetric({ drift: undefined } as never);

    // Assess
    expect(emitted(output)).toEqual([{ namespace: 'MyNamespace', dimensions: [['service']], service: 'my-service', value: 0 }]);
  });
});
