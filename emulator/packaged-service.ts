/**
 * What a packaged service says, read from the folder `serverless package --package <dir>` writes: the
 * CloudFormation template deploy would submit (cloudformation-template-update-stack.json) and the service as osls
 * resolved it (serverless-state.json). This is the emulator's only reading of the configuration: serverless.yml is
 * read once, by osls, and every local tool and test follows what it packaged.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions as EsbuildOptions } from 'esbuild';
import type { RoutingSettings } from '../shared/routing.js';
import { routingSettingsOf } from '../template/routing-settings.js';
import { PackagedServiceError } from './errors.js';
import { localTopicArn } from './local-sns.js';

/** The template's file in a package folder. */
export const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
/** The resolved service in a package folder. */
const STATE_FILE = 'serverless-state.json';

/** A function subscribed to a topic, as the packaged template defines it. */
export interface PackagedFunction {
  /** The function's key in serverless.yml (`messages`), which names its zip. */
  name: string;
  /** Its deployed name (`stream-chat-events-dev-messages`), the last part of the ARN its dead letters name. */
  functionName: string;
  /** `Handler`: the module path inside the zip and the export (`functions/messages/handler.handler`). */
  handler: string;
  /** Its environment, as deployed. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  /** `MemorySize`; the local run caps each execution environment's heap at about 90% of it, as Lambda does. */
  memorySizeMb: number;
  /** `ReservedConcurrentExecutions`, if set: the most execution environments the function may have at once. */
  reservedConcurrency: number | undefined;
  /** How many times Lambda retries a failed asynchronous invocation. */
  maximumRetryAttempts: number;
  /** Its zip in the package folder. */
  zipFile: string;
}

/** The idempotency table's definition, as CreateTable takes it. */
export interface TableDefinition {
  tableName: string;
  KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  BillingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
}

/** The esbuild options serverless-esbuild bundled the functions with (`custom.esbuild`), as esbuild takes them. */
export type DeployBundling = Pick<
  EsbuildOptions,
  'bundle' | 'minify' | 'keepNames' | 'sourcemap' | 'target' | 'platform' | 'format' | 'external'
> & {
  /** serverless-esbuild's `outputFileExtension` (`.cjs`). */
  outputFileExtension: string;
};

/** A package folder, read. */
export interface PackagedService {
  packageDir: string;
  /** The functions subscribed to a topic, each once, in template order. */
  functions: PackagedFunction[];
  /** The stack's DynamoDB table that the functions name in IDEMPOTENCY_TABLE. */
  idempotencyTable: TableDefinition;
  bundling: DeployBundling;
  /** The size of every function's zip (the subscribed ones and the others), as deploy would upload it. */
  zipBytes: Record<string, number>;
  /**
   * How the stack routes, from its Stream hook's custom resource (`Routing`, `CatchAll`, `EventTypes`), and the ARN
   * its events topic has locally; undefined for a service without one (a test fixture), whose every subscribed
   * function then receives every delivery.
   */
  routing: PackagedRouting | undefined;
}

/** A packaged stack's routing, as the local run models it. */
export interface PackagedRouting {
  settings: RoutingSettings;
  /** `arn:aws:sns:<region>:111122223333:<events topic name>`. */
  eventsTopicArn: string;
}

type Resource = { Type: string; Properties: Record<string, any> };

/** Reads a package folder; throws {@link PackagedServiceError}, naming the folder, when it is not one. */
export function readPackagedService(packageDir: string): PackagedService {
  const template = readJson<{ Resources: Record<string, Resource> }>(packageDir, TEMPLATE_FILE);
  const state = readJson<{ service: { custom?: { esbuild?: Record<string, unknown> }; provider?: { region?: string } } }>(
    packageDir,
    STATE_FILE,
  );
  const resources = Object.entries(template.Resources);
  const subscribed = [
    ...new Set(
      resources
        .filter(([, r]) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'lambda')
        .map(([, r]) => r.Properties.Endpoint['Fn::GetAtt'][0] as string),
    ),
  ];
  const functions = subscribed.map((logicalId): PackagedFunction => {
    const properties = template.Resources[logicalId]!.Properties;
    const name = logicalId.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase());
    const invokeConfig = resources.find(
      ([, r]) => r.Type === 'AWS::Lambda::EventInvokeConfig' && r.Properties.FunctionName.Ref === logicalId,
    )?.[1];
    return {
      name,
      functionName: typeof properties.FunctionName === 'string' ? properties.FunctionName : name,
      handler: properties.Handler,
      environment: properties.Environment?.Variables ?? {},
      // CloudFormation's defaults when the template leaves them out.
      timeoutSeconds: properties.Timeout ?? 3,
      memorySizeMb: properties.MemorySize ?? 128,
      reservedConcurrency: properties.ReservedConcurrentExecutions,
      maximumRetryAttempts: invokeConfig?.Properties.MaximumRetryAttempts ?? 2,
      zipFile: join(packageDir, `${name}.zip`),
    };
  });
  const zipBytes = Object.fromEntries(
    readdirSync(packageDir)
      .filter((file) => file.endsWith('.zip'))
      .map((file) => [file.replace(/\.zip$/, ''), statSync(join(packageDir, file)).size]),
  );
  return {
    packageDir,
    functions,
    idempotencyTable: idempotencyTableOf(template.Resources, functions, packageDir),
    bundling: bundlingOf(state.service.custom?.esbuild ?? {}),
    zipBytes,
    routing: routingOf(template.Resources, state.service.provider?.region ?? 'us-east-1'),
  };
}

/** The Stream hook's routing properties and the topic it names; undefined when the template has no hook. */
function routingOf(resources: Record<string, Resource>, region: string): PackagedRouting | undefined {
  const hook = Object.values(resources).find((r) => r.Type === 'Custom::StreamSnsHook');
  const topicName = resources[hook?.Properties.TopicArn?.Ref]?.Properties.TopicName;
  if (hook === undefined || typeof topicName !== 'string') return undefined;
  const { Routing: routing, CatchAll: catchAll, EventTypes: streamEventTypes } = hook.Properties;
  return { settings: routingSettingsOf({ routing, catchAll, streamEventTypes }), eventsTopicArn: localTopicArn(topicName, region) };
}

function readJson<T>(packageDir: string, file: string): T {
  const path = join(packageDir, file);
  if (!existsSync(path)) {
    throw new PackagedServiceError(
      `${packageDir} is not a serverless package folder: it has no ${file} (make one with npx serverless package --package <dir>)`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function idempotencyTableOf(resources: Record<string, Resource>, functions: PackagedFunction[], packageDir: string): TableDefinition {
  const tableName = functions[0]?.environment.IDEMPOTENCY_TABLE;
  const table = Object.values(resources).find((r) => r.Type === 'AWS::DynamoDB::Table' && r.Properties.TableName === tableName);
  if (tableName === undefined || table === undefined) {
    throw new PackagedServiceError(
      `the template in ${packageDir} has no table named by the functions' IDEMPOTENCY_TABLE (${tableName ?? 'not set'})`,
    );
  }
  const { KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } = table.Properties;
  return { tableName, KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification };
}

function bundlingOf(esbuild: Record<string, unknown>): DeployBundling {
  return {
    bundle: esbuild.bundle as boolean,
    minify: esbuild.minify as boolean,
    keepNames: esbuild.keepNames as boolean,
    sourcemap: esbuild.sourcemap as boolean,
    target: esbuild.target as string,
    platform: esbuild.platform as EsbuildOptions['platform'],
    format: esbuild.format as EsbuildOptions['format'],
    external: esbuild.external as string[],
    outputFileExtension: String(esbuild.outputFileExtension ?? '.js'),
  };
}
