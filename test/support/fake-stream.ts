/**
 * A local HTTP server that plays Stream's API for the endpoints the stream-chat SDK calls during setup:
 * GET /app, PATCH /app (both event_hooks semantics: replace the list, or explicit deletion) and POST /check_sns.
 * It checks the SDK's credentials as Stream does (api_key parameter, JWT signed with the secret), records every
 * request, and can be told to fail the next requests.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStreamHook extends Record<string, unknown> {
  id: string;
  hook_type: string;
}

export interface FakeStream {
  baseUrl: string;
  hooks: FakeStreamHook[];
  requests: Array<{ method: string; path: string; body: unknown }>;
  /** Answers to give to the next requests, in order, instead of serving them. */
  failNext: Array<{ status: number; message?: string; headers?: Record<string, string> }>;
  checkAnswer: { status: string; error?: string };
  close(): Promise<void>;
}

export async function startFakeStream({ apiKey, apiSecret, hooks = [] }: { apiKey: string; apiSecret: string; hooks?: FakeStreamHook[] }): Promise<FakeStream> {
  const state: Omit<FakeStream, 'baseUrl' | 'close'> = {
    hooks: structuredClone(hooks),
    requests: [],
    failNext: [],
    checkAnswer: { status: 'ok' },
  };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readBody(request);
    state.requests.push({ method: request.method ?? '', path: url.pathname, body });
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify({ ...(payload as object), duration: '1.00ms' }));
    };
    const failure = state.failNext.shift();
    if (failure) return reply(failure.status, { code: failure.status === 429 ? 9 : -1, message: failure.message ?? 'injected failure', StatusCode: failure.status }, failure.headers);
    if (url.searchParams.get('api_key') !== apiKey || !validJwt(String(request.headers.authorization ?? ''), apiSecret)) {
      return reply(401, { code: 5, message: 'api_key not valid', StatusCode: 401 });
    }
    if (request.method === 'GET' && url.pathname === '/app') return reply(200, { app: { name: 'fake-app', event_hooks: state.hooks } });
    if (request.method === 'PATCH' && url.pathname === '/app') {
      const { event_hooks: update, explicit_event_hooks_deletion: explicit } = body as { event_hooks?: Array<Record<string, unknown>>; explicit_event_hooks_deletion?: boolean };
      if (update !== undefined) state.hooks = explicit ? mergeExplicit(state.hooks, update) : update.map(stored);
      return reply(201, {});
    }
    if (request.method === 'POST' && url.pathname === '/check_sns') return reply(201, state.checkAnswer);
    return reply(404, { code: 4, message: `no route ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake = state as FakeStream;
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

function stored(hook: Record<string, unknown>): FakeStreamHook {
  const now = new Date().toISOString();
  return { ...hook, id: String(hook.id ?? randomUUID()), created_at: hook.created_at ?? now, updated_at: now } as unknown as FakeStreamHook;
}

function mergeExplicit(current: FakeStreamHook[], update: Array<Record<string, unknown>>): FakeStreamHook[] {
  let hooks = [...current];
  for (const change of update) {
    if (change.delete === true) hooks = hooks.filter((hook) => hook.id !== change.id);
    else if (change.id !== undefined) hooks = hooks.map((hook) => (hook.id === change.id ? stored({ ...hook, ...change }) : hook));
    else hooks.push(stored(change));
  }
  return hooks;
}

function validJwt(authorization: string, secret: string): boolean {
  const [header, payload, signature] = authorization.replace(/^Bearer /, '').split('.');
  if (!header || !payload || !signature) return false;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}
