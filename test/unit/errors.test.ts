/**
 * The errors a Stream event function fails or rejects with, as a person reads them: Lambda's on-failure record
 * and the logs show an error's name (errorType) and message, never its class.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { requiredSetting } from '../../shared/configuration.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { TransientFailureError } from '../../shared/errors.js';

/** What the Node.js runtime puts in the on-failure record of an invocation that threw `error`. */
function asLambdaReportsIt(act: () => unknown): { errorType: string; errorMessage: string } {
  try {
    act();
  } catch (error) {
    return { errorType: (error as Error).name, errorMessage: (error as Error).message };
  }
  throw new Error('nothing was thrown');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('errors, as Lambda and the logs report them', () => {
  it('reports a deployed function without its settings as ConfigurationError, saying how to run it', () => {
    // Prepare
    vi.stubEnv('IS_LOCAL', undefined);
    vi.stubEnv('STREAM_LOCAL_RUN', undefined);
    vi.stubEnv('REJECTED_DELIVERIES_QUEUE', undefined);

    // Act
    const reported = asLambdaReportsIt(() => requiredSetting('REJECTED_DELIVERIES_QUEUE'));

    // Assess
    expect(reported.errorType).toBe('ConfigurationError');
    expect(reported.errorMessage).toMatch(/REJECTED_DELIVERIES_QUEUE is not set/);
    expect(reported.errorMessage).toMatch(/npx serverless deploy.*npm start.*serverless invoke local/);
  });

  it('names a poison delivery PoisonDeliveryError, its message starting with the reason', () => {
    // Act
    const reported = asLambdaReportsIt(() => decodeSnsDelivery(snsLambdaEvent('{"cid":"messaging:x"}', { messageId: 'p' })));

    // Assess
    expect(reported).toEqual({ errorType: 'PoisonDeliveryError', errorMessage: 'missing_type: the event has no "type"' });
  });

  it('names a transient failure that a handler throws TransientFailureError', () => {
    // Act
    const reported = asLambdaReportsIt(() => {
      throw new TransientFailureError('the CRM answered 503');
    });

    // Assess
    expect(reported).toEqual({ errorType: 'TransientFailureError', errorMessage: 'the CRM answered 503' });
  });
});
