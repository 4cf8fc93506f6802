/**
 * Reads serverless.yml for the local tools and the tests, so that they follow the file that deploys instead of a
 * second copy of it: how the idempotency table is defined, how functions retry, how esbuild bundles.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

/** serverless.yml at the project's root. */
const SERVERLESS_YML = fileURLToPath(new URL('../serverless.yml', import.meta.url));

// CloudFormation's short forms (!Ref, !GetAtt, ...) become their long forms ({ Ref }, { 'Fn::GetAtt' }).
const cloudFormationTags = ['Ref', 'GetAtt', 'Sub', 'If', 'Equals', 'Not', 'Condition', 'Join', 'Select', 'ImportValue']
  .flatMap((name) => {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    const construct = (value: unknown) =>
      ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value });
    return (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${name}`, { kind, construct }),
    );
  });
const schema = yaml.DEFAULT_SCHEMA.extend(cloudFormationTags);

type Resources = { Resources?: Record<string, { Type: string; Properties: Record<string, unknown> }> };

/**
 * The parts of serverless.yml the local tools read. `functions` and `resources` are lists that osls merges: the
 * per-category copies (a `${file(...)}` variable, a string here) and the rest; `custom.eachCategory` holds the
 * block every category is copied from.
 */
export interface ServerlessConfig {
  service: string;
  functions: Array<string | Record<string, { handler: string; maximumRetryAttempts?: number }>>;
  resources: Array<string | Resources>;
  custom: { eachCategory: { functions: Record<'<category>', { maximumRetryAttempts?: number }> } };
}

/** Parses serverless.yml (variables such as `${sls:stage}` are left as they are). */
export function readServerlessConfig(path = SERVERLESS_YML): ServerlessConfig {
  return yaml.load(readFileSync(path, 'utf8'), { schema }) as ServerlessConfig;
}

/** The idempotency table's key schema, attributes, billing and TTL, from its resource in serverless.yml. */
export function idempotencyTableDefinition(config = readServerlessConfig()) {
  const table = config.resources.flatMap((part) => (typeof part === 'string' ? [] : [part.Resources?.IdempotencyTable])).find(Boolean);
  if (table?.Type !== 'AWS::DynamoDB::Table') throw new Error('serverless.yml has no IdempotencyTable resource');
  const { KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } = table.Properties as {
    KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
    AttributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
    BillingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
    TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
  };
  return { KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification };
}
