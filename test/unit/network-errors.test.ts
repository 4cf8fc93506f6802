/** A network error told as one line that names its cause: the code and the address, wherever the client put them. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeError, EmulatorError, networkCauseOf } from '../../emulator/index.js';

describe('describeError', () => {
  it("adds the cause's code and address to fetch's bare `fetch failed`", async () => {
    // Prepare: a port nothing listens on any more (fetch refuses port 9 itself, as a blocked port).
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const failure = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);

    // Act
    const line = describeError(failure);

    // Assess
    expect((failure as Error).message).toBe('fetch failed');
    expect(networkCauseOf(failure)).toEqual({ code: 'ECONNREFUSED', host: `127.0.0.1:${port}` });
    expect(line).toBe(`TypeError: fetch failed (ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('says nothing twice when the message names the code already, and gives an emulator error its message alone', () => {
    // Prepare
    const named = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 });

    // Act
    const lines = [describeError(named), describeError(new EmulatorError('DynamoDB Local needs Java 17'))];

    // Assess
    expect(lines).toEqual(['Error: connect ECONNREFUSED 127.0.0.1:9', 'DynamoDB Local needs Java 17']);
  });
});
