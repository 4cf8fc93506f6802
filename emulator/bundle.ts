/**
 * Bundles an entry file with the esbuild options serverless-esbuild built the deployed functions with (read from the
 * package: `PackagedService.bundling`), for local tools that need a function other than the deployed ones (the
 * soak's recording handlers, the benchmark's peers) built the same way.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployBundling } from './packaged-service.js';

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Bundles `entries` (name -> source file) into a folder inside the project; returns name -> bundle file. */
export async function bundleLikeDeploy(
  entries: Record<string, string>,
  bundling: DeployBundling,
): Promise<{ files: Record<string, string>; remove(): void }> {
  // Loaded on use: most users of the emulator never bundle.
  const { build } = await import('esbuild');
  const { outputFileExtension, ...options } = bundling;
  mkdirSync(join(PROJECT_DIR, '.local'), { recursive: true });
  // Inside the project: the bundles leave the AWS SDK to the runtime, and the project's node_modules plays it.
  const outdir = mkdtempSync(join(PROJECT_DIR, '.local', 'bundle-'));
  await build({ ...options, entryPoints: entries, outdir, outExtension: { '.js': outputFileExtension }, logLevel: 'error' });
  return {
    files: Object.fromEntries(Object.keys(entries).map((name) => [name, join(outdir, `${name}${outputFileExtension}`)])),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
