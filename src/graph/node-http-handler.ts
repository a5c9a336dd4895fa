import http from 'node:http';
import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export interface NodeHttpHandlerOptions {
  /** Idle keep-alive sockets close after this (below Graph's and the stand-in's idle timeouts). Default 4000. */
  readonly idleSocketTimeoutInMs?: number;
}

/**
 * A Graph response read whole: a WHATWG Response (graph-client's Context types its response as one) with no body
 * stream; `text()` hands back the body node:http already read. A null-body Response costs ~13 µs to build, against
 * ~0.5 ms for fetch's whole pipeline (see NodeHttpHandler).
 */
export class RawGraphResponse extends Response {
  constructor(
    status: number,
    headers: http.IncomingHttpHeaders,
    private readonly bodyText: string,
  ) {
    super(null, { status, headers: headerPairs(headers) });
  }

  override async text(): Promise<string> {
    return this.bodyText;
  }
}

function headerPairs(headers: http.IncomingHttpHeaders): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) pairs.push([name, Array.isArray(value) ? value.join(', ') : value]);
  }
  return pairs;
}

/**
 * Names of the transport errors this handler rejects with. graph-client keeps only an error's `name` (as the
 * GraphError's `code`), so the name carries what matters for a POST: was anything sent before the connection failed?
 */
export const TRANSPORT_ERROR = {
  /** No connection was made (refused, DNS, unreachable): the service never saw the request. */
  notSent: 'GraphRequestNotSent',
  /** The connection failed after the request could have reached the service: its outcome is unknown. */
  answerLost: 'GraphAnswerLost',
} as const;

function transportError(cause: unknown, connected: boolean): Error {
  const error = new Error(cause instanceof Error ? cause.message : String(cause), { cause });
  error.name = connected ? TRANSPORT_ERROR.answerLost : TRANSPORT_ERROR.notSent;
  return error;
}

/**
 * The last middleware of the graph-client chain: sends the request over node:http(s) with one keep-alive agent
 * per protocol, instead of graph-client's HTTPMessageHandler (global `fetch`). `context.response` is a
 * {@link RawGraphResponse} read whole (a few KB of JSON; nothing streams). Profiling showed fetch's Request/Headers/
 * web-stream machinery cost about 0.5 ms of CPU per Graph call over node:http.
 * `options.signal` aborts the request (the gateway's per-attempt timeout). Bodies are strings or buffers (graph-client
 * serializes JSON before the chain); no compression is asked for, so none has to be undone.
 */
export class NodeHttpHandler implements Middleware {
  private readonly agents: { readonly http: http.Agent; readonly https: https.Agent };

  constructor(options: NodeHttpHandlerOptions = {}) {
    const agentOptions = { keepAlive: true, maxSockets: Infinity, timeout: options.idleSocketTimeoutInMs ?? 4000 };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? new URL(context.request) : new URL(context.request.url);
    const options = context.options ?? {};
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      throw new Error('NodeHttpHandler: only string or Buffer request bodies are supported');
    }
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (body !== undefined && body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    const secure = url.protocol === 'https:';
    context.response = await new Promise<RawGraphResponse>((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: options.method ?? 'GET',
          headers,
          agent: secure ? this.agents.https : this.agents.http,
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(transportError(error, true)));
          response.on('end', () => {
            const status = response.statusCode ?? 500;
            try {
              // With ResponseType.RAW graph-client hands this to the gateway untouched.
              resolve(new RawGraphResponse(status, response.headers, Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              // A status a Response cannot carry (outside 200-599, from a broken proxy) fails the attempt, not the process.
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        },
      );
      // A reused keep-alive socket is connected already; a new one counts once TCP connects (data may follow).
      let connected = false;
      request.on('socket', (socket) => {
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      request.on('error', (error) => reject(options.signal?.aborted ? error : transportError(error, connected)));
      request.end(body ?? undefined);
    });
  }
}
