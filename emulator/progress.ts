/** A progress bar on stderr (cli-progress), drawn only on a terminal: logs and CI output stay clean. */
import { Presets, SingleBar } from 'cli-progress';

/** Starts a bar for `total` steps; `tick` after each, `done` at the end. */
export function progressBar(total: number, label: string): { tick: () => void; done: () => void } {
  const bar = new SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} {eta}s left`, fps: 10, noTTYOutput: false, clearOnComplete: false },
    Presets.legacy,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), done: () => bar.stop() };
}
