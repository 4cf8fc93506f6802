/**
 * `npm start`: the whole pipeline on this machine, no AWS account. DynamoDB Local, the functions built as deploy
 * builds them, and every sample in events/ (each Stream sample in three encodings, plus two poison deliveries)
 * delivered through the local SNS fan-out. Expect each sample processed once, its other two encodings reported
 * as duplicates, and the poison rejected with its reason.
 */
import { fileURLToPath } from 'node:url';
import { MessageEncoding } from '../shared/types.js';
import { readDeliveries, runDeliveries } from '../emulator/index.js';

const EVENTS = fileURLToPath(new URL('../events/', import.meta.url));
const sampleEvents = () =>
  readDeliveries([EVENTS], MessageEncoding.Base64Gzip).filter((delivery) => !delivery.source.includes('/samples/'));

process.exitCode = await runDeliveries(sampleEvents, {
  json: process.argv.includes('--json'),
  endpoint: undefined,
  concurrency: 1,
  logs: process.argv.includes('--logs'),
});
