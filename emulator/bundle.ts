/**
 * Bundles an entry file with the esbuild options serverless.yml gives serverless-esbuild, for local tools that
 * need a function other than the deployed ones (the soak's recording handlers, the benchmark's peers) built the
 * same way as the deployed ones.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { readServerlessConfig } from './serverless-config.js';

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Bundles `entries` (name -> source file) into a folder inside the project; returns name -> .cjs file. */
export async function bundleLikeDeploy(entries: Record<string, string>): Promise<{ files: Record<string, string>; remove(): void }> {
  const options = (readServerlessConfig() as unknown as { custom: { esbuild: Record<string, unknown> } }).custom.esbuild;
  mkdirSync(join(PROJECT_DIR, '.local'), { recursive: true });
  // Inside the project: the bundles leave the AWS SDK to the runtime, and the project's node_modules plays it.
  const outdir = mkdtempSync(join(PROJECT_DIR, '.local', 'bundle-'));
  await build({
    entryPoints: entries,
    outdir,
    bundle: options.bundle as boolean,
    minify: options.minify as boolean,
    keepNames: options.keepNames as boolean,
    sourcemap: options.sourcemap as boolean,
    target: options.target as string,
    platform: options.platform as BuildOptions['platform'],
    format: options.format as BuildOptions['format'],
    external: options.external as string[],
    outExtension: { '.js': String(options.outputFileExtension ?? '.js') },
    logLevel: 'error',
  });
  const extension = String(options.outputFileExtension ?? '.js');
  return {
    files: Object.fromEntries(Object.keys(entries).map((name) => [name, join(outdir, `${name}${extension}`)])),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
