/**
 * Validates a CloudFormation template against the resource specification AWS publishes for the CDK
 * (@aws-cdk/aws-service-spec): every resource type exists, every property name is known, every required
 * property is present and every scalar has its type, recursively through nested property types; and the resource
 * attributes CloudFormation checks before creating anything (DependsOn and Condition name what exists, deletion
 * policies are ones it knows). Values that are intrinsic functions ({ Ref }, { 'Fn::...' }) are not looked into:
 * CloudFormation resolves them at deploy time.
 *
 * Limitation: a custom resource's own properties are free-form; only those CloudFormation reserves
 * (AWS::CloudFormation::CustomResource's ServiceToken and ServiceTimeout) are checked.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;

/**
 * The specification, loaded once per test worker and kept on `globalThis`: loading it (gunzip and parse) costs
 * 0.3-0.6 s of CPU each time (measured on 2026-12-08), every template check loaded it again, and the test runner
 * loads this module afresh for each file (test/support/fresh-modules.ts). It is only read, never changed.
 */
const SPEC = Symbol.for('stream-chat-sns-lambda.awsServiceSpec');
const specGlobals = globalThis as Record<symbol, Promise<SpecDatabase> | undefined>;
const specDatabase = (): Promise<SpecDatabase> => (specGlobals[SPEC] ??= loadAwsServiceSpec());
interface PropertySpec {
  type: PropertyType;
  required?: boolean;
}
type PropertyType =
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: PropertyType }
  | { type: 'union'; types: PropertyType[] }
  | { type: string };

/** A resource as a template holds it. */
interface TemplateResource {
  Type: string;
  Properties?: unknown;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** The values CloudFormation accepts for the two policies. */
const POLICIES = {
  DeletionPolicy: ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'],
  UpdateReplacePolicy: ['Delete', 'Retain', 'Snapshot'],
} as const;

/** How a scalar of each primitive type is recognised. */
const SCALARS: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  integer: (value) => Number.isInteger(value),
  number: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
};

/** Every problem found, as `LogicalId.Path: problem`; empty when the template is valid. */
export async function validateTemplate(template: {
  Resources: Record<string, TemplateResource>;
  Conditions?: Record<string, unknown>;
}): Promise<string[]> {
  const db = await specDatabase();
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    checkAttributes(logicalId, resource, template, problems);
    const type = resource.Type.startsWith('Custom::') ? 'AWS::CloudFormation::CustomResource' : resource.Type;
    const found = db.lookup('resource', 'cloudFormationType', 'equals', type);
    if (found.length === 0) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    const properties = found[0]!.properties as Record<string, PropertySpec>;
    if (type === resource.Type) {
      checkObject(db, `${logicalId}.Properties`, resource.Properties ?? {}, properties, problems);
    } else {
      const reserved = Object.fromEntries(Object.entries((resource.Properties ?? {}) as object).filter(([name]) => name in properties));
      checkObject(db, `${logicalId}.Properties`, reserved, properties, problems);
    }
  }
  return problems;
}

function checkAttributes(
  logicalId: string,
  resource: TemplateResource,
  template: { Resources: Record<string, unknown>; Conditions?: Record<string, unknown> },
  problems: string[],
): void {
  for (const dependency of [resource.DependsOn ?? []].flat()) {
    if (!Object.hasOwn(template.Resources, dependency)) problems.push(`${logicalId}.DependsOn: no resource ${dependency}`);
  }
  if (resource.Condition !== undefined && !Object.hasOwn(template.Conditions ?? {}, resource.Condition)) {
    problems.push(`${logicalId}.Condition: no condition ${resource.Condition}`);
  }
  for (const [attribute, allowed] of Object.entries(POLICIES)) {
    const value = resource[attribute as keyof typeof POLICIES];
    if (value !== undefined && !(allowed as readonly string[]).includes(value))
      problems.push(`${logicalId}.${attribute}: unknown policy ${value}`);
  }
}

function checkObject(db: SpecDatabase, path: string, value: unknown, spec: Record<string, PropertySpec>, problems: string[]): void {
  if (isIntrinsic(value)) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  for (const [name, property] of Object.entries(spec)) {
    if (property.required && !(name in value)) problems.push(`${path}: missing required property ${name}`);
  }
  for (const [name, child] of Object.entries(value)) {
    const property = spec[name];
    if (property === undefined) {
      problems.push(`${path}: unknown property ${name}`);
      continue;
    }
    checkValue(db, `${path}.${name}`, child, property.type, problems);
  }
}

function checkValue(db: SpecDatabase, path: string, value: unknown, type: PropertyType, problems: string[]): void {
  if (isIntrinsic(value)) return;
  if (type.type === 'ref' && 'reference' in type) {
    const definition = db.get('typeDefinition', type.reference.$ref) as { properties: Record<string, PropertySpec> };
    checkObject(db, path, value, definition.properties, problems);
  } else if (type.type === 'array' && 'element' in type) {
    if (!Array.isArray(value)) return void problems.push(`${path}: expected a list`);
    for (const [i, element] of value.entries()) checkValue(db, `${path}[${i}]`, element, type.element, problems);
  } else if (type.type === 'union' && 'types' in type) {
    // A union accepts the value when any member does.
    const attempts = type.types.map((member) => {
      const found: string[] = [];
      checkValue(db, path, value, member, found);
      return found;
    });
    if (!attempts.some((found) => found.length === 0)) problems.push(...(attempts[0] ?? []));
  } else if (SCALARS[type.type] && !SCALARS[type.type]!(value)) {
    problems.push(`${path}: expected ${type.type === 'integer' ? 'an' : 'a'} ${type.type}`);
  }
}

function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition');
}
