/** A command's io for in-process runs of `main(argv, io)`: what it printed, kept for the test. */
import type { CommandIo } from '../../scripts/cli.js';

export interface CapturedIo extends CommandIo {
  out: string;
  err: string;
}

/** An io that keeps stdout and stderr; the environment is this process's unless given. */
export function capturedIo(env: CommandIo['env'] = process.env): CapturedIo {
  const io: CapturedIo = {
    out: '',
    err: '',
    env,
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
  };
  return io;
}

/** The commands of this project: npm script -> the file it runs (package.json says `tsx <file>`). */
export const COMMAND_FILES = {
  start: 'scripts/start.ts',
  replay: 'scripts/replay.ts',
  soak: 'scripts/soak.ts',
  redrive: 'scripts/redrive.ts',
  reprocess: 'scripts/reprocess.ts',
  events: 'scripts/generate-events.ts',
  'draw-dashboard': 'scripts/draw-dashboard.ts',
  bench: 'bench/run.ts',
  mutation: 'mutation/run.ts',
} as const;
