/**
 * The topic ARN the setup is given: the hook's region comes from it, and anything that is not exactly an SNS topic
 * ARN of a partition Stream can publish to with the chosen auth is a configuration error, found before Stream is
 * called (the command's exit status 2).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SetupConfigurationError } from '../../functions/setup/errors.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { AWS_PARTITIONS, parseTopicArn } from '../../functions/setup/topic-arn.js';

describe('setup topic ARN', () => {
  it.each([
    ['arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events', 'resource', 'eu-west-1'],
    ['arn:aws-cn:sns:cn-north-1:111122223333:events', 'keys', 'cn-north-1'],
    ['arn:aws-us-gov:sns:us-gov-west-1:111122223333:events.fifo', 'keys', 'us-gov-west-1'],
    ['arn:aws-iso-b:sns:us-isob-east-1:111122223333:events', 'keys', 'us-isob-east-1'],
  ] as const)('takes the region of %s (%s auth)', (topicArn, authType, region) => {
    // Act
    const found = parseTopicArn(topicArn, authType);

    // Assess
    expect(found.region).toBe(region);
  });

  it.each([
    ['text before it', ' arn:aws:sns:eu-west-1:111122223333:events', 'is not an SNS topic ARN'],
    ['text after the topic name', 'arn:aws:sns:eu-west-1:111122223333:events extra', 'is not an SNS topic ARN'],
    ['a subscription ARN', 'arn:aws:sns:eu-west-1:111122223333:events:6f1b4a2c-5d3e-4f7a-9b8c-0d1e2f3a4b5c', 'is not an SNS topic ARN'],
    ['a queue ARN', 'arn:aws:sqs:eu-west-1:111122223333:events', 'is not an SNS topic ARN'],
    [
      'a partition AWS does not have (case 18)',
      'arn:aws-bogus:sns:eu-west-1:111122223333:events',
      '"aws-bogus" in arn:aws-bogus:sns:eu-west-1:111122223333:events is not an AWS partition',
    ],
    ['a partition of digits', 'arn:aws0:sns:eu-west-1:111122223333:events', 'is not an AWS partition'],
    [
      'a region of another partition',
      'arn:aws:sns:cn-north-1:111122223333:events',
      '"cn-north-1" in arn:aws:sns:cn-north-1:111122223333:events is not a region of the aws partition',
    ],
  ])('refuses %s, naming what it was given', (_, topicArn, says) => {
    // Act
    const refuse = () => parseTopicArn(topicArn, 'keys');

    // Assess
    expect(refuse).toThrow(SetupConfigurationError);
    expect(refuse).toThrow(says);
  });

  it.each(['aws-cn', 'aws-us-gov', 'aws-iso'])(
    "case 18: refuses resource auth in %s, where Stream's account cannot publish",
    (partition) => {
      // Prepare
      const region = { 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1', 'aws-iso': 'us-iso-east-1' }[partition];

      // Act
      const refuse = () => parseTopicArn(`arn:${partition}:sns:${region}:111122223333:events`, 'resource');

      // Assess
      expect(refuse).toThrow(`with resource auth: its AWS account is in the aws partition`);
    },
  );

  it("lists exactly the partitions of the AWS SDK's partitions.json, with their region names", () => {
    // Prepare: the SDK's own list, as installed.
    const source = readFileSync('node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js', 'utf8');
    const ids = [...source.matchAll(/"?id"?:\s*"(aws[a-z-]*)"/g)].map(([, id]) => id);

    // Assess
    expect(Object.keys(AWS_PARTITIONS).sort()).toEqual([...new Set(ids)].sort());
  });

  it('refuses a malformed ARN before calling Stream', async () => {
    // Prepare: an address where nothing listens, so a call would fail otherwise.
    const unreachable = { baseUrl: 'http://127.0.0.1:9', attempts: 1 };

    // Act
    const failure = await runSetup(
      'apply',
      { topicArn: 'stream-chat-events-dev-events', authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] },
      { apiKey: 'k', apiSecret: 's' },
      unreachable,
    ).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SetupConfigurationError);
  });
});

describe('setup topic ARN: what the messages say', () => {
  it('lists the partitions AWS has when refusing one it does not', () => {
    // Act
    const refuse = () => parseTopicArn('arn:aws-moon:sns:eu-west-1:111122223333:t', 'keys');

    // Assess
    expect(refuse).toThrow(`is not an AWS partition (${Object.keys(AWS_PARTITIONS).join(', ')}).`);
  });

  it('says how to publish from another partition: keys auth', () => {
    // Act
    const refuse = () => parseTopicArn('arn:aws-cn:sns:cn-north-1:111122223333:t', 'resource');

    // Assess
    expect(refuse).toThrow('IAM grants do not cross partitions. Use keys auth (--auth keys, or the parameter snsAuth=keys) for aws-cn.');
  });

  it('prints back what it was given with control characters as ?, and at most 300 characters', () => {
    // Act
    const controls = () => parseTopicArn('arn\u001b[2K\nforged', 'resource');
    const long = () => parseTopicArn('x'.repeat(301), 'resource');
    const exact = () => parseTopicArn('y'.repeat(300), 'resource');

    // Assess
    expect(controls).toThrow('"arn?[2K?forged" is not an SNS topic ARN');
    expect(long).toThrow(`"${'x'.repeat(300)}…" is not`);
    expect(exact).toThrow(`"${'y'.repeat(300)}" is not`);
  });

  it('reads every part of the ARN', () => {
    // Act
    const parts = parseTopicArn('arn:aws:sns:eu-west-1:111122223333:events.fifo', 'resource');

    // Assess
    expect(parts).toEqual({ partition: 'aws', region: 'eu-west-1', account: '111122223333', name: 'events.fifo' });
  });
});
