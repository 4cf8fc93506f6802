/**
 * The setup core: registers, checks or removes this stack's SNS hook in the Stream app, without touching any other
 * hook, and leaves the app in a known state whatever Stream and the network do.
 *
 * - Other hooks: Stream's `event_hooks` is a list that an update replaces whole. Writes are therefore made in
 *   explicit-deletion mode, naming only our hooks by id (hook-plan.ts); other hooks are never sent.
 * - Retries: our hook has a deterministic id (hook-id.ts), so a write that Stream applied but whose answer was lost
 *   (a 500 after commit, an answer after the client's timeout) updates the same hook when made again.
 * - Read back: after every write the app is read again and planned again; the run ends only when the plan is empty,
 *   that is when the app holds exactly one hook for our topic with our settings (none after remove). A write whose
 *   outcome is unknown is never blindly repeated: the read tells what is left to do.
 * - Checked answers: an answer that is not an app stops the run before anything is written (stream-answers.ts).
 * - Masking: hooks in the report are masked, Stream's messages scrubbed of every secret in play (masking.ts).
 */
import type { EventHook } from 'stream-chat';
import { HookNotSettledError, SetupConfigurationError, SnsCheckFailedError, StreamTransientError } from './errors.js';
import { type HookPlan, type HookSettings, hooksAfter, planApply, planRemove } from './hook-plan.js';
import { SecretScrubber, credentialsOf, maskHook } from './masking.js';
import type { SnsCheckResult } from './stream-answers.js';
import { SETUP_DEFAULTS, type SetupOptions, StreamApp, type StreamCredentials } from './stream-app.js';

/** What the setup can do. */
export const SetupAction = {
  /** Create or update our hook (and delete duplicates of it), then run Stream's SNS check. */
  Apply: 'apply',
  /** Show the change `apply` would make; write nothing, check nothing. */
  DryRun: 'dry-run',
  /** Run Stream's SNS check only. */
  Check: 'check',
  /** Delete every hook of ours, and nothing else. */
  Remove: 'remove',
} as const;

/** One of the {@link SetupAction} values. */
export type SetupAction = (typeof SetupAction)[keyof typeof SetupAction];

/** What a setup run did: the hooks before and after (credentials masked) and Stream's SNS check answer. */
export interface SetupReport {
  action: SetupAction;
  topicArn: string;
  /** Whether a write was sent (dry run: would be). */
  changed: boolean;
  /** Ids of the extra hooks for our topic that the run deleted (dry run: would delete). */
  duplicatesRemoved: string[];
  hooksBefore: EventHook[];
  hooksAfter: EventHook[];
  check?: SnsCheckResult | undefined;
}

const ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$/;

/**
 * Runs one setup action against the Stream app of `credentials`.
 *
 * @throws SetupError with an actionable, scrubbed message: the run stopped, and it says whether it wrote.
 */
export async function runSetup(
  action: SetupAction,
  settings: HookSettings,
  credentials: StreamCredentials,
  options: Partial<SetupOptions> = {},
): Promise<SetupReport> {
  const config: SetupOptions = { ...SETUP_DEFAULTS, ...options };
  const region = regionOf(settings.topicArn);
  if (action !== SetupAction.Remove && settings.authType === 'keys' && (!settings.snsKey || !settings.snsSecret)) {
    throw new SetupConfigurationError('keys auth needs the SNS access key and secret (SNS_KEY and SNS_SECRET).');
  }
  const scrubber = new SecretScrubber([
    { value: credentials.apiSecret, visible: 0 },
    { value: credentials.apiKey, visible: 4 },
    { value: settings.snsSecret, visible: 0 },
    { value: settings.snsKey, visible: 4 },
  ]);
  const app = new StreamApp(credentials, config, scrubber);

  const hooksBefore = await app.readHooks();
  for (const hook of hooksBefore) scrubber.add(credentialsOf(hook));
  const report = (plan: HookPlan, hooks: EventHook[], check?: SnsCheckResult): SetupReport => ({
    action,
    topicArn: settings.topicArn,
    changed: plan.changes.length > 0,
    duplicatesRemoved: plan.duplicateIds,
    hooksBefore: hooksBefore.map(maskHook),
    hooksAfter: hooks.map(maskHook),
    check,
  });
  const keys = settings.authType === 'keys' ? { sns_key: settings.snsKey, sns_secret: settings.snsSecret } : {};

  switch (action) {
    case SetupAction.Check:
      return report({ changes: [], duplicateIds: [] }, hooksBefore, await app.checkSns(settings.topicArn, keys));
    case SetupAction.DryRun: {
      const plan = planApply(hooksBefore, settings, region);
      return report(plan, hooksAfter(hooksBefore, plan.changes));
    }
    case SetupAction.Apply: {
      const plan = planApply(hooksBefore, settings, region);
      const settled = await settle(app, hooksBefore, (hooks) => planApply(hooks, settings, region), config.attempts,
        `exactly one hook for ${settings.topicArn} with our settings`);
      return report(plan, settled, await app.checkSns(settings.topicArn, keys));
    }
    case SetupAction.Remove: {
      const plan = planRemove(hooksBefore, settings.topicArn);
      return report(plan, await settle(app, hooksBefore, (hooks) => planRemove(hooks, settings.topicArn), config.attempts,
        `no hook for ${settings.topicArn}`));
    }
  }
}

/**
 * Writes and reads back until the plan for the app's hooks is empty.
 *
 * A write whose outcome is unknown (no answer, a 5xx) is followed by a read, not by the same write: if it was applied,
 * the plan is empty now; if not, the plan says again what to write.
 */
async function settle(
  app: StreamApp,
  hooksBefore: EventHook[],
  plan: (hooks: EventHook[]) => HookPlan,
  maximumWrites: number,
  wanted: string,
): Promise<EventHook[]> {
  let hooks = hooksBefore;
  let writes = 0;
  let lastFailure: string | undefined;
  for (let { changes } = plan(hooks); changes.length > 0; { changes } = plan(hooks)) {
    if (writes === maximumWrites) throw new HookNotSettledError(wanted, writes, lastFailure);
    writes += 1;
    try {
      await app.writeHooks(changes);
    } catch (error) {
      if (!(error instanceof StreamTransientError)) throw error;
      lastFailure = error.message;
      await app.backOff(writes, error.retryAfterMs);
    }
    hooks = await app.readHooks();
  }
  return hooks;
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
