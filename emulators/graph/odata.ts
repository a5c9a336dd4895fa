import type { ServerResponse } from 'node:http';

/** What every response of the stand-in carries, so clients can log and correlate like with Graph. */
export interface RequestIds {
  readonly requestId: string;
  readonly clientRequestId: string;
}

/** A failure the router turns into an OData error body. Thrown by validation and auth, caught in one place. */
export class ODataError extends Error {
  override readonly name = 'ODataError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'BadRequest'): ODataError => new ODataError(400, code, message);

/** Graph's innerError date has no fraction and no zone (`2024-02-20T23:12:03`). */
function innerErrorDate(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19);
}

export function odataErrorBody(error: ODataError, ids: RequestIds, nowMs: number): unknown {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: innerErrorDate(nowMs),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  };
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.writableEnded) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  const all: Record<string, string> = { ...headers };
  if (body !== undefined) all['content-type'] = 'application/json; odata.metadata=minimal; charset=utf-8';
  res.writeHead(status, all);
  res.end(text);
}
