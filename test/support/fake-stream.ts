/**
 * A local HTTP server that plays Stream's API for the endpoints the stream-chat SDK calls during setup:
 * GET /app, PATCH /app (both event_hooks semantics: replace the list, or explicit deletion, with upsert by id as
 * Stream documents it: an unknown id creates the hook with that id), GET /hook/events and POST /check_sns. It checks
 * the SDK's credentials as Stream does (api_key parameter, JWT signed with the secret) and records every request,
 * headers included.
 *
 * It also models which hooks Stream publishes an event to ({@link FakeStream.publishesTo}): per-hook `event_types`
 * on an app migrated to multi-event hooks (`use_hook_v2: true`, the stand-in's default), one selection for the whole
 * app otherwise (`webhook_events`), and `should_send_custom_events`. **That model is an assumption**: Stream documents
 * that an empty list means every type, future ones included, and that a positive list gets no new types; it does not
 * document the default of `should_send_custom_events`, nor how it combines with a list (here: a custom event goes to
 * exactly the hooks that have it on, whatever their list), nor what a hook's own list does on an app that is not
 * migrated (here: nothing, the app's selection applies to every hook). shared/stream/NOTES.md has the sources.
 *
 * It misbehaves as real services, proxies and networks do, by general behaviours, not canned bodies: faults played
 * once on the next request of a route ({@link StreamFault}), and standing behaviours ({@link FakeStream.ignoreClientIds},
 * {@link FakeStream.dropOtherHooks}). Its clock is Date.now(), so that tests with fake timers read its times.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';

/** A hook as the stand-in stores it: Stream always gives a hook an id and a type. */
export interface FakeStreamHook extends Record<string, unknown> {
  id: string;
  hook_type: string;
}

/** Faults the stand-in can play, each once, on the next request that matches. */
export const StreamFault = {
  /** The write is applied, then answered 500 (Stream failed after committing). */
  AppliedThen500: 'applied-then-500',
  /** The write is applied, then answered only after `delayMs` (after the client's deadline). */
  AppliedThenLate: 'applied-then-late',
  /** The write is held until `release` resolves (or `delayMs` passes), then applied and answered: it lands late. */
  LandsLate: 'lands-late',
  /** 200 with the app's JSON cut in the middle (a connection closed early by a proxy). */
  TruncatedJson: 'truncated-json',
  /**
   * Answers `status` (default 400) with a Stream error whose message echoes the request: its headers (the
   * Authorization token) and body (the SNS secret), as JSON, passed through `transform` if given (split, escape...).
   */
  Echo: 'echo',
  /**
   * 400 whose message prints the hooks the write would leave as Go's `%v` prints them: values without their names,
   * credentials included, other teams' and those of the write.
   */
  QuotingApp: 'quoting-app',
  /** Answers `status` (default 200) with `body` as it is, and `headers`: any answer at all. */
  Answer: 'answer',
  /** Answers `status` (default 307) with Location `location`: a redirect. */
  Redirect: 'redirect',
  /** Sends a 200's headers, then one byte of the app every `intervalMs`, for at most `delayMs` in all. */
  Trickle: 'trickle',
  /** Sends a 200 whose body never ends, as fast as the client reads, up to `limitBytes`. */
  Endless: 'endless',
  /** The write is answered 201 but not applied. */
  IgnoredWrite: 'ignored-write',
  /** The request is served as usual, after `delayMs`. */
  Slow: 'slow',
  /** The connection is closed without an answer (a proxy or load balancer dropping it). */
  HangUp: 'hang-up',
} as const;
export type StreamFault = (typeof StreamFault)[keyof typeof StreamFault];

/** A fault to play, on the next request of its route (`GET /app`, `PATCH /app`, `POST /check_sns`). */
export interface PlannedFault {
  route: string;
  fault: StreamFault;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  location?: string;
  delayMs?: number;
  intervalMs?: number;
  limitBytes?: number;
  release?: Promise<unknown>;
  transform?: (echo: string) => string;
  /** Requests of the route to let through before the fault plays (default 0: the next one). */
  skip?: number;
  /** Set by the stand-in once a write held by LandsLate has been applied. */
  applied?: boolean;
}

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

/** A request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** When it arrived (Date.now()). */
  at: number;
}

/** The running stand-in: its state is the app's hooks, open to the test, and what it was asked. */
export interface FakeStream {
  baseUrl: string;
  hooks: FakeStreamHook[];
  requests: RecordedRequest[];
  /** Answers to give to the next requests, in order, instead of serving them (a Stream error body, or `body` as is). */
  failNext: Array<{ status: number; message?: string; headers?: Record<string, string>; body?: string }>;
  faults: PlannedFault[];
  /** The answer to every SNS check, or how the check goes for what it is asked to check. */
  checkAnswer: SnsCheckAnswer | ((asked: SnsCheckRequest) => SnsCheckAnswer);
  /** Stream gives every hook it creates an id of its own, ignoring the one sent. */
  ignoreClientIds: boolean;
  /** Every write replaces the whole list with the hooks it names, whatever `explicit_event_hooks_deletion` says. */
  dropOtherHooks: boolean;
  /** Fields that GET /app answers masked (`****`) in every hook, as a service that never returns a secret does. */
  maskedInAnswers: string[];
  /** Bytes sent by the last Trickle or Endless answer before the client went away or the limit came. */
  bytesSent: number;
  /** GET /app's `use_hook_v2`: whether the app is migrated to multi-event hooks; `undefined` leaves the field out. */
  useHookV2: boolean | undefined;
  /** An app not migrated: the one selection of event types for every hook (empty: every type). */
  webhookEvents: string[];
  /** What GET /hook/events lists: the types a hook can subscribe to (by default the catalog's, all `chat`). */
  hookEvents: StreamHookEvent[];
  /**
   * The SNS topics Stream would publish an event of `type` to, given the hooks it holds now (a custom event: `custom`
   * true). The model described at the top of this file: an assumption where Stream documents nothing.
   */
  publishesTo(type: string, custom?: boolean): string[];
  close(): Promise<void>;
}

/** One entry of GET /hook/events. */
export interface StreamHookEvent {
  name: string;
  description: string;
  products: string[];
}

/**
 * Hooks owned by other teams, one of every type, each holding credentials: what a production app looks like
 * next to ours. {@link CREDENTIALS_OF_OTHERS} lists every credential in them.
 */
export const HOOKS_OF_OTHERS: FakeStreamHook[] = [
  {
    id: 'wh-1',
    hook_type: 'webhook',
    enabled: true,
    webhook_url: 'https://ops:hunter2-webhook-pass@hooks.example.org/stream?token=wh-token-5c1d9e&team=ops',
    event_types: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  },
  {
    id: 'sqs-1',
    hook_type: 'sqs',
    enabled: true,
    sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/q',
    sqs_region: 'eu-west-1',
    sqs_auth_type: 'keys',
    sqs_key: 'AKIAOTHERSQS77Q',
    sqs_secret: 'other-sqs-secret-0b9f',
    event_types: ['message.new'],
    created_at: '2026-01-02T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
  },
  {
    id: 'sns-other',
    hook_type: 'sns',
    enabled: false,
    sns_topic_arn: 'arn:aws:sns:us-east-1:444455556666:someone-else',
    sns_region: 'us-east-1',
    sns_auth_type: 'keys',
    sns_key: 'AKIAOTHERSNS55Z',
    sns_secret: 'other-sns-secret-a71c',
    event_types: [],
    created_at: '2026-01-03T00:00:00Z',
    updated_at: '2026-01-03T00:00:00Z',
  },
  {
    id: 'pm-1',
    hook_type: 'pending_message',
    enabled: true,
    webhook_url: 'https://moderation.example.com/pending?X-Amz-Credential=AKIAPENDING&X-Amz-Signature=3f9a0c77e1b2d4aa&expires=1999999999',
    timeout_ms: 3000,
    callback: { mode: 'CALLBACK_MODE_REST' },
    created_at: '2026-01-04T00:00:00Z',
    updated_at: '2026-01-04T00:00:00Z',
  },
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
export async function startFakeStream({
  apiKey,
  apiSecret,
  hooks = [],
}: {
  apiKey: string;
  apiSecret: string;
  hooks?: FakeStreamHook[];
}): Promise<FakeStream> {
  const state: Omit<FakeStream, 'baseUrl' | 'close'> = {
    hooks: structuredClone(hooks),
    requests: [],
    failNext: [],
    faults: [],
    checkAnswer: { status: 'ok' },
    ignoreClientIds: false,
    dropOtherHooks: false,
    maskedInAnswers: [],
    bytesSent: 0,
    useHookV2: true,
    webhookEvents: [],
    hookEvents: Object.keys(EVENT_TYPE_CATEGORY).map((name) => ({ name, description: `the ${name} event`, products: ['chat'] })),
    publishesTo: (type: string, custom = false) => publishesTo(state, type, custom),
  };
  const stored = (hook: Record<string, unknown>, known: boolean): FakeStreamHook => {
    const now = new Date().toISOString();
    const id = known ? String(hook.id) : state.ignoreClientIds || hook.id === undefined ? randomUUID() : String(hook.id);
    // Stream keeps a hook's event types as a set (the setup-safety issue saw a repeated type dropped): each once.
    const eventTypes = Array.isArray(hook.event_types) ? { event_types: [...new Set(hook.event_types)] } : {};
    return { ...hook, ...eventTypes, id, created_at: hook.created_at ?? now, updated_at: now } as unknown as FakeStreamHook;
  };
  /** Explicit-deletion mode: delete by id, update by id, create a hook with an unknown id or without one. */
  const mergeExplicit = (current: FakeStreamHook[], update: Array<Record<string, unknown>>): FakeStreamHook[] => {
    let merged = [...current];
    for (const change of update) {
      if (change.delete === true) merged = merged.filter((hook) => hook.id !== change.id);
      else if (change.id !== undefined && merged.some((hook) => hook.id === change.id)) {
        merged = merged.map((hook) => (hook.id === change.id ? stored({ ...hook, ...change }, true) : hook));
      } else merged.push(stored(change, false));
    }
    return merged;
  };
  const applyWrite = (body: unknown) => {
    const { event_hooks: update, explicit_event_hooks_deletion: explicit } = (body ?? {}) as {
      event_hooks?: Array<Record<string, unknown>>;
      explicit_event_hooks_deletion?: boolean;
    };
    if (update === undefined) return;
    const before = new Set(state.hooks.map((hook) => hook.id));
    const named = new Set(update.filter((change) => change.delete !== true).map((change) => change.id));
    state.hooks = explicit ? mergeExplicit(state.hooks, update) : update.map((hook) => stored(hook, false));
    // As if the flag were ignored: only what the write named (or created) is left.
    if (state.dropOtherHooks) state.hooks = state.hooks.filter((hook) => named.has(hook.id) || !before.has(hook.id));
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readBody(request);
    const route = `${request.method} ${url.pathname}`;
    state.requests.push({ method: request.method ?? '', path: url.pathname, headers: request.headers, body, at: Date.now() });
    const send = (status: number, text: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
      if (response.destroyed) return;
      response.writeHead(status, headers);
      response.end(text);
    };
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      send(status, JSON.stringify({ ...(payload as object), duration: '1.00ms' }), { 'content-type': 'application/json', ...headers });
    const failure = state.failNext.shift();
    if (failure) {
      if (failure.body !== undefined) return send(failure.status, failure.body, { 'content-type': 'application/json', ...failure.headers });
      return reply(
        failure.status,
        { code: failure.status === 429 ? 9 : -1, message: failure.message ?? 'injected failure', StatusCode: failure.status },
        failure.headers,
      );
    }
    const faultAt = state.faults.findIndex((planned) => planned.route === route);
    const skipped = faultAt !== -1 && (state.faults[faultAt]!.skip ?? 0) > 0;
    if (skipped) state.faults[faultAt]!.skip! -= 1;
    const fault = faultAt === -1 || skipped ? undefined : state.faults.splice(faultAt, 1)[0];
    const masked = (hook: FakeStreamHook) =>
      Object.fromEntries(
        Object.entries(hook).map(([name, value]) => [name, state.maskedInAnswers.includes(name) && value !== undefined ? '****' : value]),
      );
    const appAnswer = () =>
      JSON.stringify({
        app: {
          name: 'fake-app',
          ...(state.useHookV2 === undefined ? {} : { use_hook_v2: state.useHookV2 }),
          ...(state.useHookV2 === true ? {} : { webhook_events: state.webhookEvents }),
          event_hooks: state.hooks.map(masked),
        },
      });
    switch (fault?.fault) {
      case StreamFault.TruncatedJson: {
        const whole = appAnswer();
        return send(200, whole.slice(0, Math.floor(whole.length / 2)));
      }
      case StreamFault.Echo: {
        const echo = JSON.stringify({ headers: request.headers, body });
        const message = `request rejected: ${fault.transform ? fault.transform(echo) : echo}`;
        return reply(fault.status ?? 400, { code: 4, message, StatusCode: fault.status ?? 400 });
      }
      case StreamFault.QuotingApp: {
        const after = mergeExplicit(state.hooks, (body as { event_hooks?: Array<Record<string, unknown>> }).event_hooks ?? []);
        return reply(400, {
          code: 4,
          message: `UpdateApp failed with error: "event_hooks ${goValue(after)} are not valid"`,
          StatusCode: 400,
        });
      }
      case StreamFault.Answer:
        return send(fault.status ?? 200, fault.body ?? '', { 'content-type': 'application/json', ...fault.headers });
      case StreamFault.Redirect:
        return send(fault.status ?? 307, '', { location: fault.location ?? 'https://elsewhere.example.net/app' });
      case StreamFault.Trickle:
      case StreamFault.Endless:
        return stream(response, fault, appAnswer(), state);
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
    if (url.searchParams.get('api_key') !== apiKey || !validJwt(String(request.headers.authorization ?? ''), apiSecret)) {
      return reply(401, { code: 5, message: 'api_key not valid', StatusCode: 401 });
    }
    if (request.method === 'GET' && url.pathname === '/app') return send(200, appAnswer());
    if (request.method === 'PATCH' && url.pathname === '/app') {
      if (fault?.fault === StreamFault.LandsLate)
        await Promise.race([fault.release ?? new Promise(() => undefined), sleep(fault.delayMs ?? 60_000)]);
      applyWrite(body);
      if (fault !== undefined) fault.applied = true;
      if (fault?.fault === StreamFault.AppliedThen500) return reply(500, { code: -1, message: 'internal error', StatusCode: 500 });
      if (fault?.fault === StreamFault.AppliedThenLate) await sleep(fault.delayMs ?? 2_000);
      return reply(201, {});
    }
    if (request.method === 'GET' && url.pathname === '/hook/events') {
      const products = url.searchParams.get('product')?.split(',');
      const events = state.hookEvents.filter((event) => products === undefined || event.products.some((name) => products.includes(name)));
      return reply(200, { events });
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

/** A body sent slowly (Trickle) or without end (Endless), until the client goes away or the fault's limit comes. */
async function stream(
  response: import('node:http').ServerResponse,
  fault: PlannedFault,
  app: string,
  state: { bytesSent: number },
): Promise<void> {
  state.bytesSent = 0;
  response.writeHead(200, { 'content-type': 'application/json' });
  const started = Date.now();
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  while (!response.destroyed && !response.writableEnded) {
    if (fault.fault === StreamFault.Trickle) {
      if (Date.now() - started > (fault.delayMs ?? 8_000)) break;
      response.write(app[state.bytesSent % app.length] ?? ' ');
      state.bytesSent += 1;
      await sleep(fault.intervalMs ?? 200);
    } else {
      if (state.bytesSent >= (fault.limitBytes ?? 64 * 1024 * 1024)) break;
      state.bytesSent += chunk.length;
      if (!response.write(chunk)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            response.off('drain', go).off('close', go);
            resolve();
          };
          response.once('drain', go).once('close', go);
        });
      }
    }
  }
  response.end();
}

/** The stand-in's model of Stream's fan-out to SNS hooks (an assumption: see the top of this file). */
function publishesTo(
  state: { hooks: FakeStreamHook[]; useHookV2: boolean | undefined; webhookEvents: string[] },
  type: string,
  custom: boolean,
): string[] {
  const listed = (types: unknown) => !Array.isArray(types) || types.length === 0 || types.includes(type);
  return state.hooks
    .filter((hook) => hook.hook_type === 'sns' && hook.enabled === true)
    .filter((hook) => {
      if (state.useHookV2 !== true) return listed(state.webhookEvents);
      return custom ? hook.should_send_custom_events === true : listed(hook.event_types);
    })
    .map((hook) => String(hook.sns_topic_arn));
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
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
