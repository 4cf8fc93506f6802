/**
 * The stack's operating settings from its parameters (`archive`, `archiveDays`, `eventAgeAlarmSeconds`), read the
 * same way wherever the template needs them, with the reason when a value cannot be used.
 */
import { BooleanParameterError, NumberParameterError } from './errors.js';

/** The parameters as serverless.yml or `--param` give them: YAML booleans and numbers, or strings. */
export interface OperateParameters {
  archive: unknown;
  archiveDays: unknown;
  eventAgeAlarmSeconds: unknown;
}

/** What the dashboard, the alarms and the archive are built with. */
export interface OperateSettings {
  /** Every event Stream publishes is kept in the stack's archive bucket. */
  archive: boolean;
  /** Days an archived event is kept (S3 lifecycle expiry). */
  archiveDays: number;
  /** The event-age alarm fires when p99 stays above this for three 5-minute periods. */
  eventAgeAlarmSeconds: number;
}

/** The settings the parameters give; throws a ParameterError naming the parameter and what it accepts. */
export function operateSettingsOf({ archive, archiveDays, eventAgeAlarmSeconds }: OperateParameters): OperateSettings {
  return {
    archive: booleanOf('archive', archive),
    // S3 expires whole days, at least one.
    archiveDays: wholeNumberOf('archiveDays', archiveDays, 1),
    // Below a minute the alarm would fire on Stream's own delivery time.
    eventAgeAlarmSeconds: wholeNumberOf('eventAgeAlarmSeconds', eventAgeAlarmSeconds, 60),
  };
}

function booleanOf(parameter: string, value: unknown): boolean {
  const text = String(value);
  if (text !== 'true' && text !== 'false') throw new BooleanParameterError(parameter, value);
  return text === 'true';
}

function wholeNumberOf(parameter: string, value: unknown, minimum: number): number {
  const text = String(value).trim();
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < minimum) throw new NumberParameterError(parameter, value, minimum);
  return number;
}
