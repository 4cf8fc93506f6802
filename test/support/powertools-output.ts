/**
 * Captures what the Powertools Logger and Metrics write (INFO lines and metrics to stdout, WARN and ERROR lines to
 * stderr), for tests that read logs and metrics as the operator of the deployed stack does.
 */
import { vi } from 'vitest';

export interface CapturedOutput {
  /** Every JSON line written since the capture started, parsed. */
  lines(): Array<Record<string, any>>;
}

/** Starts capturing stdout and stderr; `vi.restoreAllMocks()` ends it. */
export function capturePowertoolsOutput(): CapturedOutput {
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
  };
}
