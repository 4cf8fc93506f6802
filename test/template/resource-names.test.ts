/**
 * Names checked before packaging: `serverless package` fails at once, naming every name over its AWS limit and
 * the longest stage that fits, instead of a deploy failing halfway.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ResourceNamesTooLongError } from '../../template/errors.js';
import { checkResourceNames, type ResourceName, resourceNames } from '../../template/resource-names.js';
import { serverless } from '../support/serverless-cli.js';

/** A name holding the stage once, as `<prefix><stage><suffix>`, and its limit. */
const nameShape = fc.record({
  prefix: fc.stringMatching(/^[0-9-]{0,40}$/),
  suffix: fc.stringMatching(/^[0-9-]{0,40}$/),
  maxLength: fc.integer({ min: 1, max: 120 }),
});
type NameShape = { prefix: string; suffix: string; maxLength: number };
const namesFor = (shapes: NameShape[], stage: string): ResourceName[] =>
  shapes.map(({ prefix, suffix, maxLength }) => ({ kind: 'name', name: `${prefix}${stage}${suffix}`, maxLength }));
const outcome = (names: ResourceName[], stage: string) => {
  try {
    checkResourceNames(names, stage);
    return undefined;
  } catch (error) {
    return error as ResourceNamesTooLongError;
  }
};

describe('checkResourceNames', () => {
  property.prop([fc.array(nameShape, { minLength: 1, maxLength: 8 }), fc.stringMatching(/^[a-z]{1,60}$/)])(
    'fails exactly when a name is over its limit, naming those, and the longest stage it names fits',
    (shapes, stage) => {
      // Prepare
      const names = namesFor(shapes, stage);

      // Act
      const error = outcome(names, stage);

      // Assess
      const over = names.filter(({ name, maxLength }) => name.length > maxLength);
      const withStageOf = (length: number) => outcome(namesFor(shapes, 'a'.repeat(length)), 'a'.repeat(length));
      if (over.length === 0) {
        expect(error).toBeUndefined();
      } else {
        expect(error).toBeInstanceOf(ResourceNamesTooLongError);
        expect(error!.tooLong).toEqual(over);
        const longest = error!.longestStage;
        if (longest > 0) expect(withStageOf(longest)).toBeUndefined();
        expect(withStageOf(Math.max(longest, 0) + 1)).toBeDefined();
      }
    },
  );
});

describe('resourceNames', () => {
  it('reads the stack, every function and every literal resource name with its limit; not names CloudFormation builds', () => {
    // Prepare
    const service = {
      functions: { messages: { name: 'svc-dev-messages' } },
      resources: {
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'svc-dev-messages-dlq' } },
          Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'svc-dev-messages-dlq' } },
          Joined: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Join': ['-', ['svc', 'x']] } } },
          Role: { Type: 'AWS::IAM::Role', Properties: {} },
        },
      },
    };

    // Act
    const names = resourceNames(service, 'svc-dev');

    // Assess
    expect(names).toEqual([
      { kind: 'CloudFormation stack name', name: 'svc-dev', maxLength: 128 },
      { kind: 'Lambda function name', name: 'svc-dev-messages', maxLength: 64 },
      { kind: 'SQS queue name', name: 'svc-dev-messages-dlq', maxLength: 80 },
      { kind: 'CloudWatch alarm name', name: 'svc-dev-messages-dlq', maxLength: 255 },
    ]);
  });
});

describe('serverless package with a stage too long for the names', () => {
  it('fails before building anything, with every name over its limit and the longest stage that fits', async () => {
    // Prepare
    const stage = 'feature-very-long-branch-name-x1234';
    const packageDir = mkdtempSync(join(tmpdir(), 'sls-too-long-'));

    // Act
    const failure = await serverless(['package', '--stage', stage, '--package', packageDir]).then(
      () => undefined,
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );

    // Assess
    expect(stage).toHaveLength(35);
    expect(failure).toContain(`Stage "${stage}" makes a name longer than AWS allows:`);
    expect(failure).toContain(`Lambda function name stream-chat-events-${stage}-moderation: 65 characters, AWS allows 64`);
    expect(failure).toContain('Use a stage of at most 34 characters, or a shorter service name.');
    expect(failure).not.toMatch(/\n\s+at /);
    expect(existsSync(packageDir) ? readdirSync(packageDir) : []).toEqual([]);
  });
});
