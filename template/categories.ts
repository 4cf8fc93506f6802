/**
 * The per-category parts of serverless.yml, one copy for each category of shared/catalog.ts.
 *
 * serverless.yml writes a category's function, dead-letter queue, alarm, role and the resources the hook waits for
 * once, under `custom.eachCategory`, with `<category>` where the category's name goes (`messages`) and
 * `<Category>` where osls's logical-id form of it goes (`Messages`). osls loads this module at package time through
 * `${file(./template/categories.cjs):...}` variables: each one resolves to the copies, built from the resolved
 * block (so `${self:custom.prefix}` and the like are already filled in). Adding a category is then a catalog entry
 * and its handler file; nothing in serverless.yml names a category.
 *
 * Limitation: a category name must be a letter followed by letters and digits. It becomes part of a function
 * name, a queue name and CloudFormation logical ids, and only such a name reads the same in all three.
 */
import { CATEGORIES } from '../shared/catalog.js';
import { CategoryNameError, PlaceholderOutsideCopyError } from './errors.js';

/** The two placeholders of `custom.eachCategory`. */
const Placeholder = {
  /** The category as the catalog names it: `messages`. */
  name: '<category>',
  /** The category as osls names its function's resources: `Messages` (`MessagesLambdaFunction`). */
  logicalId: '<Category>',
} as const;

const CATEGORY_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** What osls passes to a function a `${file(...)}` variable names. */
interface VariableResolver {
  resolveConfigurationProperty(path: string[]): Promise<unknown>;
}

/** The block of serverless.yml every category is copied from. */
interface EachCategory {
  functions: Record<string, unknown>;
  resources: Record<string, unknown>;
  streamHookDependsOn: unknown[];
}

/** `functions` of serverless.yml: one function per category. */
export async function functions(resolver: VariableResolver): Promise<unknown> {
  return copyForEachCategory((await eachCategory(resolver)).functions, CATEGORIES);
}

/** `resources` of serverless.yml: each category's dead-letter queue, alarm and role. */
export async function resources(resolver: VariableResolver): Promise<unknown> {
  return { Resources: copyForEachCategory((await eachCategory(resolver)).resources, CATEGORIES) };
}

/** StreamHook's `DependsOn`: everything that delivers an event, for every category. */
export async function streamHookDependsOn(resolver: VariableResolver): Promise<unknown> {
  return copyForEachCategory((await eachCategory(resolver)).streamHookDependsOn, CATEGORIES);
}

async function eachCategory(resolver: VariableResolver): Promise<EachCategory> {
  return (await resolver.resolveConfigurationProperty(['custom', 'eachCategory'])) as EachCategory;
}

/**
 * Copies a block for each category: a mapping key naming a placeholder becomes one key per category (its value
 * copied with the placeholders filled in), a list item naming one becomes one item per category, and everything
 * else stays once. A placeholder anywhere else is an error: it would reach CloudFormation as it is written.
 */
export function copyForEachCategory<T>(block: T, categories: readonly string[]): T {
  for (const category of categories) {
    if (!CATEGORY_NAME.test(category)) throw new CategoryNameError(category);
  }
  return expand(block, categories, []) as T;
}

function expand(node: unknown, categories: readonly string[], path: string[]): unknown {
  if (Array.isArray(node)) {
    return node.flatMap((item, i) =>
      namesPlaceholder(item) ? categories.map((category) => fill(item, category)) : [expand(item, categories, [...path, String(i)])],
    );
  }
  if (isMapping(node)) {
    return Object.fromEntries(
      Object.entries(node).flatMap(([key, value]) =>
        namesPlaceholder(key)
          ? categories.map((category) => [fill(key, category), fill(value, category)])
          : [[key, expand(value, categories, [...path, key])]],
      ),
    );
  }
  if (namesPlaceholder(node)) throw new PlaceholderOutsideCopyError(path.join('.'), String(node));
  return node;
}

/** The node with every placeholder, in keys and in strings, replaced by the category. */
function fill(node: unknown, category: string): unknown {
  if (typeof node === 'string') {
    return node.replaceAll(Placeholder.name, category).replaceAll(Placeholder.logicalId, logicalIdOf(category));
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, category));
  if (isMapping(node)) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [fill(key, category), fill(value, category)]));
  }
  return node;
}

/** osls's logical-id form of a function name (its `getNormalizedFunctionName`), for the names it accepts here. */
function logicalIdOf(category: string): string {
  return category[0]!.toUpperCase() + category.slice(1);
}

function namesPlaceholder(node: unknown): node is string {
  return typeof node === 'string' && (node.includes(Placeholder.name) || node.includes(Placeholder.logicalId));
}

function isMapping(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}
