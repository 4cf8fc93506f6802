/**
 * The code examples of a docs/ page: each fenced `ts` block that follows an `<!-- example: <path> -->` line, by the
 * path the page gives it. test/docs/example-handler.test.ts runs them; test/template/add-category.test.ts
 * type-checks them with the real `tsc`, in the copy of the project it type-checks anyway.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_DIR } from './serverless-cli.js';

/** The page's examples, path to code, in the page's order. */
export function docExamples(page: string): Map<string, string> {
  const markdown = readFileSync(join(PROJECT_DIR, page), 'utf8');
  return new Map([...markdown.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map(([, path, code]) => [path!, code!]));
}

/**
 * Writes the page's examples under `dir` at their paths. With `linkFrom`, `dir/shared` and `dir/testing` are links to
 * that project's, so that a scratch folder resolves the examples' relative imports (`../../shared/middleware.js`) as
 * the project would; a copy of the project has its own.
 */
export function writeDocExamples(page: string, dir: string, linkFrom?: string): Map<string, string> {
  const examples = docExamples(page);
  for (const [path, code] of examples) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
  if (linkFrom !== undefined) for (const linked of ['shared', 'testing']) symlinkSync(join(linkFrom, linked), join(dir, linked), 'dir');
  return examples;
}
