/**
 * What a Stream event function reads from its environment, which serverless.yml sets for every function.
 *
 * A missing variable fails the cold start with its name ({@link ConfigurationError}): a function that fell back to
 * a default would write another stage's table or queue, where a duplicate would not be recognised and a rejection
 * not be found. The local run and `serverless invoke local` set the same variables from the packaged template, and
 * inject what differs there through the function's options (shared/middleware.ts INJECTED_OPTIONS_KEY): nothing
 * here asks whether it runs locally.
 */
import { ConfigurationError, SettingValueError } from './errors.js';
import { type FunctionRouting, ROUTING_DEFAULTS, RoutingMode } from './routing.js';

/** The settings every function needs, which serverless.yml sets. */
export const SETTINGS = ['IDEMPOTENCY_TABLE', 'REJECTED_DELIVERIES_QUEUE'] as const;

/** The name of one setting. */
export type SettingName = (typeof SETTINGS)[number];

/** A setting's value; else a {@link ConfigurationError} naming it. */
export function requiredSetting(name: SettingName): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  throw new ConfigurationError(name);
}

const MODES: readonly string[] = Object.values(RoutingMode);
const BOOLEANS = ['true', 'false'] as const;

/**
 * The routing the function applies (shared/ownership.ts), from STREAM_ROUTING, STREAM_CATCH_ALL,
 * STREAM_EVENT_TYPES and STREAM_EVENTS_TOPIC_NAME, which serverless.yml sets for every function from the
 * parameters `routing`, `catchAll` and `streamEventTypes`. An unset variable takes {@link ROUTING_DEFAULTS}; an
 * unset topic name (a function built outside the stack, as in a test) means that no delivery is known to come from a
 * category's topic, so every one is judged as the events topic's.
 *
 * @throws SettingValueError at cold start for a value that is not one of the choices.
 */
export function routingFromEnvironment(): FunctionRouting {
  const mode = process.env.STREAM_ROUTING || ROUTING_DEFAULTS.mode;
  if (!MODES.includes(mode)) throw new SettingValueError('STREAM_ROUTING', mode, MODES);
  const catchAll = process.env.STREAM_CATCH_ALL || String(ROUTING_DEFAULTS.catchAll);
  if (!(BOOLEANS as readonly string[]).includes(catchAll)) throw new SettingValueError('STREAM_CATCH_ALL', catchAll, BOOLEANS);
  return {
    mode: mode as RoutingMode,
    catchAll: catchAll === 'true',
    streamEventTypes: (process.env.STREAM_EVENT_TYPES ?? '')
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean),
    eventsTopicName: process.env.STREAM_EVENTS_TOPIC_NAME ?? '',
  };
}
