/**
 * What the reprocess sends a function: an asynchronous invocation payload that is the Lambda event SNS would send for
 * the archived notification, plus `streamReprocess`, a key beside `Records` that SNS never sends (the contract with
 * the functions, shared/: its presence makes the event's age count as `ReplayedEventAge`, not `EventAge`, and a
 * `label` gives its idempotency records a namespace of their own, `v3#reprocess:<label>`).
 *
 * Limitation: the record's `EventSubscriptionArn` and signature fields are not in the archive (SNS gives Firehose
 * no signature); they are set to values that say so. The functions read neither.
 */
import { REPROCESS_LABEL, REPROCESS_MEMBER } from '../shared/reprocess.js';
import type { ArchivedNotification } from './archive-records.js';
import { ReprocessUsageError } from './errors.js';

/** The payload of one reprocess invocation. */
export interface ReprocessPayload {
  Records: [Record<string, unknown>];
  streamReprocess: { label?: string };
}

/** Checks a `--force` label against the functions' own rule (shared/reprocess.ts); throws {@link ReprocessUsageError} saying what is allowed. */
export function checkLabel(label: string): string {
  if (!REPROCESS_LABEL.test(label))
    throw new ReprocessUsageError(`--force label ${JSON.stringify(label)}: 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'`);
  return label;
}

/** The payload for one archived notification; `label` only for `--force <label>`. */
export function reprocessPayload(notification: ArchivedNotification, label: string | undefined): ReprocessPayload {
  const { UnsubscribeURL, SigningCertURL, ...fields } = notification as ArchivedNotification & Record<string, unknown>;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${notification.TopicArn}:reprocess`,
        Sns: {
          SignatureVersion: '1',
          Signature: 'not archived',
          MessageAttributes: {},
          Subject: null,
          ...fields,
          // Lambda's record spells these two with `Url`; the notification SNS sends Firehose, with `URL`.
          ...(UnsubscribeURL === undefined ? {} : { UnsubscribeUrl: UnsubscribeURL }),
          ...(SigningCertURL === undefined ? {} : { SigningCertUrl: SigningCertURL }),
        },
      },
    ],
    [REPROCESS_MEMBER]: label === undefined ? {} : { label },
  };
}
