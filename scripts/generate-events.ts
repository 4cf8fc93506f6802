/**
 * `npm run events`: writes events/<type>.<encoding>.json, the SNS->Lambda events for `serverless invoke local`, from
 * the bare Stream payloads in events/samples/: one file per sample and encoding. Run it after adding a sample;
 * test/unit/events.test.ts fails when the files are out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandIo, defineCommand, ExitStatus, isEntryPoint, processIo, runCommand } from './cli.js';

/** `npm run events`; resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const command = defineCommand('npm run events --', 'Write events/<type>.<encoding>.json from the bare samples in events/samples/.', io);
  return runCommand(command, argv, io, async () => {
    const { EVENTS_DIR, renderSampleEvents } = await import('../emulator/index.js');
    const files = renderSampleEvents();
    for (const [name, content] of files) writeFileSync(join(EVENTS_DIR, name), content);
    io.stdout(`wrote ${files.size} SNS events to events/\n`);
    return ExitStatus.Ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
