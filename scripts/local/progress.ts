/**
 * A progress bar on stderr for runs that take longer than a moment: silent for the first second, redrawn at most
 * ten times a second, and only on a terminal (logs and CI output stay clean).
 */
export function progressBar(total: number, label: string): { tick: () => void; done: () => void } {
  const started = Date.now();
  let completed = 0;
  let drawnAt = 0;
  const visible = process.stderr.isTTY === true && total > 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((completed / total) * width);
    const rate = completed / Math.max(0.001, (Date.now() - started) / 1000);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${completed}/${total} ${rate.toFixed(0)}/s `,
    );
  };
  return {
    tick() {
      completed += 1;
      const now = Date.now();
      if (visible && now - started > 1_000 && now - drawnAt > 100) {
        drawnAt = now;
        draw();
      }
    },
    done() {
      if (visible && drawnAt > 0) {
        draw();
        process.stderr.write('\n');
      }
    },
  };
}
