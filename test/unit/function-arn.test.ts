import { describe, expect, it } from 'vitest';
import { functionLocation } from '../../shared/function-arn.js';

describe('function location', () => {
  it("reads the partition, region and account of a function's ARN, qualified or not", () => {
    // Act
    const locations = [
      functionLocation('arn:aws:lambda:eu-west-1:444455556666:function:stream-chat-events-prod-messages'),
      functionLocation('arn:aws-cn:lambda:cn-north-1:444455556666:function:stream-chat-events-prod-messages:live'),
    ];

    // Assess
    expect(locations).toEqual([
      { partition: 'aws', region: 'eu-west-1', account: '444455556666' },
      { partition: 'aws-cn', region: 'cn-north-1', account: '444455556666' },
    ]);
  });

  it('gives empty parts, not undefined ones, for a name that is not an ARN (as some local runners pass)', () => {
    // Act
    const location = functionLocation('offline_invokedFunctionArn_for_stream-chat-events-dev-messages');

    // Assess
    expect(location).toEqual({ partition: '', region: '', account: '' });
  });
});
