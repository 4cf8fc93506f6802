/**
 * The setup core: registers, checks or removes this stack's SNS hooks in the Stream app, or undoes what the stack
 * did (the custom resource's Delete and rollback), without touching any other hook, and leaves the app in a known
 * state whatever Stream and the network do.
 *
 * - Other hooks: Stream's `event_hooks` is a list that an update replaces whole. Writes are therefore made in
 *   explicit-deletion mode, naming only our hooks by id (hook-plan.ts); other hooks are never sent.
 * - Retries: our hooks have deterministic ids (hook-id.ts), so a write that Stream applied but whose answer was lost
 *   (a 500 after commit, an answer after the deadline) updates the same hook when made again. A write whose outcome
 *   is unknown is never blindly repeated: the read tells what is left to do.
 * - A write left unanswered may still land (a Stream that ignores client ids would then hold a second hook): before
 *   the run ends, it waits one call deadline after such a write and reads again, so no late write goes unseen.
 * - Read back, of the whole app: after the writes, the app must hold our hooks as planned and every other hook
 *   exactly as it was before; any difference is an error that names the hooks and fields (never their values).
 * - What the run reports comes from every read, not the first plan: the hooks it created, updated and deleted.
 * - After a write, every error says that the run wrote, and what the app held when last read.
 * - Output: other teams' hooks are shown by id, type and state only (hook-view.ts), and everything passes the one
 *   scrubber (scrubber.ts).
 */

import { isDeepStrictEqual } from 'node:util';
import type { EventHook } from 'stream-chat';
import { EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { categoryTopic, NAMED_CATEGORIES, RoutingMode } from '../../shared/routing.js';
import {
  HookNotSettledError,
  MultiEventHooksRequiredError,
  OtherHooksChangedError,
  SetupConfigurationError,
  SetupDeadlineError,
  SetupError,
  SnsCheckFailedError,
  StreamTransientError,
} from './errors.js';
import {
  type AdoptedHook,
  checksOf,
  differentFields,
  type HookPlan,
  type HookSettings,
  hooksAfter,
  ourHookFor,
  planApply,
  planRemove,
  planUndo,
  stackHookIds,
  syncsUncategorised,
  type WantedHook,
  wantedHooks,
} from './hook-plan.js';
import type { HookRecord } from './hook-record.js';
import { type HookView, viewOf } from './hook-view.js';
import { SecretScrubber } from './scrubber.js';
import type { SnsCheckResult } from './stream-answers.js';
import { SETUP_DEFAULTS, type SetupOptions, StreamApp, type StreamCredentials } from './stream-app.js';
import { parseTopicArn } from './topic-arn.js';

/** What the setup can do. */
export const SetupAction = {
  /** Create or update our hooks (and delete duplicates of them), then run Stream's SNS check. */
  Apply: 'apply',
  /** Show the change `apply` would make; write nothing, check nothing. */
  DryRun: 'dry-run',
  /** Run Stream's SNS check only. */
  Check: 'check',
  /** Delete the hooks with our deterministic ids, and nothing else. */
  Remove: 'remove',
  /**
   * Apply without the SNS check (which publishes a test message to every topic): the hourly schedule's action, so
   * that with `catchAll: false` the events topic's hook gains every type Stream lists and the catalog lacks.
   */
  Sync: 'sync',
} as const;

/** One of the {@link SetupAction} values. */
export type SetupAction = (typeof SetupAction)[keyof typeof SetupAction];

/** What a setup run did. Hooks are shown as hook-view.ts shows them. */
export interface SetupReport {
  /** The action, or `undo` (the custom resource undoing what it recorded). */
  action: SetupAction | 'undo';
  topicArn: string;
  /** Whether a write was sent (dry run: would be). */
  changed: boolean;
  /** What the whole run did to our hooks, by id, from every read it made (dry run: what it would do). */
  written: { created: string[]; updated: string[]; deleted: string[] };
  /** Ids of the extra hooks for our topics that the run deleted (dry run: would delete). */
  duplicatesRemoved: string[];
  /** Hooks that were there before the run and that it kept as ours, with what they held (no credentials). */
  adopted: AdoptedHook[];
  /** Other hooks for our topics that the run left as they are (remove, undo): named, never deleted. */
  left: string[];
  /** What a person should know about the run (a secret written that cannot be confirmed, say). */
  notes: string[];
  /** The routing mode the run wrote (or would write, or checked); undefined for an undo, which follows its record. */
  routing: HookSettings['routing'] | undefined;
  /** Every hook the mode wants, with its role, its topic (derived from the events topic) and its id. */
  planned: Array<{ role: WantedHook['role']; topicArn: string; id: string; eventTypes: number; sendCustomEvents: boolean }>;
  /**
   * Drift against Stream's own list (GET /hook/events), apply, sync and dry run only: types Stream lists that the
   * catalog lacks (they reach `other` through the catch-all, or, with `catchAll: false`, through the types added to
   * the events topic's hook), and catalog types Stream does not list. Warnings, never a failure.
   */
  drift?: { streamOnly: string[]; catalogOnly: string[] } | undefined;
  /** What is not a failure but needs a person: drift, a list that could not be read. */
  warnings: string[];
  hooksBefore: HookView[];
  hooksAfter: HookView[];
  check?: SnsCheckResult | undefined;
}

/** What, beyond {@link SetupOptions}, a caller may ask of a run. */
export interface RunHooks {
  /** Called with the first plan before anything is written; throwing stops the run with nothing written. */
  beforeFirstWrite: ((plan: HookPlan) => void) | undefined;
}

/**
 * Runs one setup action against the Stream app of `credentials`.
 *
 * @throws SetupError with an actionable, scrubbed message: the run stopped, and it says whether it wrote.
 */
export async function runSetup(
  action: SetupAction,
  settings: HookSettings,
  credentials: StreamCredentials,
  options: Partial<SetupOptions & RunHooks> = {},
): Promise<SetupReport> {
  const { region } = parseTopicArn(settings.topicArn, settings.authType);
  if (action !== SetupAction.Remove && settings.authType === 'keys' && (!settings.snsKey || !settings.snsSecret)) {
    throw new SetupConfigurationError('keys auth needs the SNS access key and secret (SNS_KEY and SNS_SECRET).');
  }
  // The lists are proved (pairwise disjoint, complete) before anything is read or written.
  let wanted = wantedHooks(settings, region);
  const stackIds = stackHookIds(settings.topicArn);
  const run = new SetupRun(action, settings.topicArn, settings.routing, credentials, [settings.snsSecret, settings.snsKey], options);
  run.planned = wanted;
  const keys = settings.authType === 'keys' ? { sns_key: settings.snsKey, sns_secret: settings.snsSecret } : {};
  const isOurs = isOursFor(wanted, stackIds);
  switch (action) {
    case SetupAction.Check: {
      const hooks = await run.read(isOurs);
      return run.report(hooks, hooks, await run.checkTopics(wanted, keys));
    }
    case SetupAction.DryRun: {
      const hooks = await run.read(isOurs);
      wanted = await run.routable(hooks, wanted, settings, region);
      const plan = planApply(hooks, wanted, { compareSecret: true }, stackIds);
      return run.report(hooks, hooksAfter(hooks, plan.changes), undefined, plan);
    }
    case SetupAction.Apply:
    case SetupAction.Sync: {
      const hooks = await run.read(isOurs);
      wanted = await run.routable(hooks, wanted, settings, region);
      const first = planApply(hooks, wanted, { compareSecret: true }, stackIds);
      options.beforeFirstWrite?.(first);
      const settled = await run.settle(
        isOurs,
        (current, writes) => planApply(current, wanted, { compareSecret: writes === 0 }, stackIds),
        (current) => wanted.flatMap((hook) => checksOf(ourHookFor(current, hook), hook)),
      );
      run.noteSecret(first, settled, wanted);
      if (action === SetupAction.Sync) return run.report(hooks, settled, undefined, first);
      return run.afterWrites(async () => run.report(hooks, settled, await run.checkTopics(wanted, keys), first));
    }
    case SetupAction.Remove: {
      // Remove takes away every hook with one of the stack's ids, whatever the mode: it plans none.
      run.planned = [];
      const isOursToRemove = (hook: EventHook) => stackIds.includes(hook.id!);
      const hooks = await run.read(isOursToRemove);
      const settled = await run.settle(isOursToRemove, (current) => planRemove(current, stackIds));
      run.leave(settled, topicsOf(settings.topicArn), isOursToRemove);
      return run.report(hooks, settled);
    }
  }
}

/**
 * Undoes what the custom resource recorded: deletes the hooks it created (and any with the stack's deterministic ids
 * that it did not adopt), and puts back the settings of the hooks it adopted. Needs no auth type and no keys.
 */
export async function undoSetup(
  record: HookRecord,
  credentials: StreamCredentials,
  options: Partial<SetupOptions> = {},
): Promise<SetupReport> {
  const adoptedIds = new Set(record.adopted.map(({ id }) => id));
  const created = [...new Set([...record.created, ...stackHookIds(record.topicArn).filter((id) => !adoptedIds.has(id))])];
  const isOurs = (hook: EventHook) => created.includes(hook.id!) || adoptedIds.has(hook.id!);
  const run = new SetupRun('undo', record.topicArn, undefined, credentials, [], options);
  const hooks = await run.read(isOurs);
  const settled = await run.settle(isOurs, (current) => planUndo(current, created, record.adopted));
  run.leave(settled, topicsOf(record.topicArn), isOurs);
  for (const { id, before } of record.adopted) {
    if (before.sns_auth_type === 'keys')
      run.notes.push(`hook ${id} had keys auth: its settings are back, its SNS key and secret were never recorded; set them again`);
  }
  return run.report(hooks, settled);
}

/**
 * Throws a {@link SnsCheckFailedError} with the likely cause when Stream's SNS check did not answer ok; after a write,
 * its message says what the run wrote.
 */
export function assertCheckPassed(report: SetupReport, authType: HookSettings['authType']): void {
  if (report.check === undefined || report.check.status === 'ok') return;
  const likelyCause =
    authType === 'resource'
      ? "the topic policy does not let Stream's account (arn:aws:iam::185583345998:root) publish, or the topic is in another region than its ARN says"
      : 'the SNS key and secret are wrong, inactive, or lack SNS:Publish on this topic';
  const failure = new SnsCheckFailedError(
    `status ${report.check.status}${report.check.error ? `, "${report.check.error}"` : ''}`,
    likelyCause,
  );
  if (!report.changed) throw failure;
  const { created, updated, deleted } = report.written;
  const ids = (list: string[]) => list.join(', ') || 'none';
  throw failure.afterWrites(
    `${WROTE_MARK} before the check (created: ${ids(created)}; updated: ${ids(updated)}; deleted: ${ids(deleted)}).`,
  );
}

/**
 * Our hooks for apply: every hook with one of the stack's ids (the wanted ids are among them; another mode's, which
 * apply deletes), and SNS hooks for a wanted topic (the ones apply adopts or deletes).
 */
function isOursFor(wanted: WantedHook[], stackIds: readonly string[]): (hook: EventHook) => boolean {
  return (hook) =>
    stackIds.includes(hook.id!) || wanted.some(({ topicArn }) => hook.hook_type === 'sns' && hook.sns_topic_arn === topicArn);
}

/** Every topic a hook of the stack can publish to: the events topic and the category topics derived from it. */
function topicsOf(eventsTopicArn: string): string[] {
  return [eventsTopicArn, ...NAMED_CATEGORIES.map((category) => categoryTopic(eventsTopicArn, category))];
}

/** One run: its connection to Stream, its scrubber, and what it has read and written so far. */
class SetupRun {
  public readonly app: StreamApp;
  public readonly notes: string[] = [];
  public readonly warnings: string[] = [];
  /** The hooks the mode wants (none for an undo). */
  public planned: WantedHook[] = [];
  public drift: SetupReport['drift'];
  readonly #action: SetupReport['action'];
  readonly #topicArn: string;
  readonly #routing: SetupReport['routing'];
  #useHookV2: unknown;
  readonly #scrubber: SecretScrubber;
  readonly #options: SetupOptions;
  #first: EventHook[] = [];
  #lastRead: EventHook[] = [];
  #writes = 0;
  /** Ids of the hooks every write sent, to upsert and to delete. */
  readonly #sentIds = { written: new Set<string>(), deleted: new Set<string>() };
  #left: string[] = [];
  readonly #ourIdsSeen = new Set<string>();
  #isOurs: (hook: EventHook) => boolean = () => false;

  public constructor(
    action: SetupReport['action'],
    topicArn: string,
    routing: SetupReport['routing'],
    credentials: StreamCredentials,
    secrets: Array<string | undefined>,
    options: Partial<SetupOptions>,
  ) {
    this.#action = action;
    this.#topicArn = topicArn;
    this.#routing = routing;
    this.#options = { ...SETUP_DEFAULTS, ...options };
    const [snsSecret, snsKey] = secrets;
    this.#scrubber = new SecretScrubber([
      { value: credentials.apiSecret, visible: 0 },
      { value: credentials.apiKey, visible: 4 },
      { value: snsSecret, visible: 0 },
      { value: snsKey, visible: 4 },
    ]);
    this.app = new StreamApp(credentials, this.#options, this.#scrubber);
  }

  /** The first read of the run. */
  public async read(isOurs: (hook: EventHook) => boolean): Promise<EventHook[]> {
    this.#isOurs = isOurs;
    this.#first = await this.#readAgain();
    return this.#first;
  }

  /**
   * The wanted hooks, once the app is known to route them and Stream's own list is read: per-category mode stops
   * here, before any write, on an app not migrated to multi-event hooks; the drift against GET /hook/events becomes
   * warnings; with `catchAll: false`, the types the catalog lacks (those Stream lists, and those our events topic's
   * hook holds already, so that a list Stream could not give this time takes nothing away) join its list.
   */
  public async routable(hooks: EventHook[], wanted: WantedHook[], settings: HookSettings, region: string): Promise<WantedHook[]> {
    if (settings.routing === RoutingMode.PerCategory && this.#useHookV2 !== true) throw new MultiEventHooksRequiredError(this.#useHookV2);
    let listed: string[] | undefined;
    try {
      listed = await this.app.readHookEvents();
    } catch (error) {
      if (error instanceof SetupDeadlineError) throw error;
      this.warnings.push(
        `Stream's list of hook event types (GET /hook/events) could not be read, so drift is not known: ${(error as Error).message}`,
      );
    }
    const catalog = Object.keys(EVENT_TYPE_CATEGORY);
    const uncategorised = new Set<string>();
    if (listed !== undefined) {
      const streamOnly = listed.filter((type) => !catalog.includes(type));
      const catalogOnly = catalog.filter((type) => !listed.includes(type)).sort();
      this.drift = { streamOnly, catalogOnly };
      for (const type of streamOnly) uncategorised.add(type);
      const reach = syncsUncategorised(settings)
        ? "the setup adds them to the events topic's hook, so they reach `other`; give each a category in shared/catalog.ts"
        : settings.eventTypes.length > 0
          ? 'streamEventTypes narrows the hooks, so they are not sent unless listed there'
          : 'they reach `other` through the catch-all hook; give each a category in shared/catalog.ts if it is not for `other`';
      if (streamOnly.length > 0)
        this.warnings.push(
          `Stream lists ${streamOnly.length} event type${streamOnly.length === 1 ? '' : 's'} the catalog does not have (${streamOnly.join(', ')}): ${reach}`,
        );
      if (catalogOnly.length > 0)
        this.warnings.push(
          `the catalog has ${catalogOnly.length} event type${catalogOnly.length === 1 ? '' : 's'} Stream does not list (${catalogOnly.join(', ')}): a renamed or retired type, or one Stream sends without listing it`,
        );
    }
    const eventsHookId = wanted.find(({ role }) => role === 'catch-all')?.id;
    const eventsHook = hooks.find(({ id }) => id !== undefined && id === eventsHookId);
    for (const type of Array.isArray(eventsHook?.event_types) ? eventsHook.event_types : []) {
      if (!catalog.includes(String(type))) uncategorised.add(String(type));
    }
    this.planned = wantedHooks(settings, region, [...uncategorised]);
    return this.planned;
  }

  /**
   * Stream's SNS check on every wanted topic (it publishes a test message to each): `ok` when all pass, or the first
   * failure, naming its topic.
   */
  public async checkTopics(
    wanted: WantedHook[],
    keys: { sns_key?: string | undefined; sns_secret?: string | undefined },
  ): Promise<SnsCheckResult> {
    for (const { topicArn, role } of wanted) {
      const result = await this.app.checkSns(topicArn, keys);
      if (result.status !== 'ok')
        return wanted.length === 1 ? result : { ...result, error: `${role} topic ${topicArn}: ${result.error ?? 'no reason given'}` };
    }
    return { status: 'ok' };
  }

  /**
   * Writes and reads back until the plan for the app's hooks is empty and no unanswered write can land any more;
   * then proves that every other hook is as it was.
   *
   * A write whose outcome is unknown (no answer, a 5xx) is followed by a read, not by the same write: if it was
   * applied, the plan is empty now; if not, the plan says again what to write.
   */
  public async settle(
    isOurs: (hook: EventHook) => boolean,
    plan: (hooks: EventHook[], writes: number) => HookPlan,
    checks: (hooks: EventHook[]) => string[] = () => [],
  ): Promise<EventHook[]> {
    this.#isOurs = isOurs;
    const { attempts, retryBaseDelayMs, requestTimeoutMs } = this.#options;
    let hooks = this.#first;
    let lastFailure: string | undefined;
    let unansweredAt: number | undefined;
    for (;;) {
      const { changes } = plan(hooks, this.#writes);
      if (changes.length === 0) {
        if (unansweredAt === undefined) break;
        // A write that got no answer may still be on its way: wait one call deadline after it, then look again.
        const waitMs = Math.max(0, unansweredAt + requestTimeoutMs - Date.now());
        unansweredAt = undefined;
        await this.afterWrites(async () => {
          if (!(await this.app.wait('a write that may land late', waitMs, 'read app settings')))
            throw new SetupDeadlineError('waiting for a write that may land late');
        });
        hooks = await this.afterWrites(() => this.#readAgain());
        continue;
      }
      if (this.#writes === attempts) {
        throw this.#noted(new HookNotSettledError(this.#wanted(), this.#writes, lastFailure, checks(hooks)));
      }
      try {
        await this.app.writeHooks(changes);
        this.#sent(changes);
      } catch (error) {
        // Refused (a 4xx, a redirect): not applied, so not counted as a write.
        if (!(error instanceof StreamTransientError)) throw this.#noted(error);
        this.#sent(changes);
        lastFailure = error.message;
        if (error.unanswered) unansweredAt = Date.now();
        const delay = error.retryAfterMs ?? Math.min(retryBaseDelayMs * 2 ** (this.#writes - 1), 8_000);
        const waited = await this.app.wait(
          error.retryAfterMs === undefined ? 'retry after Stream failed' : 'Stream rate limit',
          delay,
          'write the hooks',
        );
        if (!waited) throw this.#noted(new SetupDeadlineError(`waiting to write the hooks again after: ${error.message}`));
      }
      hooks = await this.afterWrites(() => this.#readAgain());
    }
    if (this.#writes > 0) this.#proveOthers(hooks);
    // The read-back's proof of each of our hooks: the plan is empty only when these pass, and they are said again.
    const failures = checks(hooks);
    if (failures.length > 0) throw this.#noted(new HookNotSettledError(this.#wanted(), this.#writes, lastFailure, failures));
    return hooks;
  }

  /** Runs `step`; an error it throws after a write says that the run wrote, and what the app held. */
  public async afterWrites<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw this.#noted(error);
    }
  }

  /** Names the hooks for our topics that are not ours (a remove or undo leaves them). */
  public leave(hooks: EventHook[], topics: string[], isOurs: (hook: EventHook) => boolean): void {
    this.#left = hooks
      .filter((hook) => !isOurs(hook) && hook.hook_type === 'sns' && topics.includes(String(hook.sns_topic_arn)))
      .map((hook) => hook.id!);
  }

  /** Says what became of the SNS secret, when it was the reason for a write or cannot be read back. */
  public noteSecret(first: HookPlan, settled: EventHook[], wanted: WantedHook[]): void {
    if (this.#writes === 0 || wanted.every(({ authType }) => authType !== 'keys')) return;
    if (planApply(settled, wanted, { compareSecret: true }).changes.length > 0) {
      this.notes.push(
        'Stream does not show the SNS secret it holds, so it cannot be compared: it was written once and cannot be confirmed',
      );
    } else if (first.secretOnly) {
      this.notes.push('the SNS secret Stream held was not the one given (a rotated secret): it was written');
    }
  }

  /** The report of the run, everything shown as hook-view.ts shows it and scrubbed. */
  public report(before: EventHook[], after: EventHook[], check?: SnsCheckResult, plan?: HookPlan): SetupReport {
    const ourIds = new Set([...before, ...after].filter((hook) => this.#isOurs(hook)).map((hook) => hook.id!));
    const dryRun = this.#action === SetupAction.DryRun;
    const written = dryRun ? this.#written(before, after) : this.#written(this.#first, after);
    return this.#scrubber.scrubValue({
      action: this.#action,
      topicArn: this.#topicArn,
      changed: dryRun ? (plan?.changes.length ?? 0) > 0 : this.#writes > 0,
      written,
      duplicatesRemoved:
        this.#action === SetupAction.Apply || this.#action === SetupAction.Sync || dryRun
          ? written.deleted.filter((id) => !this.#otherModesIds().includes(id))
          : [],
      adopted: plan?.adopted ?? [],
      left: this.#left,
      notes: this.notes,
      routing: this.#routing,
      planned: this.planned.map(({ role, topicArn, id, eventTypes, sendCustomEvents }) => ({
        role,
        topicArn,
        id,
        eventTypes: eventTypes.length,
        sendCustomEvents,
      })),
      drift: this.drift,
      warnings: this.warnings,
      hooksBefore: before.map((hook) => viewOf(hook, ourIds)),
      hooksAfter: after.map((hook) => viewOf(hook, ourIds)),
      check,
    });
  }

  /** The stack's ids that the mode does not want: another mode's hooks, which apply deletes (not duplicates). */
  #otherModesIds(): string[] {
    return stackHookIds(this.#topicArn).filter((id) => !this.planned.some((hook) => hook.id === id));
  }

  /** Counts a write that Stream applied, or may have (no answer, a 5xx). */
  #sent(changes: EventHook[]): void {
    this.#writes += 1;
    for (const change of changes) this.#sentIds[change.delete === true ? 'deleted' : 'written'].add(change.id!);
  }

  async #readAgain(): Promise<EventHook[]> {
    const { hooks, useHookV2 } = await this.app.readApp((hook) => this.#isOurs(hook));
    this.#lastRead = hooks;
    this.#useHookV2 = useHookV2;
    for (const hook of this.#lastRead) if (this.#isOurs(hook)) this.#ourIdsSeen.add(hook.id!);
    return this.#lastRead;
  }

  /** Our hooks created, updated and deleted between two states of the app (any of ours seen in between counts). */
  #written(before: EventHook[], after: EventHook[]): SetupReport['written'] {
    const ours = (hooks: EventHook[]) => new Map(hooks.filter((hook) => this.#isOurs(hook)).map((hook) => [hook.id!, hook]));
    const [was, is] = [ours(before), ours(after)];
    const seen = new Set([...was.keys(), ...(this.#action === SetupAction.DryRun ? [] : this.#ourIdsSeen)]);
    return {
      created: [...is.keys()].filter((id) => !was.has(id)),
      updated: [...is.keys()].filter(
        (id) => was.has(id) && differentFields(was.get(id)!, is.get(id)!).some((name) => name !== 'updated_at'),
      ),
      deleted: [...seen].filter((id) => !is.has(id)),
    };
  }

  /** Every hook that is not ours must be exactly as it was before the first write. */
  #proveOthers(hooks: EventHook[]): void {
    const now = new Map(hooks.map((hook) => [hook.id!, hook]));
    const differences: string[] = [];
    for (const hook of this.#first.filter((current) => !this.#isOurs(current) && !this.#ourIdsSeen.has(current.id!))) {
      const current = now.get(hook.id!);
      if (current === undefined) differences.push(`hook ${hook.id} (${hook.hook_type}) is gone`);
      else if (!isDeepStrictEqual(current, hook))
        differences.push(`hook ${hook.id} (${hook.hook_type}) changed: ${differentFields(hook, current).join(', ')}`);
    }
    if (differences.length > 0) throw this.#noted(new OtherHooksChangedError(differences.map((text) => this.#scrubber.scrub(text))));
  }

  /** `error` as a scrubbed SetupError that, after a write, says so. */
  #noted(error: unknown): SetupError {
    const failure = error instanceof SetupError ? error : new SetupError(`unexpected error: ${(error as Error).message}`, { cause: error });
    failure.message = this.#scrubber.scrub(failure.message);
    return this.#writes === 0 || failure.message.includes(WROTE_MARK) ? failure : failure.afterWrites(this.#writtenSummary());
  }

  #writtenSummary(): string {
    const ours = this.#lastRead.filter((hook) => this.#isOurs(hook)).map((hook) => hook.id);
    const others = this.#lastRead.filter((hook) => !this.#isOurs(hook)).map((hook) => hook.id);
    const ids = (list: Iterable<unknown>) => [...list].join(', ') || 'none';
    return this.#scrubber.scrub(
      `${WROTE_MARK} ${this.#writes} time${this.#writes === 1 ? '' : 's'} (hooks written: ${ids(this.#sentIds.written)}; deleted: ${ids(this.#sentIds.deleted)}). ` +
        `When last read, the app held our hooks ${ids(ours)} and ${others.length} other hook${others.length === 1 ? '' : 's'} (${ids(others)}).`,
    );
  }

  #wanted(): string {
    return this.#action === SetupAction.Apply || this.#action === SetupAction.Sync
      ? `exactly our hooks for ${this.#topicArn} with our settings`
      : `none of our hooks for ${this.#topicArn}`;
  }
}

/** How every error after a write begins its note. */
const WROTE_MARK = "This run had written to Stream's app";
