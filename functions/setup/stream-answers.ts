/**
 * Stream's answers, checked before they are used. A 200 is not proof of an app: a proxy that cut the connection
 * gives truncated JSON (the SDK then hands over a string), a wrong base URL gives an HTML page, a broken edge `{}`.
 * Read as "an app without hooks", any of these would make apply add a duplicate hook and remove report "no change".
 */
import type { EventHook } from 'stream-chat';
import { StreamAnswerError } from './errors.js';

/** Stream's answer to an SNS check. */
export interface SnsCheckResult {
  status: string;
  error?: string;
}

/**
 * The hooks of the app in the answer to GET /app.
 *
 * @throws StreamAnswerError unless the answer is an object holding an `app` object whose `event_hooks` is a list of
 *   hooks (objects with a string `id` and `hook_type`) or absent (an app without hooks).
 */
export function hooksOfApp(answer: unknown, url: string): EventHook[] {
  const fault = (what: string) => new StreamAnswerError(url, 'a Stream app', what);
  if (typeof answer !== 'object' || answer === null) throw fault(describeNonObject(answer));
  const { app } = answer as { app?: unknown };
  if (typeof app !== 'object' || app === null || Array.isArray(app)) throw fault('an object without `app`');
  const { event_hooks: hooks } = app as { event_hooks?: unknown };
  if (hooks === undefined || hooks === null) return [];
  if (!Array.isArray(hooks)) throw fault(`\`app.event_hooks\` is ${typeof hooks}, not a list`);
  hooks.forEach((hook: unknown, index) => {
    const { id, hook_type: type } = (typeof hook === 'object' && hook !== null ? hook : {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof type !== 'string') throw fault(`hook ${index + 1} has no string \`id\` and \`hook_type\``);
  });
  return hooks as EventHook[];
}

/**
 * The result in the answer to POST /check_sns.
 *
 * @throws StreamAnswerError unless the answer holds a string `status`.
 */
export function snsCheckResultOf(answer: unknown, url: string): SnsCheckResult {
  const { status, error } = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  if (typeof status !== 'string') {
    throw new StreamAnswerError(url, 'an SNS check result', typeof answer === 'object' && answer !== null ? 'an object without `status`' : describeNonObject(answer));
  }
  return { status, ...(error ? { error: String(error) } : {}) };
}

/** What a non-object answer is, without quoting it: a truncated app would print other teams' credentials. */
function describeNonObject(answer: unknown): string {
  if (typeof answer !== 'string') return `${answer === null ? 'null' : typeof answer}`;
  if (/^\s*</.test(answer)) return `an HTML or XML page of ${answer.length} characters`;
  return `${answer.length} characters that are not JSON (cut short?)`;
}
