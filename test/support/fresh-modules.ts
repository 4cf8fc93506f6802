/**
 * Before each test file: the project's own modules (shared/, functions/, emulator/, ...) are loaded afresh, so that
 * no file sees another's module state (a cached client, a counter), as if each ran alone; the dependencies under
 * node_modules (the AWS SDK, middy, Powertools) stay loaded in the worker, which is what makes files cheap to start
 * (vitest.config.ts, `isolate: false`).
 */
import { vi } from 'vitest';

vi.resetModules();
