/**
 * The SNS metadata the decoder hands on beside the event, for deliveries written by hand (a replay, a test
 * event in the Lambda console) as well as for SNS's own.
 */
import { describe, expect, it } from 'vitest';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { MessageEncoding } from '../../shared/types.js';

describe('decodeSnsDelivery: a hand-written delivery', () => {
  it('decodes a record that has only EventSource and Message, with empty metadata', () => {
    // Prepare
    const lambdaEvent = { Records: [{ EventSource: 'aws:sns', Sns: { Message: '{"type":"message.new"}' } }] };

    // Act
    const decoded = decodeSnsDelivery(lambdaEvent);

    // Assess
    expect(decoded.event).toEqual({ type: 'message.new' });
    expect(decoded.sns).toEqual({
      messageId: '',
      topicArn: undefined,
      timestamp: undefined,
      attributes: {},
      encoding: MessageEncoding.RawJson,
    });
  });
});
