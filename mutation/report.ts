/**
 * Turns Stryker's JSON reports (mutation-testing-report-schema) into results.json, the scores per mutated file,
 * and RESULTS.md, the same table and every mutant left alive, each with a "why" to fill in by hand. A why already
 * written in the previous RESULTS.md is kept for the same mutant, so that a new run does not erase the reasoning.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

/** The part of a Stryker JSON report read here. */
export interface StrykerReport {
  files: Record<string, { source: string; mutants: StrykerMutant[] }>;
  /** Not Stryker's: the commit a report made in another checkout was made at, for {@link foldIntoReport}. */
  measuredAt?: string;
}

interface StrykerMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  /** For an ignored mutant, the reason written in its `// Stryker disable` comment. */
  statusReason?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** The outcome of one mutated file, as results.json holds it. */
export interface ModuleScore {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  compileErrors: number;
  /** Mutants excluded in the source by a `// Stryker disable` comment that gives the reason: equivalent ones only. */
  ignored: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage); null when no mutant was tested. */
  score: number | null;
  /** The commit the figures were measured at; a report older than this field has it in RESULTS.md's header. */
  commit?: string;
}

/** A mutant the tests let live (it survived them, or no test ran its code), or one the source excludes. */
interface LiveMutant {
  file: string;
  line: number;
  mutator: string;
  status: 'survived' | 'no coverage' | 'ignored';
  /** The reason an ignored mutant's `// Stryker disable` comment gives. */
  reason?: string;
  original: string;
  replacement: string;
}

/** How the run was made, for the report's header. */
export interface RunFacts {
  minutes: number;
  /** The files a narrowed run mutated; empty for a full run. */
  narrowedTo: string[];
  /**
   * For a fold: the commit the reports were made at, when it is not HEAD (a run in another checkout). Their files must
   * be the same at HEAD as there.
   */
  measuredAt?: string;
}

/** Reads one Stryker JSON report. */
export function readStrykerReport(path: string): StrykerReport {
  return JSON.parse(readFileSync(path, 'utf8')) as StrykerReport;
}

/** Writes results.json and RESULTS.md into `dir` from the reports of every scope. */
export function writeMutationReport(reports: StrykerReport[], dir: string, facts: RunFacts): void {
  const { modules, live } = outcomes(reports);
  const whys = writtenWhys([...new Set([join('mutation', 'RESULTS.md'), join(dir, 'RESULTS.md'), ...WHY_FILES()])]);
  writeReport(dir, modules, rowsOf(live, whys), header(facts));
}

/**
 * Folds a narrowed run into the committed report in mutation/: the files it mutated get its figures and rows, every
 * other file keeps those of the committed report's run. A full run takes two hours on 2 cores; after tests were added
 * for a few files, re-running those files is enough, because the figures of a file whose code did not change can only
 * be matched or beaten by more tests. So the fold refuses when a file it keeps changed since the committed report's
 * commit, and the header names both runs.
 *
 * @throws Error naming a kept file that changed, or a committed report without its commit in the header.
 */
export function foldIntoReport(reports: StrykerReport[], facts: RunFacts): void {
  const committedMarkdown = readFileSync(join('mutation', 'RESULTS.md'), 'utf8');
  const committed = JSON.parse(readFileSync(join('mutation', 'results.json'), 'utf8')) as { modules: Record<string, ModuleScore> };
  const history = committedMarkdown.split('\n').slice(2, committedMarkdown.split('\n').indexOf(SCORE_LINE));
  const fullRun = /^`npm run mutation` on \d{4}-\d{2}-\d{2}, commit ([0-9a-f]+): every file/.exec(history[0] ?? '');
  if (fullRun === null) throw new Error('mutation/RESULTS.md does not start from a full run: run `npm run mutation` first');
  const modules: Record<string, ModuleScore> = {};
  const live: LiveMutant[] = [];
  const runs: string[] = [];
  for (const report of reports) {
    const at = report.measuredAt ?? facts.measuredAt ?? headCommit();
    const outcome = outcomes([report], at);
    const files = Object.keys(outcome.modules);
    const moved = at === headCommit() ? '' : execFileSync('git', ['diff', '--name-only', at, '--', ...files], { encoding: 'utf8' }).trim();
    if (moved !== '') throw new Error(`changed since ${at}, where they were mutated: ${moved.split('\n').join(', ')}`);
    Object.assign(modules, outcome.modules);
    live.push(...outcome.live);
    runs.push(`commit ${at}: ${files.join(', ')}`);
  }
  const kept = Object.keys(committed.modules).filter((file) => !(file in modules));
  const changed = kept.filter((file) => {
    const measuredAt = committed.modules[file]!.commit ?? fullRun[1]!;
    return execFileSync('git', ['diff', '--name-only', measuredAt, '--', file], { encoding: 'utf8' }).trim() !== '';
  });
  if (changed.length > 0)
    throw new Error(`changed since their figures were measured, so they must be mutated again: ${changed.join(', ')}`);
  const whys = writtenWhys([join('mutation', 'RESULTS.md'), ...WHY_FILES()]);
  const keptRows = liveRows(committedMarkdown, whys).filter(({ file }) => kept.includes(file));
  const fold =
    `Then \`npm run mutation -- --fold\` on ${new Date().toISOString().slice(0, 10)}, ${runs.join('; ')} ` +
    `again, in ${facts.minutes.toFixed(1)} min. Each file's figures are those of the last run that mutated it (its commit in ` +
    'results.json); a file is folded in only while its code is the same as at that run.';
  writeReport(
    'mutation',
    { ...Object.fromEntries(kept.map((file) => [file, committed.modules[file]!])), ...modules },
    [...keptRows, ...rowsOf(live, whys)],
    [...history.filter((line) => line !== ''), fold].join('\n'),
  );
}

/** The figures and the live mutants of every file in the reports. */
function outcomes(reports: StrykerReport[], commit = headCommit()): { modules: Record<string, ModuleScore>; live: LiveMutant[] } {
  const modules: Record<string, ModuleScore> = {};
  const live: LiveMutant[] = [];
  for (const report of reports) {
    for (const [name, { source, mutants }] of Object.entries(report.files)) {
      const file = isAbsolute(name) ? relative(process.cwd(), name) : name;
      modules[file] = scoreOf(mutants, commit);
      for (const mutant of mutants) {
        const status = ({ Survived: 'survived', NoCoverage: 'no coverage', Ignored: 'ignored' } as const)[mutant.status as 'Survived'];
        if (status === undefined) continue;
        live.push({
          file,
          line: mutant.location.start.line,
          mutator: mutant.mutatorName,
          status,
          ...(mutant.statusReason === undefined ? {} : { reason: mutant.statusReason }),
          original: textAt(source, mutant.location),
          replacement: mutant.replacement ?? '',
        });
      }
    }
  }
  return { modules, live };
}

/** One row of the "Mutants left alive" table, with what it is sorted by. */
interface LiveRow {
  file: string;
  line: number;
  text: string;
}

function rowsOf(live: LiveMutant[], whys: Map<string, string>): LiveRow[] {
  return live.map((mutant) => {
    const cells = [mutant.mutator, mutant.status, ...changedText(mutant.original, mutant.replacement).map(code)];
    const why = mutant.reason ?? whys.get(whyKey(mutant.file, cells)) ?? '';
    return {
      file: mutant.file,
      line: mutant.line,
      text: `| ${mutant.file}:${mutant.line} | ${cells.join(' | ')} | ${why.replaceAll('|', '\\|')} |`,
    };
  });
}

/** The rows of an earlier RESULTS.md's "Mutants left alive" table, each given a why written since if it had none. */
function liveRows(markdownText: string, whys: Map<string, string>): LiveRow[] {
  const rows = markdownText.split('\n');
  const start = rows.indexOf(LIVE_HEADER) + 2;
  const end = rows.findIndex((row, index) => index >= start && !row.startsWith('| '));
  return rows.slice(start, end === -1 ? undefined : end).map((text) => {
    const cells = text.slice(2, -2).split(' | ');
    const [where, why] = [cells[0]!, cells.at(-1)!];
    const [, file = '', line = '0'] = /^([^ :]+):(\d+)$/.exec(where) ?? [];
    const written = why === '' ? whys.get(whyKey(file, cells.slice(1, -1))) : undefined;
    return {
      file,
      line: Number(line),
      text: written === undefined ? text : `| ${cells.slice(0, -1).join(' | ')} | ${written.replaceAll('|', '\\|')} |`,
    };
  });
}

function writeReport(dir: string, modules: Record<string, ModuleScore>, rows: LiveRow[], runLine: string): void {
  const sorted = Object.fromEntries(Object.entries(modules).sort(([a], [b]) => a.localeCompare(b)));
  rows.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ modules: sorted }, null, 2)}\n`);
  writeFileSync(join(dir, 'RESULTS.md'), markdown(sorted, rows, runLine));
}

function headCommit(): string {
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
}

function header(facts: RunFacts): string {
  const scope = facts.narrowedTo.length === 0 ? 'every file of shared/ and functions/setup/' : `only ${facts.narrowedTo.join(', ')}`;
  return `\`npm run mutation\` on ${new Date().toISOString().slice(0, 10)}, commit ${headCommit()}: ${scope}, in ${facts.minutes.toFixed(1)} min.`;
}

function scoreOf(mutants: StrykerMutant[], commit: string): ModuleScore {
  const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
  const [killed, survived, noCoverage, timeout] = [count('Killed'), count('Survived'), count('NoCoverage'), count('Timeout')];
  const tested = killed + timeout + survived + noCoverage;
  return {
    killed,
    survived,
    noCoverage,
    timeout,
    compileErrors: count('CompileError'),
    ignored: count('Ignored'),
    score: tested === 0 ? null : Math.round(((killed + timeout) / tested) * 10_000) / 10_000,
    commit,
  };
}

/** The source text a mutant replaced; lines and columns are 1-based. */
function textAt(source: string, { start, end }: StrykerMutant['location']): string {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  return [
    lines[start.line - 1]!.slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1]!.slice(0, end.column - 1),
  ].join('\n');
}

const LIVE_HEADER = '| Where | Mutator | Status | Original | Replacement | Why |';
/** The first line after the runs that made the report, in its header. */
const SCORE_LINE = 'Score = (killed + timeout) / (killed + timeout + survived + no coverage); mutants that do not compile are not';

function markdown(modules: Record<string, ModuleScore>, rows: LiveRow[], runLine: string): string {
  const percent = (score: number | null) => (score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`);
  return [
    '# Mutation testing results',
    '',
    runLine,
    SCORE_LINE,
    'counted. Machine-readable figures in results.json.',
    '',
    'Mutants that a `// Stryker disable` comment excludes (equivalent ones, each with its reason in the comment and',
    'below) are not counted either.',
    '',
    '| File | Killed | Timeout | Survived | No coverage | Compile errors | Ignored | Score |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(modules).map(
      ([file, m]) =>
        `| ${file} | ${m.killed} | ${m.timeout} | ${m.survived} | ${m.noCoverage} | ${m.compileErrors} | ${m.ignored} | ${percent(m.score)} |`,
    ),
    '',
    '## Mutants left alive',
    '',
    'Each needs a test that kills it, or a reason here why it is equivalent or harmless (log text, message wording).',
    "An ignored mutant's reason is the one its `// Stryker disable` comment gives. Whys are kept from the previous",
    "RESULTS.md and from mutation/whys/*.md (rows in this table's format), matched by everything but the line.",
    '',
    LIVE_HEADER,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(({ text }) => text),
    '',
  ].join('\n');
}

/** A mutant's why is keyed by everything but its line, which moves whenever code above it changes. */
function whyKey(file: string, cells: string[]): string {
  return [file, ...cells].join('|');
}

/** Files of why rows written while working on one part, beside the committed RESULTS.md. */
const WHY_FILES = (): string[] => {
  const dir = join('mutation', 'whys');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(dir, name))
    : [];
};

/** The whys filled in the rows of an earlier RESULTS.md or of a why file; a file that does not exist has none. */
function writtenWhys(files: string[]): Map<string, string> {
  const whys = new Map<string, string>();
  for (const file of files) {
    if (existsSync(file)) readWhys(readFileSync(file, 'utf8'), whys);
  }
  return whys;
}

function readWhys(markdownText: string, whys: Map<string, string>): void {
  const rows = markdownText.split('\n');
  // A why file may hold the rows alone, without the header.
  const header = rows.indexOf(LIVE_HEADER);
  for (const row of rows.slice(header === -1 ? 0 : header + 2)) {
    if (header === -1 && !row.startsWith('| ')) continue;
    if (!row.startsWith('| ') || row.startsWith('| --- ')) {
      if (header === -1) continue;
      break;
    }
    // Pipes inside a cell were written as \|, so a bare " | " always separates cells.
    // A why file's table may be padded to line up: the cells are compared without it.
    const cells = row
      .slice(2, -2)
      .split(' | ')
      .map((cell) => cell.trim());
    const [where, why] = [cells[0]!, cells.at(-1)!];
    if (why !== '') whys.set(whyKey(where.replace(/:\d+$/, ''), cells.slice(1, -1)), why);
  }
}

/** Longest source text shown in a cell, and how much of it to show on each side of a change. */
const CELL_LENGTH = 60;
const CONTEXT = 20;

/**
 * The original and the replacement on one line each, cut to the part around where they differ when too long to
 * show whole: two mutants of one long regex would otherwise read the same.
 */
function changedText(original: string, replacement: string): [string, string] {
  const [before, after] = [original, replacement].map((text) => text.replace(/\s+/g, ' ').trim()) as [string, string];
  if (Math.max(before.length, after.length) <= CELL_LENGTH) return [before, after];
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before.at(-1 - end) === after.at(-1 - end)) end++;
  const from = Math.max(0, start - CONTEXT);
  const around = (text: string) => {
    const to = Math.min(text.length, text.length - end + CONTEXT, from + CELL_LENGTH);
    return `${from > 0 ? '...' : ''}${text.slice(from, to)}${to < text.length ? '...' : ''}`;
  };
  return [around(before), around(after)];
}

/** Source text as a table cell, its pipes escaped. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence} ${text.replaceAll('|', '\\|')} ${fence}`;
}
