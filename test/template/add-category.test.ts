/**
 * docs/add-code.md followed on a copy of the project: its example's code for message.new in the messages handler,
 * with the example's test, then a new category: a catalog entry that takes the `export.*`
 * types from `other`, a handler file, and the handler `other` had for one of them moved into it. The copy then
 * type-checks (the real `tsc`), and the ownership property holds on its own catalog and chains: every delivery has
 * exactly one owner, the category its catalog names (the example's search service answers from a stand-in for
 * `fetch`). The real `serverless package` (default routing, per-category)
 * produces the new category's function, its own topic with its policy and alarms, its subscription there,
 * dead-letter queue, alarm, role and invoke configuration, and the hook waits for them. The copy is packaged at the
 * longest stage the names check lets through, so the longest function name is exactly Lambda's limit.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CATEGORIES, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { lambdaEvent } from '../property/deliveries.js';
import { writeDocExamples } from '../support/doc-examples.js';
import { runProcess } from '../support/processes.js';
import { copyProject, PROJECT_DIR, serverless } from '../support/serverless-cli.js';

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

const NEW_CATEGORY = 'exports';
// Every export type `other` owns today, read from the catalog.
const MOVED_TYPES = Object.entries(EVENT_TYPE_CATEGORY)
  .filter(([type, category]) => type.startsWith('export.') && category === 'other')
  .map(([type]) => type);
/** The handler `other` has for one of the moved types: step 3 moves it into the new category's file. */
const MOVED_HANDLER = `  'export.channels.success': async (event, { logger }) => {
    logger.info('Channel export ready', { taskId: (event as { task_id?: string }).task_id });
  },
`;
const SERVICE = 'stream-chat-events';
// Lambda allows 64 characters in `<service>-<stage>-<function>`; the longest function name decides.
const STAGE = 's'.repeat(64 - `${SERVICE}--`.length - Math.max(...[...CATEGORIES, NEW_CATEGORY, 'setup'].map((name) => name.length)));

let project: ReturnType<typeof copyProject>;
let resources: Record<string, Resource>;
let packageDir: string;

/** The catalog with one more category, owning the export types that `other` owned. */
function withNewCategory(catalog: string): string {
  const [before, after] = catalog.split("  other: 'other',\n");
  if (after === undefined) throw new Error("shared/catalog.ts no longer lists `other: 'other',` in Category: update this test's edit");
  let edited = `${before}  other: 'other',\n  ${NEW_CATEGORY}: '${NEW_CATEGORY}',\n${after}`;
  for (const type of MOVED_TYPES) {
    const entry = `'${type}': 'other'`;
    if (!edited.includes(entry)) throw new Error(`shared/catalog.ts has no entry ${entry}: update this test's edit`);
    edited = edited.replace(entry, `'${type}': '${NEW_CATEGORY}'`);
  }
  return edited;
}

let typeCheck: Awaited<ReturnType<typeof runProcess>>;

beforeAll(async () => {
  project = copyProject();
  // 1. The catalog.
  const catalogFile = join(project.dir, 'shared', 'catalog.ts');
  writeFileSync(catalogFile, withNewCategory(readFileSync(catalogFile, 'utf8')));
  // 3. The handler of the category that gave the types up, without the handler it had for one of them...
  const otherFile = join(project.dir, 'functions', 'other', 'handler.ts');
  const other = readFileSync(otherFile, 'utf8');
  if (!other.includes(MOVED_HANDLER))
    throw new Error('functions/other/handler.ts no longer has the export handler this test moves: update it');
  writeFileSync(otherFile, other.replace(MOVED_HANDLER, ''));
  // 2. ...which goes into the new category's handler file.
  mkdirSync(join(project.dir, 'functions', NEW_CATEGORY));
  writeFileSync(
    join(project.dir, 'functions', NEW_CATEGORY, 'handler.ts'),
    [
      "import { streamEventFunction } from '../../shared/middleware.js';",
      '',
      `export const handler = streamEventFunction('${NEW_CATEGORY}', {`,
      MOVED_HANDLER.trimEnd(),
      "  fallback: async (event, { logger }) => logger.info('Export', { eventType: event.type }),",
      '});',
      '',
    ].join('\n'),
  );
  // docs/add-code.md's first part: the example's code for message.new, in the messages handler, and its test.
  writeDocExamples('docs/add-code.md', project.dir);
  // 4. npm test: the type check, and the package.
  [typeCheck] = await Promise.all([
    runProcess(join(PROJECT_DIR, 'node_modules/.bin/tsc'), ['--noEmit', '-p', project.dir], { cwd: project.dir, timeoutMs: 180_000 }),
    (async () => {
      packageDir = join(project.dir, 'packaged');
      await serverless(['package', '--stage', STAGE, '--package', packageDir], { projectDir: project.dir });
      resources = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
    })(),
  ]);
}, 240_000);

afterAll(() => project?.remove());
afterEach(() => vi.restoreAllMocks());

describe('adding a category: the steps of docs/add-code.md', () => {
  it('type-checks, the moved handler in its new file, and docs/add-code.md’s examples with it', () => {
    // Assess: the examples are in the copy, so the check below covers them.
    expect(readFileSync(join(project.dir, 'functions/messages/handler.ts'), 'utf8')).toMatch(/search\.example\.com/);
    expect(existsSync(join(project.dir, 'test/handlers/messages.test.ts'))).toBe(true);
    // Assess
    expect(typeCheck.code, typeCheck.stdout).toBe(0);
  });

  it('gives every delivery exactly one owner, by the copy’s catalog, on the copy’s own chains', async () => {
    // Prepare: the example's messages handler posts each new message to a search service, here one that says OK.
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 200 }));
    const kit = (await import(join(project.dir, 'testing', 'index.ts'))) as typeof import('../../testing/index.js');
    const catalog = (await import(join(project.dir, 'shared', 'catalog.ts'))) as typeof import('../../shared/catalog.js');
    const functions = await Promise.all(
      (catalog.CATEGORIES as readonly string[]).map((category) =>
        kit.categoryUnderTest(() => import(join(project.dir, 'functions', category, 'handler.ts'))),
      ),
    );

    // Act
    const owners: Array<{ type: string | null; owners: string[] }> = [];
    await fc.assert(
      fc.asyncProperty(lambdaEvent, async (event) => {
        const delivered = await Promise.all(
          functions.map(async (fn) => ({ category: fn.category, ...(await fn.deliver(event as never)) })),
        );
        const owning = delivered.filter(({ outcome }) => outcome !== 'skipped');
        owners.push({ type: owning[0]?.result?.type ?? null, owners: owning.map(({ category }) => category) });
        return owning.length === 1;
      }),
      { numRuns: 200 },
    );
    const exported = kit.snsDelivery(kit.streamEvent('export.users.success' as never));
    const exportOwners = (
      await Promise.all(functions.map(async (fn) => ({ category: fn.category, ...(await fn.deliver(exported)) })))
    ).filter(({ outcome }) => outcome !== 'skipped');

    // Assess
    // Exactly one owner each (fast-check above); on the events topic a named type may be kept by `other` as
    // misrouted, so the owner is the catalog's category or `other`.
    for (const { type, owners: found } of owners) if (type !== null) expect([catalog.categoryOf(type), 'other']).toContain(found[0]);
    expect(exportOwners.map(({ category, outcome }) => [category, outcome])).toEqual([[NEW_CATEGORY, 'processed']]);
  });

  it('builds its function on its handler, on nodejs24.x, with its own role, zipped', () => {
    // Act
    const fn = resources.ExportsLambdaFunction!;

    // Assess
    expect(fn.Properties).toMatchObject({
      Handler: `functions/${NEW_CATEGORY}/handler.handler`,
      FunctionName: `${SERVICE}-${STAGE}-${NEW_CATEGORY}`,
      Runtime: 'nodejs24.x',
      Role: { 'Fn::GetAtt': ['ExportsRole', 'Arn'] },
    });
    expect(readFileSync(join(packageDir, `${NEW_CATEGORY}.zip`)).length).toBeGreaterThan(0);
  });

  it('gives it a topic of its own, with the policy and alarms of every topic', () => {
    // Act
    const topic = resources.ExportsEventsTopic!;
    const policy = resources.ExportsEventsTopicPolicy!;
    const alarmed = Object.values(resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.Namespace === 'AWS/SNS')
      .filter((r) => r.Properties.Dimensions[0].Value === `${SERVICE}-${STAGE}-events-${NEW_CATEGORY}`)
      .map((r) => r.Properties.MetricName);

    // Assess
    expect(topic.Properties).toEqual({
      TopicName: `${SERVICE}-${STAGE}-events-${NEW_CATEGORY}`,
      KmsMasterKeyId: { 'Fn::If': ['TopicEncrypted', '', { Ref: 'AWS::NoValue' }] },
    });
    expect(policy.Properties.Topics).toEqual([{ Ref: 'ExportsEventsTopic' }]);
    expect(alarmed.sort()).toEqual(['NumberOfNotificationsFailed', 'NumberOfNotificationsFailedToRedriveToDlq']);
  });

  it('subscribes it to its own topic, with SNS allowed to invoke it and to redrive to its dead-letter queue', () => {
    // Act
    const subscription = resources.ExportsSnsSubscriptionExportsEvents!;
    const permission = resources.ExportsLambdaPermissionExportsEventsSNS!;

    // Assess
    expect(subscription.Properties).toMatchObject({
      Protocol: 'lambda',
      TopicArn: { Ref: 'ExportsEventsTopic' },
      Endpoint: { 'Fn::GetAtt': ['ExportsLambdaFunction', 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['ExportsDeadLetterQueue', 'Arn'] } },
    });
    expect(permission.Properties).toMatchObject({ Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'ExportsEventsTopic' } });
    expect(resources.StreamEventsToExportsDLQPolicy?.Type).toBe('AWS::SQS::QueuePolicy');
  });

  it('gives it a retained dead-letter queue, an alarm on it, and two retries before it', () => {
    // Act
    const queue = resources.ExportsDeadLetterQueue!;
    const alarm = resources.ExportsDeadLetterAlarm!;
    const invokeConfig = resources.ExportsLambdaEvConf!;

    // Assess
    expect(queue).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { QueueName: `${SERVICE}-${STAGE}-${NEW_CATEGORY}-dlq`, MessageRetentionPeriod: 1209600 },
    });
    expect(alarm.Properties.Dimensions).toEqual([{ Name: 'QueueName', Value: `${SERVICE}-${STAGE}-${NEW_CATEGORY}-dlq` }]);
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: 'ExportsLambdaFunction' },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['ExportsDeadLetterQueue', 'Arn'] } } },
    });
  });

  it('gives its role its own log group and dead-letter queue, and nothing of another category', () => {
    // Act
    const statements = resources.ExportsRole!.Properties.Policies[0].PolicyDocument.Statement;

    // Assess
    expect(statements[0].Resource['Fn::Sub']).toMatch(new RegExp(`/aws/lambda/${SERVICE}-${STAGE}-${NEW_CATEGORY}:\\*$`));
    expect(statements[3].Resource).toEqual({ 'Fn::GetAtt': ['ExportsDeadLetterQueue', 'Arn'] });
    expect(JSON.stringify(statements)).not.toMatch(new RegExp(CATEGORIES.join('|'), 'i'));
  });

  it('registers the hook only after the new category can take events', () => {
    // Act
    const dependsOn = resources.StreamHook!.DependsOn!;

    // Assess
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        'ExportsEventsTopicPolicy',
        'ExportsSnsSubscriptionExportsEvents',
        'ExportsLambdaPermissionExportsEventsSNS',
        'ExportsLambdaEvConf',
        'StreamEventsToExportsDLQPolicy',
      ]),
    );
  });

  it('keeps the other categories as they were, and reaches Lambda’s name limit exactly at the longest stage', () => {
    // Act
    const functionNames = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.FunctionName as string);

    // Assess
    expect(functionNames.sort()).toEqual([...CATEGORIES, NEW_CATEGORY, 'setup'].map((c) => `${SERVICE}-${STAGE}-${c}`).sort());
    expect(Math.max(...functionNames.map((name) => name.length))).toBe(64);
  });
});
