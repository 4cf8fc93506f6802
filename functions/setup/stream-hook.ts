/**
 * The setup core: registers, checks or removes this stack's SNS hook in the Stream app, through the stream-chat
 * SDK, without touching any other hook.
 *
 * Stream's `event_hooks` setting is a list that an update replaces whole: a hook left out is deleted. This core
 * therefore writes with `explicit_event_hooks_deletion: true`, in which mode Stream keeps every hook the update
 * does not name, updates the one whose `id` it names, and deletes only a hook sent as `{ id, delete: true }`.
 * Other hooks are never sent, so they stay exactly as they were. Our hook is the SNS hook whose topic ARN is this
 * stack's topic. Running `apply` twice changes nothing the second time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type EventHook, StreamChat } from 'stream-chat';
import {
  SetupConfigurationError,
  SetupError,
  SnsCheckFailedError,
  StreamAppNotFoundError,
  StreamCredentialsError,
  StreamUnavailableError,
} from './errors.js';

/** The Stream app's server-side credentials. */
export interface StreamCredentials {
  apiKey: string;
  apiSecret: string;
}

/** The hook this stack wants. */
export interface HookSettings {
  topicArn: string;
  /** `resource`: the topic policy lets Stream's account publish. `keys`: Stream publishes with snsKey/snsSecret. */
  authType: 'resource' | 'keys';
  /** Event types to send; empty means every event, including types Stream adds later. */
  eventTypes: string[];
  snsKey?: string | undefined;
  snsSecret?: string | undefined;
}

/** What the setup can do. */
export const SetupAction = {
  /** Create or update our hook, then run Stream's SNS check. */
  Apply: 'apply',
  /** Show the change `apply` would make; write nothing, check nothing. */
  DryRun: 'dry-run',
  /** Run Stream's SNS check only. */
  Check: 'check',
  /** Delete our hook, and nothing else. */
  Remove: 'remove',
} as const;

/** One of the {@link SetupAction} values. */
export type SetupAction = (typeof SetupAction)[keyof typeof SetupAction];

/** Options of the setup; {@link SETUP_DEFAULTS} fills what is left out. */
export interface SetupOptions {
  /** Another Stream-compatible endpoint (a region's edge, or a local stand-in). */
  baseUrl: string | undefined;
  /** Attempts per Stream call when Stream is unreachable, rate limits or fails with a 5xx. */
  attempts: number;
  /** First retry delay; it doubles on each retry, up to 8 s, unless Stream says how long to wait. */
  retryBaseDelayMs: number;
  /** Time limit of one Stream call. */
  requestTimeoutMs: number;
}

/** Defaults of {@link SetupOptions}: 5 attempts over about 8 s, which fits a custom resource's time budget. */
export const SETUP_DEFAULTS = {
  baseUrl: undefined,
  attempts: 5,
  retryBaseDelayMs: 500,
  requestTimeoutMs: 10_000,
} as const satisfies SetupOptions;

/** What a setup run did: the hooks before and after (secrets masked) and Stream's SNS check answer. */
export interface SetupReport {
  action: SetupAction;
  topicArn: string;
  changed: boolean;
  hooksBefore: EventHook[];
  hooksAfter: EventHook[];
  check?: { status: string; error?: string } | undefined;
}

const ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$/;

/** Runs one setup action against the Stream app of `credentials`. */
export async function runSetup(
  action: SetupAction,
  settings: HookSettings,
  credentials: StreamCredentials,
  options: Partial<SetupOptions> = {},
): Promise<SetupReport> {
  const config = { ...SETUP_DEFAULTS, ...options };
  const region = regionOf(settings.topicArn);
  if (action !== SetupAction.Remove && settings.authType === 'keys' && (!settings.snsKey || !settings.snsSecret)) {
    throw new SetupConfigurationError('keys auth needs the SNS access key and secret (SNS_KEY and SNS_SECRET).');
  }
  const client = new StreamChat(credentials.apiKey, credentials.apiSecret, {
    timeout: config.requestTimeoutMs,
    ...(config.baseUrl === undefined ? {} : { baseURL: config.baseUrl }),
  });
  const call = <T>(what: string, request: () => Promise<T>) => withRetries(what, request, config);
  const readHooks = async () => (await call('read app settings', () => client.getAppSettings())).app?.event_hooks ?? [];
  const checkSns = async () => {
    const answer = await call('check SNS', () =>
      client.testSNSSettings({
        sns_topic_arn: settings.topicArn,
        ...(settings.authType === 'keys' ? { sns_key: settings.snsKey, sns_secret: settings.snsSecret } : {}),
      }),
    );
    return { status: String(answer.status), ...(answer.error ? { error: String(answer.error) } : {}) };
  };

  const hooksBefore = await readHooks();
  const ours = hooksBefore.find((hook) => isOurHook(hook, settings.topicArn));
  const report = (changed: boolean, hooksAfter: EventHook[], check?: SetupReport['check']): SetupReport => ({
    action,
    topicArn: settings.topicArn,
    changed,
    hooksBefore: hooksBefore.map(maskHook),
    hooksAfter: hooksAfter.map(maskHook),
    check,
  });

  switch (action) {
    case SetupAction.Check:
      return report(false, hooksBefore, await checkSns());
    case SetupAction.Remove: {
      if (ours?.id === undefined) return report(false, hooksBefore);
      const id = ours.id;
      await call('remove the hook', () =>
        client.updateAppSettings({ event_hooks: [{ id, delete: true }], explicit_event_hooks_deletion: true }),
      );
      return report(true, await readHooks());
    }
    case SetupAction.DryRun:
    case SetupAction.Apply: {
      const desired = desiredHook(ours, settings, region);
      const changed = ours === undefined || !sameHook(ours, desired);
      if (action === SetupAction.DryRun) {
        const planned = ours === undefined ? [...hooksBefore, desired] : hooksBefore.map((h) => (h === ours ? { ...ours, ...desired } : h));
        return report(changed, changed ? planned : hooksBefore);
      }
      if (changed) {
        await call('write the hook', () =>
          client.updateAppSettings({ event_hooks: [desired], explicit_event_hooks_deletion: true }),
        );
      }
      return report(changed, changed ? await readHooks() : hooksBefore, await checkSns());
    }
  }
}

/** Throws a {@link SnsCheckFailedError} with the likely cause when Stream's SNS check did not answer ok. */
export function assertCheckPassed(report: SetupReport, authType: HookSettings['authType']): void {
  if (report.check === undefined || report.check.status === 'ok') return;
  const likelyCause =
    authType === 'resource'
      ? "the topic policy does not let Stream's account (arn:aws:iam::185583345998:root) publish, or the topic is in another region than its ARN says"
      : 'the SNS key and secret are wrong, inactive, or lack SNS:Publish on this topic';
  throw new SnsCheckFailedError(`status ${report.check.status}${report.check.error ? `, "${report.check.error}"` : ''}`, likelyCause);
}

/** The region of a topic ARN; a malformed ARN is a configuration error. */
export function regionOf(topicArn: string): string {
  const match = ARN.exec(topicArn);
  if (match === null) {
    throw new SetupConfigurationError(`"${topicArn}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>).`);
  }
  return match[1]!;
}

/** Secrets replaced by a mask; an access key id keeps its first four characters. */
export function maskHook(hook: EventHook): EventHook {
  const masked: EventHook = { ...hook };
  for (const field of ['sns_secret', 'sqs_secret'] as const) if (masked[field]) masked[field] = '****';
  for (const field of ['sns_key', 'sqs_key'] as const) if (masked[field]) masked[field] = `${masked[field]!.slice(0, 4)}****`;
  return masked;
}

function isOurHook(hook: EventHook, topicArn: string): boolean {
  return hook.hook_type === 'sns' && hook.sns_topic_arn === topicArn;
}

function desiredHook(ours: EventHook | undefined, settings: HookSettings, region: string): EventHook {
  return {
    ...(ours?.id === undefined ? {} : { id: ours.id }),
    hook_type: 'sns',
    enabled: true,
    event_types: [...settings.eventTypes],
    sns_topic_arn: settings.topicArn,
    sns_region: region,
    sns_auth_type: settings.authType,
    ...(settings.authType === 'keys' ? { sns_key: settings.snsKey, sns_secret: settings.snsSecret } : {}),
  };
}

/**
 * Whether the hook Stream has is already the one we want. Secrets are compared through the key only: Stream may
 * not return the secret, and a new AWS access key always has a new key id.
 */
function sameHook(current: EventHook, desired: EventHook): boolean {
  const sorted = (types: string[] | undefined) => [...(types ?? [])].sort().join(',');
  return (
    current.enabled === true &&
    current.sns_region === desired.sns_region &&
    current.sns_auth_type === desired.sns_auth_type &&
    sorted(current.event_types) === sorted(desired.event_types) &&
    (desired.sns_auth_type !== 'keys' || current.sns_key === desired.sns_key)
  );
}

/** The parts of an SDK or network error that are safe to show (never the request, which carries the token). */
function describe(error: unknown): { status: number | undefined; message: string; retryAfterMs: number | undefined } {
  const failure = error as {
    status?: number;
    message?: string;
    code?: string | number;
    response?: { status?: number; data?: { message?: string }; headers?: Record<string, string> };
  };
  const status = failure.status ?? failure.response?.status;
  const message = failure.response?.data?.message ?? (typeof failure.code === 'string' ? `${failure.code}: ${failure.message}` : failure.message) ?? String(error);
  const retryAfter = Number(failure.response?.headers?.['retry-after']);
  return { status, message, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
}

async function withRetries<T>(what: string, request: () => Promise<T>, options: SetupOptions): Promise<T> {
  let last = '';
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      const { status, message, retryAfterMs } = describe(error);
      if (status === 401 || status === 403) throw new StreamCredentialsError(status, message);
      if (status === 404) throw new StreamAppNotFoundError(message);
      const retryable = status === undefined || status === 429 || status >= 500;
      if (!retryable) throw new SetupError(`Stream refused to ${what} (HTTP ${status}: ${message})`);
      last = status === undefined ? message : `HTTP ${status}: ${message}`;
      if (attempt < options.attempts) {
        await sleep(Math.min(retryAfterMs ?? options.retryBaseDelayMs * 2 ** (attempt - 1), 8_000));
      }
    }
  }
  throw new StreamUnavailableError(`${what}: ${last}`, options.attempts);
}
