/**
 * `npm run replay -- [options] <path>...`: delivers your own events through the local fan-out, exactly as
 * `npm start` delivers the samples. See the README, "Replay your own events".
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MessageEncoding } from '../shared/types.js';
import { readDeliveries, runDeliveries, samples, synthesize } from '../emulator/index.js';

const USAGE = `usage: npm run replay -- [options] <file or folder>...
  --json                 print one JSON document on stdout: {"results":[...],"summary":{...}}
  --endpoint URL         use this DynamoDB instead of starting DynamoDB Local
  --encoding E           how to wrap bare Stream events: ${Object.values(MessageEncoding).join(', ')} (default base64-gzip)
  --generate N           synthesise N deliveries from the samples instead of reading files
  --duplicates P         with --generate: share of repeated deliveries, 0..1 (default 0.2)
  --port P               port for DynamoDB Local (default: any free port)
  --concurrency C        deliveries in flight at once (default 8)
  --logs                 also print the functions' log lines on stderr
  --service DIR          run the functions of another serverless service folder (default: this project)
  --help                 print this and exit

A file holding an SNS->Lambda event ({"Records":[...]}) is delivered as it is; any other file's bytes are
wrapped as the SNS message Stream sends, in the chosen encoding. The build goes to .local/ (never .serverless/);
failures after Lambda's retries are written as on-failure records to .local/dead-letters/<function>.jsonl.`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        encoding: { type: 'string', default: MessageEncoding.Base64Gzip },
        generate: { type: 'string' },
        duplicates: { type: 'string', default: '0.2' },
        concurrency: { type: 'string', default: '8' },
        port: { type: 'string', default: '0' },
        logs: { type: 'boolean', default: false },
        service: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const encoding = values.encoding as MessageEncoding;
  const generate = values.generate === undefined ? undefined : Number(values.generate);
  const duplicates = Number(values.duplicates);
  const concurrency = Number(values.concurrency);
  const port = Number(values.port);
  const problems = [
    Object.values(MessageEncoding).includes(encoding) ? undefined : `unknown encoding ${values.encoding}`,
    generate === undefined || (Number.isInteger(generate) && generate > 0) ? undefined : '--generate needs a positive integer',
    duplicates >= 0 && duplicates < 1 ? undefined : '--duplicates needs a share between 0 and 1',
    Number.isInteger(concurrency) && concurrency > 0 ? undefined : '--concurrency needs a positive integer',
    Number.isInteger(port) && port >= 0 && port < 65536 ? undefined : '--port needs a port number',
    generate !== undefined || positionals.length > 0 ? undefined : 'give at least one file or folder, or --generate N',
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  return runDeliveries(
    () =>
      generate === undefined
        ? readDeliveries(positionals, encoding)
        : synthesize(samples().map((sample) => sample.event), { count: generate, duplicates }),
    { json: values.json, endpoint: values.endpoint, port, concurrency, logs: values.logs, serviceDir: values.service === undefined ? undefined : resolve(values.service) },
  );
}

process.exitCode = await main();
