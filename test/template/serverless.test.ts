/**
 * The real `serverless package` and `serverless invoke local`, offline: the CloudFormation template they
 * produce is what `sls deploy` would submit. Both commands share the project's .esbuild folder, so they run in
 * this one file, one after the other.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createIdempotencyTable, LOCAL_AWS_ENV, readPackagedService } from '../../emulator/index.js';
import { CATEGORIES } from '../../shared/catalog.js';
import { validateTemplate } from '../support/cloudformation-spec.js';
import { PROJECT_DIR, serverless } from '../support/serverless-cli.js';
import {
  asList,
  capitalized,
  resourcesOfType as ofType,
  type Packaged,
  packageTemplate,
  statementsOf,
  type Template,
} from './packaged-template.js';

let packaged: Packaged;
let template: Template;
const resourcesOfType = (type: string) => ofType(template, type);

beforeAll(async () => {
  packaged = await packageTemplate();
  template = packaged.template;
}, 180_000);

describe('serverless package: the functions agree with the catalog', () => {
  it('has one function per category, and the setup function besides', () => {
    // Act
    const functions = resourcesOfType('AWS::Lambda::Function').map(([, r]) => r.Properties.FunctionName as string);

    // Assess
    expect(functions.sort()).toEqual([...CATEGORIES, 'setup'].map((c) => `stream-chat-events-dev-${c}`).sort());
  });

  it("points each category's function at its own handler, built on the category's name", () => {
    for (const category of CATEGORIES) {
      // Prepare
      const fn = template.Resources[`${capitalized(category)}LambdaFunction`]!;
      const source = readFileSync(join(PROJECT_DIR, 'functions', category, 'handler.ts'), 'utf8');

      // Assess
      expect(fn.Properties.Handler).toBe(`functions/${category}/handler.handler`);
      expect(source).toContain(`streamEventFunction('${category}'`);
    }
  });

  it('bounds async retries and sends failures to the function’s dead-letter queue', () => {
    for (const category of CATEGORIES) {
      // Act
      const [, config] = resourcesOfType('AWS::Lambda::EventInvokeConfig').find(
        ([, r]) => r.Properties.FunctionName.Ref === `${capitalized(category)}LambdaFunction`,
      )!;

      // Assess
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [`${capitalized(category)}DeadLetterQueue`, 'Arn'] } } },
      });
    }
  });

  it('keeps dead letters 14 days at the maximum message size, with an alarm on each queue', () => {
    // Prepare
    const queues = resourcesOfType('AWS::SQS::Queue');
    const alarmed = resourcesOfType('AWS::CloudWatch::Alarm')
      .filter(([, r]) => r.Properties.Namespace === 'AWS/SQS')
      .map(([, r]) => r.Properties.Dimensions[0].Value);

    // Assess: the categories' queues, the rejected deliveries, and what SNS could not archive.
    expect(queues.map(([id]) => id).sort()).toEqual(
      ['RejectedDeliveriesQueue', 'ArchiveDeadLetterQueue', ...CATEGORIES.map((c) => `${capitalized(c)}DeadLetterQueue`)].sort(),
    );
    for (const [, queue] of queues) {
      expect(queue.Properties).toMatchObject({ MessageRetentionPeriod: 1209600, MaximumMessageSize: 1048576 });
      expect(alarmed).toContain(queue.Properties.QueueName);
    }
  });

  it('keeps every queue, and the events waiting in it, when the stack is removed or the queue replaced', () => {
    // Act
    const queues = resourcesOfType('AWS::SQS::Queue');

    // Assess
    expect(queues.length).toBeGreaterThan(0);
    for (const [, queue] of queues) expect(queue).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('runs nodejs24.x on arm64 with JSON logs and the platform lines suppressed, bundled for Node 24', () => {
    // Prepare: the esbuild options as osls resolved them for this package.
    const { esbuild } = packaged.service.custom;

    // Act
    const functions = resourcesOfType('AWS::Lambda::Function');

    // Assess
    expect(functions).toHaveLength(CATEGORIES.length + 1);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' },
      });
    }
    expect(esbuild.target).toBe('node24');
  });

  it('keeps every environment value literal, so invoke local needs no AWS, and sets nothing only SDK v2 reads', () => {
    for (const [, fn] of resourcesOfType('AWS::Lambda::Function')) {
      // Act
      const variables = fn.Properties.Environment.Variables;

      // Assess
      for (const value of Object.values(variables)) expect(typeof value).toBe('string');
      expect(variables).not.toHaveProperty('AWS_NODEJS_CONNECTION_REUSE_ENABLED');
    }
  });
});

describe('serverless package: least privilege', () => {
  it('grants no Action or Resource "*" beyond logs, and no managed policies', () => {
    // Prepare
    const principals = [...resourcesOfType('AWS::IAM::Role'), ...resourcesOfType('AWS::IAM::User')];

    // Act
    const wide = principals.flatMap(([id, r]) =>
      statementsOf(r)
        .filter((s) => asList(s.Action).some((a) => a === '*' || a.endsWith(':*')) || asList(s.Resource).includes('*'))
        .filter((s) => !asList(s.Action).every((a: string) => a.startsWith('logs:')))
        .map((s) => `${id}: ${JSON.stringify(s)}`),
    );

    // Assess
    expect(wide).toEqual([]);
    for (const [, r] of principals) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("gives each function its own role: its log group, Powertools' item actions on the table, its queues", () => {
    for (const category of CATEGORIES) {
      // Prepare
      const fn = template.Resources[`${capitalized(category)}LambdaFunction`]!;
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];

      // Act
      const statements = statementsOf(template.Resources[roleId]!);

      // Assess
      expect(roleId).toBe(`${capitalized(category)}Role`);
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('STREAM_API_SECRET_PARAMETER');
      expect(statements).toHaveLength(4);
      expect(statements[0]!.Resource['Fn::Sub']).toMatch(new RegExp(`/aws/lambda/stream-chat-events-dev-${category}:\\*$`));
      expect(statements[1]).toEqual({
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: { 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] },
      });
      expect(statements[2]).toMatchObject({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['RejectedDeliveriesQueue', 'Arn'] } });
      expect(statements[3]).toMatchObject({
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [`${capitalized(category)}DeadLetterQueue`, 'Arn'] },
      });
    }
  });

  it('grants on the table exactly the DynamoDB calls Powertools idempotency makes, GetItem fallback included', () => {
    // Prepare: the commands the installed persistence layer sends, read from its source.
    const source = readFileSync(createRequire(import.meta.url).resolve('@aws-lambda-powertools/idempotency/dynamodb'), 'utf8');
    const called = [...new Set([...source.matchAll(/new (?:\w+\.)?(\w+)Command\(/g)].map(([, name]) => `dynamodb:${name}`))];

    // Act
    const granted = resourcesOfType('AWS::IAM::Role').flatMap(([id, role]) =>
      statementsOf(role)
        .filter((s) => asList(s.Action).some((action: string) => action.startsWith('dynamodb:')))
        .map((s) => ({ id, actions: asList(s.Action).sort(), resource: s.Resource })),
    );

    // Assess
    expect(called).toContain('dynamodb:GetItem');
    expect(granted.map(({ id }) => id).sort()).toEqual(CATEGORIES.map((c) => `${capitalized(c)}Role`).sort());
    for (const grant of granted) {
      expect(grant.actions).toEqual([...called].sort());
      expect(grant.resource).toEqual({ 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] });
    }
  });
});

describe('serverless package: the setup', () => {
  it('registers the hook on deploy through a custom resource that CloudFormation stops waiting for in minutes', () => {
    // Act
    const hook = template.Resources.StreamHook!;
    const setupTimeout = template.Resources.SetupLambdaFunction!.Properties.Timeout;

    // Assess
    expect(hook.Type).toBe('Custom::StreamSnsHook');
    // Case 11 of the setup-safety issue: a condition would make registerHookOnDeploy=false delete the live hook.
    expect(hook.Condition).toBeUndefined();
    expect(hook.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': ['SetupLambdaFunction', 'Arn'] },
      ServiceTimeout: 120,
      TopicArn: { Ref: 'StreamEventsTopic' },
      AuthType: 'resource',
      EventTypes: '',
      Routing: 'per-category',
      CatchAll: 'true',
      Register: 'true',
    });
    expect(hook.Properties.ServiceTimeout).toBeGreaterThan(setupTimeout);
  });

  it('lets the setup read its two SSM parameters and, under keys auth, its secret; nothing else', () => {
    // Prepare
    const role = template.Resources.SetupRole!;

    // Act
    const statements = statementsOf(role);
    const conditional = role.Properties.Policies[0].PolicyDocument.Statement.find((s: any) => s['Fn::If']);

    // Assess
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      'ssm:GetParameter',
      'secretsmanager:GetSecretValue',
    ]);
    expect(statements[1]!.Resource.map((r: any) => r['Fn::Sub'])).toEqual([
      'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/stream-chat/dev/api-key',
      'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/stream-chat/dev/api-secret',
    ]);
    expect(conditional['Fn::If'][0]).toBe('KeysAuth');
    expect(statements[2]!.Resource).toEqual({ Ref: 'StreamPublisherSecret' });
  });

  it('gives the setup function only the names of its secrets, never a value, and no retries', () => {
    // Act
    const fn = template.Resources.SetupLambdaFunction!;
    const invokeConfig = resourcesOfType('AWS::Lambda::EventInvokeConfig').find(
      ([, r]) => r.Properties.FunctionName.Ref === 'SetupLambdaFunction',
    );

    // Assess
    expect(fn.Properties.Environment.Variables).toMatchObject({
      STREAM_API_KEY_PARAMETER: '/stream-chat/dev/api-key',
      STREAM_API_SECRET_PARAMETER: '/stream-chat/dev/api-secret',
      SNS_PUBLISHER_SECRET: 'stream-chat-events-dev/sns-publisher',
    });
    expect(invokeConfig?.[1].Properties.MaximumRetryAttempts).toBe(0);
  });
});

describe('serverless package: the idempotency table', () => {
  it('has partition key id, TTL on expiration, on-demand billing and PITR by parameter', () => {
    // Act
    const table = template.Resources.IdempotencyTable!.Properties;

    // Assess
    expect(table.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled['Fn::If'][0]).toBe('PointInTimeRecovery');
  });

  it('is deleted with the stack, as decided in serverless.yml (a retained table would block the next deploy)', () => {
    // Act
    const table = template.Resources.IdempotencyTable!;

    // Assess
    expect(table).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });
});

describe('serverless package: CloudFormation resource specification', () => {
  it('uses only known resource types and properties, with every required property', async () => {
    // Act
    const problems = await validateTemplate(template);

    // Assess
    expect(problems).toEqual([]);
  });

  it('catches a misspelt property, a wrong type, a missing dependency and an unknown policy (the validator can fail)', async () => {
    // Prepare
    const broken = structuredClone(template);
    broken.Resources.IdempotencyTable!.Properties.BillingMod = 'PAY_PER_REQUEST';
    delete broken.Resources.StreamEventsTopicPolicy!.Properties.Topics;
    broken.Resources.StreamHook!.Properties.ServiceTimeout = '5 minutes';
    broken.Resources.StreamHook!.DependsOn = ['NoSuchSubscription'];
    broken.Resources.RejectedDeliveriesQueue!.DeletionPolicy = 'Keep';

    // Act
    const problems = await validateTemplate(broken);

    // Assess
    expect(problems).toEqual([
      'StreamEventsTopicPolicy.Properties: missing required property Topics',
      'StreamHook.DependsOn: no resource NoSuchSubscription',
      'StreamHook.Properties.ServiceTimeout: expected an integer',
      'IdempotencyTable.Properties: unknown property BillingMod',
      'RejectedDeliveriesQueue.DeletionPolicy: unknown policy Keep',
    ]);
  });
});

describe('serverless package: artifacts', () => {
  it('builds one zip per function, each at most 150 KB with the AWS SDK left to the runtime', () => {
    for (const category of CATEGORIES) {
      // Act
      const zip = join(packaged.dir, `${category}.zip`);

      // Assess
      expect(existsSync(zip)).toBe(true);
      expect(statSync(zip).size).toBeLessThanOrEqual(150 * 1024);
    }
  });
});

describe('serverless invoke local', () => {
  // The second invocation of the same event, answered duplicate, is test/e2e/invoke-local.test.ts's (on a fresh copy,
  // its own DynamoDB Local): here the endpoint a user gives is the one used, and another category skips the event.
  it('runs a sample event through the built function against the DynamoDB Local given, which another function skips', async () => {
    // Prepare
    const endpoint = inject('dynamoDBEndpoint');
    await createIdempotencyTable(endpoint, readPackagedService(packaged.dir).idempotencyTable);
    const env = { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: endpoint };
    const invoke = (fn: string) => serverless(['invoke', 'local', '-f', fn, '-p', 'events/message.new.base64-gzip.json'], { env });

    // Act
    const [first, foreign] = await Promise.all([invoke('messages'), invoke('users')]);

    // Assess
    expect(first.stdout).toMatch(
      /"message":"New message".*"category":"messages","eventType":"message.new","cid":"messaging:proj-atlas-7f3c"/,
    );
    expect(first.stdout).toMatch(/"outcome": "processed"/);
    expect(foreign.stdout).toMatch(/"outcome": "skipped"/);
  });

  it('says clearly that no DynamoDB is reachable at the endpoint given, naming it and the table', async () => {
    // Prepare
    const env = { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' };

    // Act
    const failure = await serverless(['invoke', 'local', '-f', 'messages', '-p', 'events/message.new.raw-json.json'], { env }).then(
      () => undefined,
      (error: { stdout: string }) => error,
    );

    // Assess
    expect(failure?.stdout).toContain('AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:9 (ECONNREFUSED)');
    expect(failure?.stdout).toContain('stream-chat-events-dev-idempotency');
    expect(failure?.stdout).toMatch(/Unset AWS_ENDPOINT_URL_DYNAMODB and invoke local starts DynamoDB Local/);
  });
});
