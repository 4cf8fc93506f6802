/**
 * The local run's dead letters, written as Lambda writes them to an on-failure destination: one record per
 * asynchronous invocation that still failed after its retries, in the shape Lambda sends to an SQS destination,
 * one JSON line per record in `<folder>/<function>.jsonl`. `npm run redrive -- --from <file>` reads them back.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaError } from './local-function.js';

/** A Lambda on-failure destination record (AWS Lambda Developer Guide, "Capturing records of asynchronous invocations"). */
interface OnFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    /** The function's ARN with the version that ran (`...:function:name:$LATEST`). */
    functionArn: string;
    condition: 'RetriesExhausted';
    approximateInvokeCount: number;
  };
  /** The event the function was invoked with. */
  requestPayload: unknown;
  responseContext: { statusCode: 200; executedVersion: '$LATEST'; functionError: 'Unhandled' };
  responsePayload: LambdaError;
}

/** What a failed asynchronous invocation leaves behind. */
export interface FailedInvocation {
  requestId: string;
  /** The function's unqualified ARN. */
  functionArn: string;
  attempts: number;
  /** The Lambda event as the JSON text the function received. */
  lambdaEvent: string;
  error: LambdaError;
}

/** Appends on-failure records to one JSON Lines file per function, and counts them. */
export class DeadLetterFiles {
  public readonly counts: Record<string, number> = {};

  public constructor(public readonly folder: string) {}

  /** The file a function's records go to. */
  public fileOf(functionName: string): string {
    return join(this.folder, `${functionName}.jsonl`);
  }

  /** Total records written by this run. */
  public get total(): number {
    return Object.values(this.counts).reduce((sum, count) => sum + count, 0);
  }

  /** Writes one record; returns the file. */
  public write(functionName: string, failure: FailedInvocation): string {
    mkdirSync(this.folder, { recursive: true });
    const file = this.fileOf(functionName);
    appendFileSync(file, `${onFailureRecordLine(failure)}\n`);
    this.counts[functionName] = (this.counts[functionName] ?? 0) + 1;
    return file;
  }
}

/**
 * The record as one JSON line. The event goes in as the function received it, byte for byte but for line
 * breaks (outside strings, JSON's line breaks are whitespace): parsing and re-serializing would merge duplicate
 * keys and change what a redrive delivers.
 */
function onFailureRecordLine({ requestId, functionArn, attempts, lambdaEvent, error }: FailedInvocation): string {
  const placeholder = `request-payload-${requestId}`;
  const record: OnFailureRecord = {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId, functionArn: `${functionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: attempts },
    requestPayload: placeholder,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: error,
  };
  return JSON.stringify(record).replace(JSON.stringify(placeholder), () => lambdaEvent.replace(/[\r\n]/g, ' '));
}
