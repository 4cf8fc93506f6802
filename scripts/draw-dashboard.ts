/**
 * `npm run draw-dashboard`: draws docs/dashboard.svg from the dashboard of a packaged template
 * (template/dashboard-drawing.ts). Package first (`npx serverless package --stage dev`, which writes
 * .serverless/cloudformation-template-update-stack.json); test/template/operate.test.ts fails when the committed
 * drawing is not the one the current template gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drawDashboard, type PackagedTemplate, packagedDashboard } from '../template/dashboard-drawing.js';
import { type CommandIo, defineCommand, ExitStatus, processIo, runCommand, UsageError } from './cli.js';

interface Options {
  template: string;
  out: string;
  date: string;
}

/** Reads the packaged template, writes the drawing; 2 when there is no template to read. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand(
    'npm run draw-dashboard --',
    'Draws the dashboard of a packaged template as SVG (a drawing: it shows no data)',
    io,
  )
    .option('--template <file>', 'the packaged template', '.serverless/cloudformation-template-update-stack.json')
    .option('--out <file>', 'where the drawing goes', 'docs/dashboard.svg')
    .option('--date <yyyy-mm-dd>', 'the date the drawing says it was drawn', new Date().toISOString().slice(0, 10));
  return runCommand<Options>(command, argv, io, ({ template, out, date }) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date must be yyyy-mm-dd, got "${date}"`);
    let text: string;
    try {
      text = readFileSync(template, 'utf8');
    } catch {
      io.stderr(`No packaged template at ${template}: run \`npx serverless package --stage dev\` first, or give --template.\n`);
      return ExitStatus.Usage;
    }
    const { name, body } = packagedDashboard(JSON.parse(text) as PackagedTemplate);
    writeFileSync(out, drawDashboard(body, { name, date }));
    io.stdout(`Drew ${body.widgets.length} widgets of dashboard ${name} into ${out}\n`);
    return ExitStatus.Ok;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
