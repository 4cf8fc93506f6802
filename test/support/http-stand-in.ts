/**
 * The HTTP part every AWS stand-in shares: a server on 127.0.0.1 that hands each request (method, path, headers,
 * body text) to the stand-in's route and can be told to fail the next requests, before or after applying them,
 * as real services do (a write applied and then answered 500).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a stand-in sees it. */
export interface StandInRequest {
  method: string;
  path: string;
  /** The query string's parameters (S3's ListObjectsV2 takes its arguments there). */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer of a stand-in. */
export interface StandInAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Text, or bytes (an S3 object). */
  body: string | Buffer;
}

/** A failure to inject: answer `status` to the next request matching `when`, after applying it if `applied`. */
export interface InjectedFailure {
  when: (request: StandInRequest) => boolean;
  status: number;
  applied: boolean;
}

export interface StandIn {
  endpoint: string;
  failNext: InjectedFailure[];
  close(): Promise<void>;
}

export async function startStandIn(
  route: (request: StandInRequest) => StandInAnswer,
  failureBody: (status: number) => StandInAnswer,
): Promise<StandIn> {
  const failNext: InjectedFailure[] = [];
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://x');
    const request = {
      method: incoming.method ?? '',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const failureAt = failNext.findIndex((failure) => failure.when(request));
    const failure = failureAt === -1 ? undefined : failNext.splice(failureAt, 1)[0];
    let answer: StandInAnswer;
    try {
      if (failure?.applied !== false) answer = route(request);
      if (failure !== undefined) answer = failureBody(failure.status);
    } catch {
      answer = failureBody(500);
    }
    response.writeHead(answer!.status, answer!.headers ?? {});
    response.end(answer!.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
