/** The text report of a run of files (emulator/report.ts): how files were read, and every file not delivered, by name. */
import { describe, expect, it } from 'vitest';
import { renderSummary, summarize } from '../../emulator/index.js';

describe('renderSummary of a run of files', () => {
  it('counts the files wrapped and those delivered as SNS->Lambda events, and names each file not delivered', () => {
    // Prepare
    const files = {
      results: [
        { source: 'a.json', read: 'wrapped' as const },
        { source: 'b.json', read: 'wrapped' as const },
        { source: 'c.json', read: 'sns-event' as const },
      ],
      undelivered: Array.from({ length: 22 }, (_, i) => ({
        source: `gone-${i}.json`,
        reason: 'missing' as const,
        message: `gone-${i}.json: no such file or folder`,
      })),
    };

    // Act
    const text = renderSummary(summarize([]), 0, undefined, undefined, files);

    // Assess
    expect(text).toMatch(/^files: 2 wrapped as bare Stream events, 1 delivered as the SNS->Lambda events they hold/m);
    expect(text).toMatch(/^not delivered \(exit status 2\):$/m);
    expect(text).toMatch(/^ {2}gone-0\.json: no such file or folder$/m);
    expect(text).toMatch(/^ {2}gone-19\.json: no such file or folder$/m);
    expect(text).not.toContain('gone-20.json');
    expect(text).toMatch(/^ {2}\.\.\. and 2 more \(--json lists them all\)$/m);
  });

  it('has no files section for a run that read no files (synthetic load)', () => {
    // Act
    const text = renderSummary(summarize([]), 0, undefined);

    // Assess
    expect(text).not.toMatch(/^files:/m);
  });
});
