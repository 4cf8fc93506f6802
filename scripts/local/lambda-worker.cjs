// One "Lambda container" of the local run: a worker thread that loads one function's bundle, as the Lambda
// runtime does, and runs the invocations the fan-out sends it. Plain CommonJS, like the bundle it loads.
// Its stdout and stderr (the function's logs) go back to the fan-out, which keeps them apart from the report.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

const { handlerFile, handlerExport, functionName, timeoutMs } = workerData;
const handler = require(handlerFile)[handlerExport];

parentPort.on('message', async ({ id, event }) => {
  const deadline = Date.now() + timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `local-${id}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(JSON.parse(event), context);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({
      id,
      error: { name: (error && error.name) || 'Error', message: (error && error.message) || String(error) },
    });
  }
});
