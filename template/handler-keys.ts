/**
 * The handler-key check of `serverless package` (shared/handler-keys.ts): esbuild bundles a handler file without a
 * type check, so a handler registered under another category's type would be packaged and never called. Loading a
 * category's handler module runs `streamEventFunction`, which checks its keys before anything else.
 *
 * Limitation: loading runs the module's top-level code, as `serverless invoke local` does; whatever fails after the
 * key check (a setting the package-time environment lacks) is not this check's to report, and is left to the build
 * and the function's cold start.
 */
import { join } from 'node:path';
import { CATEGORIES } from '../shared/catalog.js';
import { HandlerKeyError } from '../shared/errors.js';

/** The error's name: a module loaded through tsx has its own copy of shared/errors.ts, so instanceof cannot tell. */
const HANDLER_KEY_ERROR = 'HandlerKeyError';

/**
 * Loads `functions/<category>/handler.ts` of every category under `serviceDir` as the ES modules they are (their
 * dependencies include ESM-only packages, which tsx's require cannot load); throws the first HandlerKeyError.
 */
export async function checkCategoryHandlers(serviceDir: string): Promise<void> {
  const { tsImport } = await import('tsx/esm/api');
  for (const category of CATEGORIES) {
    const file = join(serviceDir, 'functions', category, 'handler.ts');
    try {
      await tsImport(file, file);
    } catch (error) {
      if ((error as Error | undefined)?.name === HANDLER_KEY_ERROR) {
        const { category: owner, key } = error as HandlerKeyError;
        throw new HandlerKeyError(owner, key, (error as Error).message.replace(/^.*?: /, ''));
      }
    }
  }
}
