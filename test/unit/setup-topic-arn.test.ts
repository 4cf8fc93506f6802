/**
 * The topic ARN the setup is given: the hook's region comes from it, in every AWS partition, and anything that is not
 * exactly an SNS topic ARN is a configuration error, found before Stream is called.
 */
import { describe, expect, it } from 'vitest';
import { SetupConfigurationError } from '../../functions/setup/errors.js';
import { regionOf, runSetup } from '../../functions/setup/stream-hook.js';

describe('setup topic ARN', () => {
  it.each([
    ['arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events', 'eu-west-1'],
    ['arn:aws-cn:sns:cn-north-1:111122223333:events', 'cn-north-1'],
    ['arn:aws-us-gov:sns:us-gov-west-1:111122223333:events.fifo', 'us-gov-west-1'],
  ])('takes the region of %s', (topicArn, region) => {
    // Act
    const found = regionOf(topicArn);

    // Assess
    expect(found).toBe(region);
  });

  it.each([
    ['text before it', ' arn:aws:sns:eu-west-1:111122223333:events'],
    ['text after the topic name', 'arn:aws:sns:eu-west-1:111122223333:events extra'],
    ['a subscription ARN', 'arn:aws:sns:eu-west-1:111122223333:events:6f1b4a2c-5d3e-4f7a-9b8c-0d1e2f3a4b5c'],
    ['a partition of digits', 'arn:aws0:sns:eu-west-1:111122223333:events'],
    ['a queue ARN', 'arn:aws:sqs:eu-west-1:111122223333:events'],
  ])('refuses %s, naming what it was given', (_, topicArn) => {
    // Act
    const refuse = () => regionOf(topicArn);

    // Assess
    expect(refuse).toThrow(SetupConfigurationError);
    expect(refuse).toThrow(`"${topicArn}" is not an SNS topic ARN`);
  });

  it('refuses a malformed ARN before calling Stream', async () => {
    // Prepare: an address where nothing listens, so a call would fail otherwise.
    const unreachable = { baseUrl: 'http://127.0.0.1:9', attempts: 1 };

    // Act
    const failure = await runSetup('apply', { topicArn: 'stream-chat-events-dev-events', authType: 'resource', eventTypes: [] }, { apiKey: 'k', apiSecret: 's' }, unreachable).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SetupConfigurationError);
  });
});
