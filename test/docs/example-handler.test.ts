/**
 * The example of docs/add-code.md, run as the page gives it: the handler block and its test block are taken out of
 * the page (each follows an `<!-- example: <path> -->` line), written at those paths in a scratch copy of the
 * project's layout (shared/ and testing/ linked to the real ones, test/support/doc-examples.ts), and the example's
 * own tests are imported here, so that they run in this file. The page and the test cannot differ: there is only the
 * page. The real `tsc` checks the same examples in test/template/add-category.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDocExamples } from '../support/doc-examples.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';

const PAGE = 'docs/add-code.md';
const scratch = join(PROJECT_DIR, '.local', `doc-example-${randomUUID()}`);
const examples = writeDocExamples(PAGE, scratch, PROJECT_DIR);

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
