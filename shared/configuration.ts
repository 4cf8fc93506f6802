/**
 * What a Stream event function reads from its environment, which serverless.yml sets for every function.
 *
 * Deployed, a missing variable fails the cold start with its name ({@link ConfigurationError}): a function that
 * fell back to a default would write another stage's table or queue, where a duplicate would not be recognised
 * and a rejection not be found. Only under `serverless invoke local` (IS_LOCAL) and the local run
 * (STREAM_LOCAL_RUN) do the local defaults apply.
 */
import { ConfigurationError } from './errors.js';

/** The settings, with the value each takes under a local run (the `dev` stage's names). */
const LOCAL_SETTINGS = {
  IDEMPOTENCY_TABLE: 'stream-chat-events-dev-idempotency',
  REJECTED_DELIVERIES_QUEUE: 'stream-chat-events-dev-rejected',
} as const;

/** The name of one setting. */
export type SettingName = keyof typeof LOCAL_SETTINGS;

/** Whether the function runs under `serverless invoke local` or the local run rather than in Lambda. */
export function isLocalRun(): boolean {
  return process.env.IS_LOCAL === 'true' || process.env.STREAM_LOCAL_RUN === 'true';
}

/** A setting's value; its local default under a local run; else a {@link ConfigurationError}. */
export function requiredSetting(name: SettingName): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (isLocalRun()) return LOCAL_SETTINGS[name];
  throw new ConfigurationError(name);
}
