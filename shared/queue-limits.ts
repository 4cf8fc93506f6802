/**
 * The size limit of the queues that keep deliveries for a person: the rejected-deliveries queue and each category's
 * dead-letter queue.
 *
 * One number, read by both sides: serverless.yml sets each queue's `MaximumMessageSize` from it (through
 * template/queue-limits.cjs), and the rejected-deliveries store (shared/rejected-deliveries.ts) sizes every message
 * against it. A body sized against another figure than the queue's would be refused by SendMessage, and the refusal
 * would be retried as if the queue were down.
 */

/**
 * The largest SQS message the queues take, in bytes, as SQS counts them: the UTF-8 body plus every message
 * attribute's name, data type and value. 1 MiB, the most SQS allows.
 */
export const MAXIMUM_MESSAGE_BYTES = 1_048_576;
