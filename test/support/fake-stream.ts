/**
 * A local HTTP server that plays Stream's API for the endpoints the stream-chat SDK calls during setup:
 * GET /app, PATCH /app (both event_hooks semantics: replace the list, or explicit deletion, with upsert by id as
 * Stream documents it: an unknown id creates the hook with that id) and POST /check_sns. It checks the SDK's
 * credentials as Stream does (api_key parameter, JWT signed with the secret), records every request, and fails the
 * way real services and networks do when told to (see {@link StreamFault}).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** A hook as the stand-in stores it: Stream always gives a hook an id and a type. */
export interface FakeStreamHook extends Record<string, unknown> {
  id: string;
  hook_type: string;
}

/** Faults the stand-in can play, each once, on the next request that matches. */
export const StreamFault = {
  /** The write is applied, then answered 500 (Stream failed after committing). */
  AppliedThen500: 'applied-then-500',
  /** The write is applied, then answered only after `delayMs` (after the client's timeout). */
  AppliedThenLate: 'applied-then-late',
  /** 200 with the app's JSON cut in the middle (a connection closed early by a proxy). */
  TruncatedJson: 'truncated-json',
  /** 200 with `{}`. */
  EmptyObject: 'empty-object',
  /** 200 with an HTML page (a wrong base URL: a login page, a CDN error page). */
  Html: 'html',
  /** 400 whose message echoes the request body, secrets included. */
  EchoingBadRequest: 'echoing-400',
  /**
   * 400 whose message prints the hooks the write would leave as Go's `%v` prints them: values without their names,
   * credentials included, other teams' and those of the write.
   */
  QuotingAppBadRequest: 'quoting-app-400',
  /** 200 with the fault's `body` as it is: any answer that is not what was asked for. */
  Answer: 'answer',
  /** The write is answered 201 but not applied. */
  IgnoredWrite: 'ignored-write',
  /** The request is served as usual, after `delayMs`. */
  Slow: 'slow',
  /** The connection is closed without an answer (a proxy or load balancer dropping it). */
  HangUp: 'hang-up',
} as const;
export type StreamFault = (typeof StreamFault)[keyof typeof StreamFault];

/** What POST /check_sns is asked to check: the topic, and the keys to publish with (none: the topic policy). */
export interface SnsCheckRequest {
  sns_topic_arn?: string;
  sns_key?: string;
  sns_secret?: string;
}

/** Stream's answer to an SNS check. */
export interface SnsCheckAnswer {
  status: string;
  error?: string;
}

/** The running stand-in: its state is the app's hooks, open to the test, and what it was asked. */
export interface FakeStream {
  baseUrl: string;
  hooks: FakeStreamHook[];
  /** Every request, with when it arrived (performance.now()). */
  requests: Array<{ method: string; path: string; body: unknown; at: number }>;
  /** Answers to give to the next requests, in order, instead of serving them. */
  failNext: Array<{ status: number; message?: string; headers?: Record<string, string> }>;
  /** Faults to play, each on the next request of its route (`GET /app`, `PATCH /app`, `POST /check_sns`). */
  faults: Array<{ route: string; fault: StreamFault; delayMs?: number; body?: string }>;
  /** The answer to every SNS check, or how the check goes for what it is asked to check. */
  checkAnswer: SnsCheckAnswer | ((asked: SnsCheckRequest) => SnsCheckAnswer);
  close(): Promise<void>;
}

/**
 * Hooks owned by other teams, one of every type, each holding credentials: what a production app looks like
 * next to ours. {@link CREDENTIALS_OF_OTHERS} lists every credential in them.
 */
export const HOOKS_OF_OTHERS: FakeStreamHook[] = [
  { id: 'wh-1', hook_type: 'webhook', enabled: true, webhook_url: 'https://ops:hunter2-webhook-pass@hooks.example.org/stream?token=wh-token-5c1d9e&team=ops', event_types: [], created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' },
  { id: 'sqs-1', hook_type: 'sqs', enabled: true, sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/q', sqs_region: 'eu-west-1', sqs_auth_type: 'keys', sqs_key: 'AKIAOTHERSQS77Q', sqs_secret: 'other-sqs-secret-0b9f', event_types: ['message.new'], created_at: '2026-01-02T00:00:00Z', updated_at: '2026-01-02T00:00:00Z' },
  { id: 'sns-other', hook_type: 'sns', enabled: false, sns_topic_arn: 'arn:aws:sns:us-east-1:444455556666:someone-else', sns_region: 'us-east-1', sns_auth_type: 'keys', sns_key: 'AKIAOTHERSNS55Z', sns_secret: 'other-sns-secret-a71c', event_types: [], created_at: '2026-01-03T00:00:00Z', updated_at: '2026-01-03T00:00:00Z' },
  { id: 'pm-1', hook_type: 'pending_message', enabled: true, webhook_url: 'https://moderation.example.com/pending?X-Amz-Credential=AKIAPENDING&X-Amz-Signature=3f9a0c77e1b2d4aa&expires=1999999999', timeout_ms: 3000, callback: { mode: 'CALLBACK_MODE_REST' }, created_at: '2026-01-04T00:00:00Z', updated_at: '2026-01-04T00:00:00Z' },
];

/** Every credential in {@link HOOKS_OF_OTHERS} (an SQS or SNS key id is a credential beyond its first 4 characters). */
export const CREDENTIALS_OF_OTHERS = [
  'hunter2-webhook-pass',
  'wh-token-5c1d9e',
  'OTHERSQS77Q',
  'other-sqs-secret-0b9f',
  'OTHERSNS55Z',
  'other-sns-secret-a71c',
  '3f9a0c77e1b2d4aa',
  'AKIAPENDING',
] as const;

/** Starts the stand-in on a free loopback port, for the app of `apiKey` and `apiSecret`, holding `hooks`. */
export async function startFakeStream({ apiKey, apiSecret, hooks = [] }: { apiKey: string; apiSecret: string; hooks?: FakeStreamHook[] }): Promise<FakeStream> {
  const state: Omit<FakeStream, 'baseUrl' | 'close'> = {
    hooks: structuredClone(hooks),
    requests: [],
    failNext: [],
    faults: [],
    checkAnswer: { status: 'ok' },
  };
  const server = createServer(async (request, response) => {
    const at = performance.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readBody(request);
    const route = `${request.method} ${url.pathname}`;
    state.requests.push({ method: request.method ?? '', path: url.pathname, body, at });
    const send = (status: number, text: string, contentType = 'application/json', headers: Record<string, string> = {}) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': contentType, ...headers });
      response.end(text);
    };
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      send(status, JSON.stringify({ ...(payload as object), duration: '1.00ms' }), 'application/json', headers);
    const failure = state.failNext.shift();
    if (failure) return reply(failure.status, { code: failure.status === 429 ? 9 : -1, message: failure.message ?? 'injected failure', StatusCode: failure.status }, failure.headers);
    if (url.searchParams.get('api_key') !== apiKey || !validJwt(String(request.headers.authorization ?? ''), apiSecret)) {
      return reply(401, { code: 5, message: 'api_key not valid', StatusCode: 401 });
    }
    const faultAt = state.faults.findIndex((planned) => planned.route === route);
    const fault = faultAt === -1 ? undefined : state.faults.splice(faultAt, 1)[0];
    switch (fault?.fault) {
      case StreamFault.TruncatedJson: {
        const whole = JSON.stringify({ app: { name: 'fake-app', event_hooks: state.hooks } });
        return send(200, whole.slice(0, Math.floor(whole.length / 2)));
      }
      case StreamFault.EmptyObject:
        return send(200, '{}');
      case StreamFault.Html:
        return send(200, '<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>', 'text/html');
      case StreamFault.EchoingBadRequest:
        return reply(400, { code: 4, message: `UpdateApp failed with error: "invalid request ${JSON.stringify(body)}"`, StatusCode: 400 });
      case StreamFault.QuotingAppBadRequest: {
        const after = mergeExplicit(state.hooks, (body as { event_hooks?: Array<Record<string, unknown>> }).event_hooks ?? []);
        return reply(400, { code: 4, message: `UpdateApp failed with error: "event_hooks ${goValue(after)} are not valid"`, StatusCode: 400 });
      }
      case StreamFault.Answer:
        return send(200, fault.body ?? '');
      case StreamFault.IgnoredWrite:
        return reply(201, {});
      case StreamFault.Slow:
        await sleep(fault.delayMs ?? 2_000);
        break;
      case StreamFault.HangUp:
        request.socket.destroy();
        return;
      default:
    }
    if (request.method === 'GET' && url.pathname === '/app') return reply(200, { app: { name: 'fake-app', event_hooks: state.hooks } });
    if (request.method === 'PATCH' && url.pathname === '/app') {
      const { event_hooks: update, explicit_event_hooks_deletion: explicit } = body as { event_hooks?: Array<Record<string, unknown>>; explicit_event_hooks_deletion?: boolean };
      if (update !== undefined) state.hooks = explicit ? mergeExplicit(state.hooks, update) : update.map(stored);
      if (fault?.fault === StreamFault.AppliedThen500) return reply(500, { code: -1, message: 'internal error', StatusCode: 500 });
      if (fault?.fault === StreamFault.AppliedThenLate) await sleep(fault.delayMs ?? 2_000);
      return reply(201, {});
    }
    if (request.method === 'POST' && url.pathname === '/check_sns') {
      return reply(201, typeof state.checkAnswer === 'function' ? state.checkAnswer(body as SnsCheckRequest) : state.checkAnswer);
    }
    return reply(404, { code: 4, message: `no route ${route}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake = state as FakeStream;
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

function stored(hook: Record<string, unknown>): FakeStreamHook {
  const now = new Date().toISOString();
  return { ...hook, id: String(hook.id ?? randomUUID()), created_at: hook.created_at ?? now, updated_at: now } as unknown as FakeStreamHook;
}

/** Explicit-deletion mode: delete by id, update by id, create a hook with an unknown id or without one. */
function mergeExplicit(current: FakeStreamHook[], update: Array<Record<string, unknown>>): FakeStreamHook[] {
  let hooks = [...current];
  for (const change of update) {
    if (change.delete === true) hooks = hooks.filter((hook) => hook.id !== change.id);
    else if (change.id !== undefined && hooks.some((hook) => hook.id === change.id)) {
      hooks = hooks.map((hook) => (hook.id === change.id ? stored({ ...hook, ...change }) : hook));
    } else hooks.push(stored(change));
  }
  return hooks;
}

/** A value as Go's `%v` prints it: structs and maps as their values only, without names or quotes. */
function goValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.values(value).map(goValue).join(' ')}}`;
  return String(value);
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
