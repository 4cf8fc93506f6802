/**
 * The mutation report (mutation/report.ts): a full run's figures, and a narrowed run folded into them, in a git
 * repository of its own so that the commits the report names are real.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldIntoReport, type StrykerReport, writeMutationReport } from '../../mutation/report.js';

const SOURCE = { 'shared/a.ts': 'export const a = 1 + 2;\n', 'shared/b.ts': 'export const b = 3 - 4;\n' } as const;

/** A Stryker report of one mutant per status given, each on the file's first line. */
function strykerReport(statuses: Partial<Record<keyof typeof SOURCE, string[]>>): StrykerReport {
  return {
    files: Object.fromEntries(
      Object.entries(statuses).map(([file, list]) => [
        file,
        {
          source: SOURCE[file as keyof typeof SOURCE],
          mutants: list!.map((status) => ({
            mutatorName: 'ArithmeticOperator',
            replacement: file.endsWith('a.ts') ? '1 - 2' : '3 + 4',
            status,
            location: { start: { line: 1, column: 18 }, end: { line: 1, column: 23 } },
          })),
        },
      ]),
    ),
  };
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const commitAll = (message: string) => {
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', message);
};

describe('foldIntoReport', () => {
  const startedIn = process.cwd();
  let repo: string;

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'mutation-report-'));
    process.chdir(repo);
    git('init', '-q');
    mkdirSync('shared');
    mkdirSync('mutation');
    for (const [file, text] of Object.entries(SOURCE)) writeFileSync(file, text);
    commitAll('code');
    writeMutationReport([strykerReport({ 'shared/a.ts': ['Killed', 'Survived'], 'shared/b.ts': ['Survived'] })], 'mutation', {
      minutes: 120,
      narrowedTo: [],
    });
    commitAll('full run');
  });

  afterEach(() => {
    process.chdir(startedIn);
    rmSync(repo, { recursive: true, force: true });
  });

  it("replaces the re-run file's figures and rows and keeps every other file's, naming both runs", () => {
    // Prepare
    const fullRunCommit = git('rev-parse', '--short', 'HEAD~1');
    writeFileSync('a.test.ts', '// the test that kills the survivor\n');
    commitAll('a test');

    // Act
    foldIntoReport([strykerReport({ 'shared/a.ts': ['Killed', 'Killed'] })], { minutes: 3, narrowedTo: ['shared/a.ts'] });

    // Assess
    const { modules } = JSON.parse(readFileSync('mutation/results.json', 'utf8'));
    expect(modules['shared/a.ts']).toMatchObject({ killed: 2, survived: 0, score: 1, commit: git('rev-parse', '--short', 'HEAD') });
    expect(modules['shared/b.ts']).toMatchObject({ killed: 0, survived: 1, score: 0, commit: fullRunCommit });
    const markdown = readFileSync('mutation/RESULTS.md', 'utf8');
    expect(markdown).toContain(`commit ${fullRunCommit}: every file of shared/ and functions/setup/, in 120.0 min.`);
    expect(markdown).toMatch(
      /^Then `npm run mutation -- --fold` on \d{4}-\d{2}-\d{2}, commit [0-9a-f]+: shared\/a\.ts again, in 3\.0 min\./m,
    );
    expect(markdown).toMatch(/^\| shared\/b\.ts:1 \| ArithmeticOperator \| survived \| ` 3 - 4 ` \| ` 3 \+ 4 ` \| {2}\|$/m);
    expect(markdown).not.toMatch(/^\| shared\/a\.ts:1 /m);
  });

  it('takes a why from a why file whose table is padded to line up', () => {
    // Prepare
    mkdirSync('mutation/whys');
    writeFileSync(
      'mutation/whys/padded.md',
      '| shared/b.ts:9   | ArithmeticOperator   | survived   | ` 3 - 4 `   | ` 3 + 4 `   | Equivalent: b is never read.   |\n',
    );

    // Act
    writeMutationReport([strykerReport({ 'shared/b.ts': ['Survived'] })], 'mutation', { minutes: 1, narrowedTo: [] });

    // Assess
    expect(readFileSync('mutation/RESULTS.md', 'utf8')).toContain(
      '| shared/b.ts:1 | ArithmeticOperator | survived | ` 3 - 4 ` | ` 3 + 4 ` | Equivalent: b is never read. |',
    );
  });

  it('refuses to keep the figures of a file whose code changed since they were measured', () => {
    // Prepare
    writeFileSync('shared/b.ts', 'export const b = 3 * 4;\n');
    commitAll('b changed');
    const before = readFileSync('mutation/results.json', 'utf8');

    // Act
    const fold = () =>
      foldIntoReport([strykerReport({ 'shared/a.ts': ['Killed', 'Killed'] })], { minutes: 3, narrowedTo: ['shared/a.ts'] });

    // Assess
    expect(fold).toThrow('changed since their figures were measured, so they must be mutated again: shared/b.ts');
    expect(readFileSync('mutation/results.json', 'utf8')).toBe(before);
  });

  it('folds a report made at another commit only while its files are the same at HEAD, and names that commit', () => {
    // Prepare: a.ts mutated at `measured` (in another checkout); then a test lands, and later a.ts itself changes.
    writeFileSync('a.test.ts', '// the test that kills the survivor\n');
    commitAll('a test');
    const measured = git('rev-parse', '--short', 'HEAD');
    writeFileSync('notes.md', 'unrelated\n');
    commitAll('notes');
    const report = [strykerReport({ 'shared/a.ts': ['Killed', 'Killed'] })];

    // Act
    foldIntoReport(report, { minutes: 3, narrowedTo: ['shared/a.ts'], measuredAt: measured });
    const folded = JSON.parse(readFileSync('mutation/results.json', 'utf8'));
    writeFileSync('shared/a.ts', 'export const a = 1 * 2;\n');
    commitAll('a changed');
    const stale = () => foldIntoReport(report, { minutes: 3, narrowedTo: ['shared/a.ts'], measuredAt: measured });

    // Assess
    expect(folded.modules['shared/a.ts']).toMatchObject({ score: 1, commit: measured });
    expect(readFileSync('mutation/RESULTS.md', 'utf8')).toContain(`commit ${measured}: shared/a.ts again`);
    expect(stale).toThrow(`changed since ${measured}, where they were mutated: shared/a.ts`);
  });

  it('folds again into a folded report, keeping each run in the header', () => {
    // Prepare
    foldIntoReport([strykerReport({ 'shared/a.ts': ['Killed', 'Killed'] })], { minutes: 3, narrowedTo: ['shared/a.ts'] });
    commitAll('first fold');

    // Act
    foldIntoReport([strykerReport({ 'shared/b.ts': ['Killed'] })], { minutes: 2, narrowedTo: ['shared/b.ts'] });

    // Assess
    const { modules } = JSON.parse(readFileSync('mutation/results.json', 'utf8'));
    expect([modules['shared/a.ts'].score, modules['shared/b.ts'].score]).toEqual([1, 1]);
    const markdown = readFileSync('mutation/RESULTS.md', 'utf8');
    expect(markdown).toMatch(
      /every file of shared\/ and functions\/setup\/, in 120\.0 min\.\nThen .*shared\/a\.ts again.*\nThen .*shared\/b\.ts again/s,
    );
  });
});
