/**
 * The example of docs/add-code.md, run as the page gives it: the handler block and its test block are taken out of
 * the page (each follows an `<!-- example: <path> -->` line), written at those paths in a scratch copy of the
 * project's layout (shared/ and testing/ linked to the real ones), and the example's own tests are imported here,
 * so that they run in this file. The page and the test cannot differ: there is only the page.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/serverless-cli.js';

const PAGE = 'docs/add-code.md';
const markdown = readFileSync(join(PROJECT_DIR, PAGE), 'utf8');
const examples = new Map([...markdown.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map(([, path, code]) => [path!, code!]));

const scratch = join(PROJECT_DIR, '.local', `doc-example-${randomUUID()}`);
for (const [path, code] of examples) {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), code);
}
for (const linked of ['shared', 'testing']) symlinkSync(join(PROJECT_DIR, linked), join(scratch, linked), 'dir');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe(`${PAGE}, its examples`, () => {
  it('gives a handler and its test, the handler throwing when the answer is not OK', () => {
    // Assess
    expect([...examples.keys()]).toEqual(['functions/messages/handler.ts', 'test/handlers/messages.test.ts']);
    expect(examples.get('functions/messages/handler.ts')).toMatch(/if \(!response\.ok\) throw/);
  });

  describe('test/handlers/messages.test.ts, run on the handler above', async () => {
    await import(join(scratch, 'test/handlers/messages.test.ts'));
  });
});
