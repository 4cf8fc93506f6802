/** The routing flags every local-run command shares (scripts/local-options.ts), through the project's one parser. */
import { describe, expect, it } from 'vitest';
import { defineCommand, runCommand } from '../../scripts/cli.js';
import { catchAllOption, noCatchAllOption, routingOption, routingOverrides } from '../../scripts/local-options.js';
import type { RoutingMode } from '../../shared/routing.js';
import { capturedIo } from '../support/command-io.js';

/** What the flags in `argv` give, or the exit status of a misuse. */
async function overridesOf(argv: string[]) {
  const io = capturedIo();
  const command = defineCommand('test', 'routing flags', io)
    .addOption(routingOption())
    .addOption(catchAllOption())
    .addOption(noCatchAllOption());
  let overrides: unknown;
  const code = await runCommand<{ routing?: RoutingMode; catchAll?: boolean }>(command, argv, io, (options) => {
    overrides = routingOverrides(options);
    return 0;
  });
  return { code, overrides, err: io.err };
}

describe('routing flags', () => {
  it('give nothing when absent, so that the packaged routing applies', async () => {
    expect(await overridesOf([])).toMatchObject({ code: 0, overrides: {} });
  });

  it('give the mode and the catch-all each on its own', async () => {
    // Act and assess
    expect((await overridesOf(['--routing', 'single-topic'])).overrides).toEqual({ mode: 'single-topic' });
    expect((await overridesOf(['--no-catch-all'])).overrides).toEqual({ catchAll: false });
    expect((await overridesOf(['--catch-all'])).overrides).toEqual({ catchAll: true });
    expect((await overridesOf(['--routing', 'per-category', '--no-catch-all'])).overrides).toEqual({
      mode: 'per-category',
      catchAll: false,
    });
  });

  it('refuse a mode that is not one, naming the choices, with status 2', async () => {
    // Act
    const { code, err } = await overridesOf(['--routing', 'per-type']);

    // Assess
    expect(code).toBe(2);
    expect(err).toContain('per-category');
    expect(err).toContain('single-topic');
  });
});
