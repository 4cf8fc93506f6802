/**
 * Builds the functions exactly as `sls deploy` does (the real `serverless package`, serverless-esbuild included)
 * and unpacks each function's zip, so that the local run executes the very bundles that would deploy; or unpacks a
 * package folder built before (`npm start -- --build <dir>`), so that a run, or every test of a suite, need not
 * package again.
 *
 * A build runs in a staging folder of its own (symbolic links to the service's files), with serverless-esbuild's
 * work folder inside it: osls deletes `<service>/.serverless` on every package and serverless-esbuild writes to
 * `<service>/.esbuild`, so packaging in the service itself would destroy what an operator keeps in `.serverless/`,
 * and two builds at once would write over each other.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import extractZip from 'extract-zip';
import { BuildError } from './errors.js';
import { type PackagedFunction, type PackagedService, readPackagedService } from './packaged-service.js';

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));
/** Where builds and unpacked bundles go: inside the project, whose node_modules plays the Lambda runtime's part. */
const LOCAL_DIR = join(PROJECT_DIR, '.local');

/**
 * Where osls's Node keeps the code it compiled (NODE_COMPILE_CACHE, Node 22.1 and newer; older ones ignore it), for
 * every `serverless` the local run and the tests start: each start loads osls and its plugins, and reusing the
 * compiled code takes 0.4 s of the 2.3 s of CPU of a start (measured on 2026-12-08, Node 24).
 */
export const SERVERLESS_COMPILE_CACHE = join(LOCAL_DIR, 'node-compile-cache');

/** A function ready to run: its packaged settings and its unpacked bundle. */
export interface BuiltFunction extends PackagedFunction {
  /** The unpacked handler module (`.../functions/messages/handler.cjs`). */
  handlerFile: string;
  /** The exported handler's name (`handler`). */
  handlerExport: string;
}

/** Options of {@link buildService}. */
export interface BuildOptions {
  stage: string;
  /** The serverless service to build (a folder holding serverless.yml); by default this project. */
  serviceDir: string;
}

/** A package folder with its subscribed functions unpacked. */
export interface Build extends Omit<PackagedService, 'functions'> {
  /** The functions subscribed to a topic, in template order. */
  functions: BuiltFunction[];
  /** Removes what this build made (the unpacked bundles; the package folder too if it packaged it). */
  remove(): void;
}

/** Runs `serverless package` into a folder of its own and unpacks the functions subscribed to a topic. */
export async function buildService(options: Partial<BuildOptions> = {}): Promise<Build> {
  const { stage, serviceDir } = { stage: 'dev', serviceDir: PROJECT_DIR, ...options };
  const root = newFolder('build-');
  try {
    const packageDir = await packageService({ stage, serviceDir, into: join(root, 'package') });
    const build = await openBuild(packageDir);
    return { ...build, remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs the real `serverless package` on a service, in a staging folder of its own, into `into`; resolves to
 * `into`. Throws {@link BuildError} with osls's output when it fails.
 */
export async function packageService({ stage, serviceDir, into }: BuildOptions & { into: string }): Promise<string> {
  const { dir: stagingDir, remove } = stagedService(serviceDir);
  try {
    await promisify(execFile)(join(PROJECT_DIR, 'node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', into], {
      cwd: stagingDir,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // In the staging folder: a build of its own, whatever the calling shell says.
        ESBUILD_WORK_FOLDER: '.esbuild',
        NODE_COMPILE_CACHE: SERVERLESS_COMPILE_CACHE,
      },
    });
    return into;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new BuildError(`serverless package failed in ${serviceDir}:\n${stdout}${stderr}`);
  } finally {
    remove();
  }
}

/**
 * Unpacks the subscribed functions of a package folder (from {@link packageService}, or `npx serverless package
 * --package <dir>`) into a folder of its own; the package folder is left as it is. Throws
 * {@link PackagedServiceError} when the folder is not a package.
 */
export async function openBuild(packageDir: string): Promise<Build> {
  const service = readPackagedService(resolve(packageDir));
  const unpackedDir = newFolder('unpacked-');
  try {
    const functions = await Promise.all(
      service.functions.map(async (fn): Promise<BuiltFunction> => {
        const into = join(unpackedDir, fn.name);
        // extract-zip refuses an entry that would land outside `into`.
        await extractZip(fn.zipFile, { dir: into });
        const [handlerPath, handlerExport] = splitHandler(fn.handler);
        return { ...fn, handlerFile: join(into, `${handlerPath}${service.bundling.outputFileExtension}`), handlerExport };
      }),
    );
    return { ...service, functions, remove: () => rmSync(unpackedDir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(unpackedDir, { recursive: true, force: true });
    throw error;
  }
}

function newFolder(prefix: string): string {
  mkdirSync(LOCAL_DIR, { recursive: true });
  return mkdtempSync(join(LOCAL_DIR, prefix));
}

/**
 * A staging folder of a service, where osls and serverless-esbuild may write and delete what they like (osls
 * deletes `<service>/.serverless` on every package): the service's files and folders linked into it, except those a
 * build writes or deletes; the service's configuration copied, as osls does not take a linked one. (Linked, not
 * copied, sources keep their relative imports.) A service without node_modules of its own (a test fixture) gets the
 * project's. Inside the project's `.local/`, so that Node finds the project's node_modules from there.
 */
export function stagedService(serviceDir: string): { dir: string; remove(): void } {
  const into = newFolder('staging-');
  const ownFolders = new Set(['.serverless', '.local', '.esbuild', '.git']);
  for (const entry of readdirSync(serviceDir, { withFileTypes: true })) {
    if (ownFolders.has(entry.name) || entry.name.startsWith('.esbuild-')) continue;
    const source = resolve(serviceDir, entry.name);
    if (entry.isFile() && entry.name.startsWith('serverless.')) copyFileSync(source, join(into, entry.name));
    else symlinkSync(source, join(into, entry.name));
  }
  if (!existsSync(join(into, 'node_modules'))) symlinkSync(join(PROJECT_DIR, 'node_modules'), join(into, 'node_modules'));
  return { dir: into, remove: () => rmSync(into, { recursive: true, force: true }) };
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
