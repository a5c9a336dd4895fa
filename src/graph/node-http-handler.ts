import http from 'node:http';
import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export interface NodeHttpHandlerOptions {
  /** Idle keep-alive sockets close after this (below Graph's and the stand-in's idle timeouts). Default 4000. */
  readonly idleSocketTimeoutInMs?: number;
}

/** What the gateway reads of a Graph response; a WHATWG Response satisfies it too (graph-client's own handler). */
export interface RawResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A response read whole: the status, node's (lower-cased) headers and the body text. */
class RawGraphResponse implements RawResponse {
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly status: number,
    headers: http.IncomingHttpHeaders,
    private readonly body: string,
  ) {
    this.headers = {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    return this.body;
  }
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
 * {@link RawResponse} read whole (a few KB of JSON; nothing streams). Profiling showed fetch's Request/Headers/
 * web-stream machinery, and a WHATWG Response per call, cost about 0.5 ms of CPU per Graph call over node:http.
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
    context.response = await new Promise<Response>((resolve, reject) => {
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
            const raw = new RawGraphResponse(status, response.headers, Buffer.concat(chunks).toString('utf8'));
            // graph-client's Context types the response as a WHATWG Response; with ResponseType.RAW it hands it to the
            // caller untouched, and the gateway reads only what RawResponse declares.
            resolve(raw as unknown as Response);
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
