/**
 * Stream's answers, checked before they are used, and Stream's error bodies, reduced before anything else sees them.
 *
 * A 200 is not proof of an app: a proxy that cut the connection gives truncated JSON (the SDK then hands over a
 * string), a wrong base URL gives an HTML page, a broken edge `{}`. Read as "an app without hooks", any of these
 * would make apply add a duplicate hook and remove report "no change". Likewise `event_hooks: null` says nothing of
 * what the app holds, and two hooks under one id cannot be told apart (a delete by id would delete both).
 *
 * An error body is untrusted text: it may echo the request (the Authorization token, the SNS secret), quote other
 * teams' hooks, or carry escape sequences that forge a terminal line. Only Stream's error code and a short message
 * are kept, on one line, without control characters, and with every value of other teams' hooks masked.
 */
import type { EventHook } from 'stream-chat';
import { StreamAnswerError } from './errors.js';
import { MASK, withoutControlCharacters } from './scrubber.js';

/** Stream's answer to an SNS check. */
export interface SnsCheckResult {
  status: string;
  error?: string;
}

/** What is kept of an error answer. */
export interface StreamErrorBody {
  /** Stream's error code (`code` in its body), when it sent one. */
  code: number | undefined;
  /** Stream's message, reduced: one line, at most {@link STREAM_MESSAGE_LIMIT} characters, nothing of other hooks. */
  message: string;
}

/** The longest part of a message from Stream that is shown. */
export const STREAM_MESSAGE_LIMIT = 200;

/** Values shorter than this, of other teams' hooks, are not masked in Stream's messages (they would mask words). */
const SHORTEST_HIDDEN_VALUE = 6;
const NO_VALUES: ReadonlySet<string> = new Set();

/**
 * The hooks of the app in the answer to GET /app.
 *
 * @throws StreamAnswerError unless the answer is an object holding an `app` object whose `event_hooks` is a list of
 *   hooks (objects with a string `id` and `hook_type`, no two with one id) or absent (Stream leaves an empty list
 *   out).
 */
export function hooksOfApp(answer: unknown, url: string): EventHook[] {
  const fault = (what: string) => new StreamAnswerError(url, 'a Stream app', what);
  if (typeof answer !== 'object' || answer === null) throw fault(describeNonObject(answer));
  const { app } = answer as { app?: unknown };
  if (typeof app !== 'object' || app === null || Array.isArray(app)) throw fault('an object without `app`');
  if (!('event_hooks' in app)) return [];
  const { event_hooks: hooks } = app as { event_hooks?: unknown };
  if (!Array.isArray(hooks))
    throw fault(`\`app.event_hooks\` is ${hooks === null ? 'null' : typeof hooks}, not a list: it does not say which hooks the app holds`);
  const ids = new Set<string>();
  hooks.forEach((hook: unknown, index) => {
    const { id, hook_type: type } = (typeof hook === 'object' && hook !== null ? hook : {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof type !== 'string') throw fault(`hook ${index + 1} has no string \`id\` and \`hook_type\``);
    if (ids.has(id)) throw fault(`two hooks share the id ${reduced(id, NO_VALUES, 80)}, so a change by id cannot tell them apart`);
    ids.add(id);
  });
  return hooks as EventHook[];
}

/** GET /app's `use_hook_v2` as it came (undocumented; undefined when the answer has no such field). */
export function useHookV2Of(answer: unknown): unknown {
  const app = (answer as { app?: Record<string, unknown> } | null)?.app;
  return typeof app === 'object' && app !== null ? app.use_hook_v2 : undefined;
}

/** The products whose event types a chat app's hook can carry. */
const CHAT_PRODUCTS: readonly string[] = ['chat', 'moderation'];

/**
 * The event types in the answer to GET /hook/events (`{ events: [{ name, description, products }] }`), sorted and
 * each once: those of the chat or moderation product, or of no product named.
 *
 * @throws StreamAnswerError unless the answer holds a list `events` whose entries have a string `name`.
 */
export function hookEventTypesOf(answer: unknown, url: string): string[] {
  const events = (answer as { events?: unknown } | null)?.events;
  const fault = (what: string) => new StreamAnswerError(url, 'a list of hook events', what);
  if (!Array.isArray(events))
    throw fault(typeof answer === 'object' && answer !== null ? 'an object without a list `events`' : describeNonObject(answer));
  const names = events.map((event: unknown, index) => {
    const { name, products } = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw fault(`event ${index + 1} has no string \`name\``);
    const chat = !Array.isArray(products) || products.length === 0 || products.some((product) => CHAT_PRODUCTS.includes(String(product)));
    return chat ? reduced(name, NO_VALUES, 120) : undefined;
  });
  return [...new Set(names.filter((name): name is string => name !== undefined))].sort();
}

/**
 * The result in the answer to POST /check_sns, its texts reduced as error bodies are.
 *
 * @throws StreamAnswerError unless the answer holds a string `status`.
 */
export function snsCheckResultOf(answer: unknown, url: string, hidden: ReadonlySet<string>): SnsCheckResult {
  const { status, error } = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  if (typeof status !== 'string') {
    throw new StreamAnswerError(
      url,
      'an SNS check result',
      typeof answer === 'object' && answer !== null ? 'an object without `status`' : describeNonObject(answer),
    );
  }
  return { status: reduced(status, hidden, 40), ...(error ? { error: reduced(String(error), hidden, STREAM_MESSAGE_LIMIT) } : {}) };
}

/**
 * What is kept of an error answer's body: Stream's code and its message reduced, or what the body is, never the body.
 *
 * @param hidden - values of other teams' hooks: masked wherever the message quotes them.
 */
export function streamErrorBody(body: unknown, hidden: ReadonlySet<string>): StreamErrorBody {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { code, message } = body as Record<string, unknown>;
    return {
      code: typeof code === 'number' && Number.isSafeInteger(code) ? code : undefined,
      message: typeof message === 'string' ? reduced(message, hidden, STREAM_MESSAGE_LIMIT) : 'no message',
    };
  }
  return { code: undefined, message: body === undefined || body === null || body === '' ? 'no body' : describeNonObject(body) };
}

/** Untrusted text as it may be shown: one line, no control characters, other hooks' values masked, at most `limit`. */
export function reduced(text: string, hidden: ReadonlySet<string>, limit: number): string {
  let line = oneLine(text);
  for (const value of [...hidden].sort((a, b) => b.length - a.length)) line = line.split(value).join(MASK);
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

/**
 * Every value of a hook that is not ours, as text, for {@link reduced} to mask: its id, type and `enabled` may be
 * shown, nothing else of it may be quoted, whatever its field names.
 */
export function valuesOf(hook: EventHook): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (text.length >= SHORTEST_HIDDEN_VALUE) found.push(text, oneLine(text));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  const { id: _id, hook_type: _type, enabled: _enabled, ...rest } = hook as Record<string, unknown>;
  visit(rest);
  return found;
}

/** `text` on one line: line breaks and tabs become spaces, other control characters go, runs of spaces become one. */
function oneLine(text: string): string {
  return withoutControlCharacters(text.replace(/[\n\r\u2028\u2029\u0085\t]+/g, ' '))
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** What a non-object answer is, without quoting it: a truncated app would print other teams' credentials. */
function describeNonObject(answer: unknown): string {
  if (Array.isArray(answer)) return 'a list';
  if (typeof answer !== 'string') return `${answer === null ? 'null' : typeof answer}`;
  if (/^\s*</.test(answer)) return `an HTML or XML page of ${answer.length} characters`;
  return `${answer.length} characters that are not JSON (cut short?)`;
}
