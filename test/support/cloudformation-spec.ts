/**
 * Validates a CloudFormation template against the resource specification AWS publishes for the CDK
 * (@aws-cdk/aws-service-spec): every resource type exists, every property name is known, every required
 * property is present, recursively through nested property types. Values that are intrinsic functions
 * ({ Ref }, { 'Fn::...' }) are not looked into: CloudFormation resolves them at deploy time.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;
interface PropertySpec {
  type: PropertyType;
  required?: boolean;
}
type PropertyType =
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: PropertyType }
  | { type: 'union'; types: PropertyType[] }
  | { type: string };

/** Every problem found, as `LogicalId.Path: problem`; empty when the template is valid. */
export async function validateTemplate(template: { Resources: Record<string, { Type: string; Properties?: unknown }> }): Promise<string[]> {
  const db = await loadAwsServiceSpec();
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    // A custom resource's properties are its own; CloudFormation only requires the ServiceToken.
    if (resource.Type.startsWith('Custom::')) {
      if (!(resource.Properties as Record<string, unknown> | undefined)?.ServiceToken) {
        problems.push(`${logicalId}.Properties: missing required property ServiceToken`);
      }
      continue;
    }
    const found = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length === 0) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    const properties = found[0]!.properties as Record<string, PropertySpec>;
    checkObject(db, `${logicalId}.Properties`, resource.Properties ?? {}, properties, problems);
  }
  return problems;
}

function checkObject(
  db: SpecDatabase,
  path: string,
  value: unknown,
  spec: Record<string, PropertySpec>,
  problems: string[],
): void {
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
    value.forEach((element, i) => checkValue(db, `${path}[${i}]`, element, type.element, problems));
  } else if (type.type === 'union' && 'types' in type) {
    // A union accepts the value when any member does.
    const attempts = type.types.map((member) => {
      const found: string[] = [];
      checkValue(db, path, value, member, found);
      return found;
    });
    if (!attempts.some((found) => found.length === 0)) problems.push(...(attempts[0] ?? []));
  }
}

function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition');
}
