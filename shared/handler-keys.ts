/**
 * The handler keys a category's function may register: its own catalog types and `fallback`; for `other`, also any
 * type the catalog does not list (custom events, and types Stream adds later, reach `other` alone).
 *
 * A handler registered under another category's type is never called: the ownership rule (shared/ownership.ts)
 * never hands that type to this function, and the event goes to its owner's fallback instead, without a word.
 * TypeScript catches it in the handler files of this template (CategoryHandlers), but not after a type moves in
 * the catalog without a type check, nor in code built by `serverless package` alone (esbuild does not type-check).
 * So `streamEventFunction` runs this check at initialisation, and the template plugin at `serverless package`.
 */
import { type Category, categoryOf, EVENT_TYPE_CATEGORY } from './catalog.js';
import { HandlerKeyError } from './errors.js';

/** The key every category may use for its types without a handler of their own. */
export const FALLBACK_KEY = 'fallback' as const;

/**
 * Throws {@link HandlerKeyError} for the first key `category` may not register, naming the category that owns it
 * (or saying that only `other` receives types the catalog does not list).
 */
export function checkHandlerKeys(category: Category, keys: readonly string[]): void {
  for (const key of keys) {
    if (key === FALLBACK_KEY) continue;
    const listed = Object.hasOwn(EVENT_TYPE_CATEGORY, key);
    // categoryOf gives a type the catalog does not list to other, so this also lets other name custom types.
    const owner = categoryOf(key);
    if (owner === category) continue;
    throw new HandlerKeyError(
      category,
      key,
      listed
        ? `the catalog gives "${key}" to ${owner}, so ${category}'s handler for it would never run: move the handler to functions/${owner}/handler.ts, or the type to ${category} in shared/catalog.ts`
        : `"${key}" is not a type of shared/catalog.ts, and a type the catalog does not list reaches other alone: register it in functions/other/handler.ts, or add it to ${category} in the catalog`,
    );
  }
}
