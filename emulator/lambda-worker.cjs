// One Lambda execution environment of the local run: a piscina worker that loads one function's bundle on its
// first invocation, as the Lambda runtime does, and runs one invocation at a time. Plain CommonJS, like the bundle
// it loads. Its log lines and the start of each invocation (the timeout runs from there) go to the function's
// pool over a BroadcastChannel: a worker killed mid-invocation has still handed over what it logged.
'use strict';
const { BroadcastChannel, workerData } = require('node:worker_threads');
const { lambdaContext } = require('./lambda-context.cjs');

const { handlerFile, handlerExport, functionName, functionArn, memorySizeMb, channelName } = workerData;
const channel = new BroadcastChannel(channelName);
channel.unref();
// The pool's go-ahead for a retry (its clock set ahead): it waits for the invocations AWS would have ended first.
const goAheads = new Map();
channel.onmessage = ({ data }) => {
  if (data?.go !== undefined) goAheads.get(data.go)?.();
};

for (const stream of [process.stdout, process.stderr]) {
  let buffered = '';
  stream.write = (chunk, encoding, callback) => {
    buffered += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') channel.postMessage({ log: line });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
}

// The retry clock (emulator/retry-clock.ts): a retry reads the time Lambda's retry would read, a minute or more
// after the failed attempt, without the local run waiting that long. Every reading of the time goes through
// `Date` (Powertools' in-progress expiry, the context's deadline, log timestamps), so `Date` reads the real time
// plus this invocation's offset; timers are left at real speed. One invocation at a time per environment, so one
// offset at a time.
const RealDate = Date;
let clockOffsetMs = 0;
const now = () => RealDate.now() + clockOffsetMs;
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
  apply: () => new RealDate(now()).toString(),
  get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
});

let handler;

// There is no rejected-deliveries queue here: the function keeps a rejection in its ERROR log line only, as the
// product's options allow a host to inject (shared/middleware.ts INJECTED_OPTIONS_KEY), before the bundle loads.
globalThis[Symbol.for('stream-chat-sns-lambda.functionOptions')] = { rejectedDeliveries: { keep: async () => {} } };

module.exports = async function invoke({ event, requestId, invocationId, timeoutMs, clockOffsetMs: offset = 0 }) {
  const goAhead = new Promise((resolve) => goAheads.set(invocationId, resolve));
  channel.postMessage({ started: invocationId });
  await goAhead;
  goAheads.delete(invocationId);
  clockOffsetMs = offset;
  try {
    handler ??= require(handlerFile)[handlerExport];
    if (typeof handler !== 'function') throw new Error(`${handlerFile} exports no function ${handlerExport}`);
  } catch (error) {
    return { error: { errorType: 'Runtime.ImportModuleError', errorMessage: String(error?.message) } };
  }
  const context = lambdaContext({ functionName, functionArn, memorySizeMb, requestId, timeoutMs });
  try {
    return { result: await handler(JSON.parse(event), context) };
  } catch (error) {
    return {
      error: {
        errorType: error?.name || 'Error',
        errorMessage: error?.message || String(error),
        trace: String(error?.stack || '').split('\n'),
      },
    };
  }
};
