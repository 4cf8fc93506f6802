/**
 * A local stand-in of Lambda's Invoke API (REST JSON: POST /2015-03-31/functions/{name}/invocations) that records
 * every invocation and answers as `answer` says: a result, a function error, or another status.
 */
import { type StandIn, type StandInAnswer, startStandIn } from './http-stand-in.js';

export interface FakeInvocation {
  functionName: string;
  invocationType: string;
  payload: unknown;
}

/** How the fake function answers one invocation. */
export interface FakeFunctionAnswer {
  /** 200 for RequestResponse; a real Lambda answers 202 to an Event invocation. */
  status?: number;
  /** `Unhandled` for an error the function threw. */
  functionError?: string;
  payload: unknown;
}

export interface FakeLambda extends StandIn {
  invocations: FakeInvocation[];
  answer: (invocation: FakeInvocation) => FakeFunctionAnswer;
}

export async function startFakeLambda(): Promise<FakeLambda> {
  const invocations: FakeInvocation[] = [];
  const fake = {} as FakeLambda;
  const standIn = await startStandIn(
    ({ method, path, headers, body }): StandInAnswer => {
      const match = /^\/2015-03-31\/functions\/(.+)\/invocations$/.exec(path);
      if (method !== 'POST' || match === null)
        return { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: '{"message":"no route"}' };
      const invocation = {
        functionName: match[1]!,
        invocationType: String(headers['x-amz-invocation-type'] ?? 'RequestResponse'),
        payload: JSON.parse(body),
      };
      invocations.push(invocation);
      const { status = 200, functionError, payload } = fake.answer(invocation);
      return {
        status,
        headers: {
          'content-type': 'application/json',
          'x-amz-executed-version': '$LATEST',
          ...(functionError === undefined ? {} : { 'x-amz-function-error': functionError }),
        },
        body: JSON.stringify(payload),
      };
    },
    (status) => ({
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' },
      body: '{"Type":"Service","message":"injected failure"}',
    }),
  );
  return Object.assign(fake, standIn, { invocations, answer: () => ({ payload: { outcome: 'processed' } }) });
}
