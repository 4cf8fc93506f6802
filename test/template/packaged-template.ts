/**
 * The packaged CloudFormation template, as `serverless package` writes it (the real osls, offline), and the few
 * ways the template tests read it. Packaging goes through test/support/serverless-cli.ts, the suite's one runner.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverless } from '../support/serverless-cli.js';
import { testPackage } from '../support/test-builds.js';

export type Resource = {
  Type: string;
  Properties: Record<string, any>;
  Condition?: string;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
export type Template = { Resources: Record<string, Resource>; Outputs: Record<string, any>; Conditions: Record<string, unknown> };

/** A package: its template, the service as osls resolved it (serverless-state.json), and its folder (the zips). */
export interface Packaged {
  template: Template;
  service: { custom: Record<string, any>; provider: Record<string, any> };
  dir: string;
}

/**
 * Runs `serverless package` with these arguments (stage dev unless given) into a folder of its own; the project as
 * it is (no arguments) is the run's one package of it (test/support/test-builds.ts), not packaged again. Arguments
 * that are parameters only (`--param`) give another template of the same code: that package takes the run's zips
 * instead of bundling them again (`prebuilt`, test/support/serverless-cli.ts), and its template is all that differs.
 */
export async function packageTemplate(args: string[] = [], projectDir?: string): Promise<Packaged> {
  const asItIs = args.length === 0 && projectDir === undefined;
  const dir = asItIs ? await testPackage('project') : mkdtempSync(join(tmpdir(), 'sls-package-'));
  const stage = args.includes('--stage') ? [] : ['--stage', 'dev'];
  if (!asItIs) {
    const prebuilt = projectDir === undefined && parametersOnly(args);
    if (prebuilt) {
      const built = await testPackage('project');
      for (const zip of readdirSync(built).filter((name) => name.endsWith('.zip'))) copyFileSync(join(built, zip), join(dir, zip));
    }
    await serverless(['package', ...stage, ...args, '--package', dir], { ...(projectDir === undefined ? {} : { projectDir }), prebuilt });
  }
  return {
    template: JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')),
    service: JSON.parse(readFileSync(join(dir, 'serverless-state.json'), 'utf8')).service,
    dir,
  };
}

/** Whether the arguments are `--param name=value` pairs and nothing else (the run's package is stage dev). */
const parametersOnly = (args: string[]): boolean =>
  args.length > 0 && args.length % 2 === 0 && args.every((arg, i) => (i % 2 === 0 ? arg === '--param' : arg.includes('=')));

/** The template's resources of one type, as [logical id, resource]. */
export const resourcesOfType = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** A principal's statements; a conditional one (Fn::If) counts with its statement when the condition holds. */
export const statementsOf = (resource: Resource): Array<Record<string, any>> =>
  (resource.Properties.Policies ?? [])
    .flatMap((policy: any) => policy.PolicyDocument.Statement)
    .map((statement: any) => (statement['Fn::If'] ? statement['Fn::If'][1] : statement));

/** A value that may be one item or a list, as a list. */
export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** osls's logical-id form of a function name. */
export const capitalized = (name: string) => name[0]!.toUpperCase() + name.slice(1);
