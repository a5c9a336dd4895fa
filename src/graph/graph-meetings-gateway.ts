import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { ZodError } from 'zod';
import type { Logger } from '../logging/logger';
import { GraphRequestError } from '../meetings/errors';
import type {
  Clock,
  CreateMeetingBody,
  GatewayCallOptions,
  GraphCaller,
  MeetingPatch,
  MeetingsGateway,
} from '../meetings/ports';
import type { OnlineMeeting } from '../meetings/types';
import { CallerTokenMiddleware, CallerTokenOption } from './caller-token-middleware';
import { graphRequestError, readGraphError, USER_MESSAGES, type FailedRequestContext } from './graph-error-mapping';
import { toOnlineMeeting } from './graph-meeting-schema';
import { NodeHttpHandler, TRANSPORT_ERROR } from './node-http-handler';
import { createMeetingRequest, createOrGetRequest, updateRequest } from './graph-request-bodies';
import {
  createNeedsBeta,
  createOrGetNeedsBeta,
  splitGraphBaseUrl,
  versionForCall,
  type GraphVersion,
} from './graph-version';
import {
  decideRetry,
  OUTCOME_UNKNOWN_STATUSES,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  RETRYABLE_STATUSES_NOT_IDEMPOTENT,
} from './retry-policy';

export interface GraphMeetingsGatewayOptions {
  /** Graph root including the version, http or https (e.g. `https://graph.microsoft.com/v1.0`). */
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'debug' | 'warn' | 'error'>;
  /** Per attempt; a timed-out attempt is not retried (its outcome is unknown). Default 10000. */
  readonly requestTimeoutInMs?: number;
  /** Retries of 429/503/504 after the first attempt. Default 3. */
  readonly maxRetries?: number;
  /** Longest single wait; a Retry-After beyond it is not waited for. Default 30000. */
  readonly maxRetryDelayInMs?: number;
  /** First exponential-backoff step when Graph gives no Retry-After. Default 500. */
  readonly baseRetryDelayInMs?: number;
  /** Injected for tests; defaults to setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One logical Graph call, as the meetings and town hall gateways describe it. */
export interface GraphCallSpec {
  readonly method: Method;
  /** Path under the version root, e.g. `/me/onlineMeetings`. */
  readonly path: string;
  readonly body?: unknown;
  /** Default: the configured version. */
  readonly version?: GraphVersion;
  /**
   * False for a plain POST create: only 429 is retried, and a timeout, a lost answer or a 502/503/504 is
   * graph_outcome_unknown (never repeated). Default true.
   */
  readonly idempotent?: boolean;
  /** Statuses retried inside the deadline (default 429/503/504, or 429 only when not idempotent). */
  readonly retryStatuses?: ReadonlySet<number>;
  readonly context?: FailedRequestContext;
}

export interface GraphResult {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * MeetingsGateway over @microsoft/microsoft-graph-client. One Client for the process; the caller's token rides
 * on each request (CallerTokenOption), so users never share a client or a token.
 */
export class GraphMeetingsGateway implements MeetingsGateway {
  private readonly client: Client;
  private readonly requestTimeoutInMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayInMs: number;
  private readonly baseRetryDelayInMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The configured version (GRAPH_BASE_URL's last segment); a call that needs the other one says so. */
  private readonly version: GraphVersion;

  constructor(private readonly options: GraphMeetingsGatewayOptions) {
    const { root, version } = splitGraphBaseUrl(options.baseUrl);
    this.version = version;
    const auth = new CallerTokenMiddleware();
    // node:http with keep-alive instead of graph-client's fetch-based handler (see NodeHttpHandler).
    auth.setNext(new NodeHttpHandler());
    this.client = Client.initWithMiddleware({
      baseUrl: root,
      defaultVersion: version,
      middleware: auth,
      customHosts: new Set([new URL(options.baseUrl).hostname]),
    });
    this.requestTimeoutInMs = options.requestTimeoutInMs ?? 10_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRetryDelayInMs = options.maxRetryDelayInMs ?? 30_000;
    this.baseRetryDelayInMs = options.baseRetryDelayInMs ?? 500;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async createMeeting(
    caller: GraphCaller,
    body: CreateMeetingBody,
    options: GatewayCallOptions = {},
  ): Promise<OnlineMeeting> {
    // Not idempotent: never repeated once it may have been carried out; such failures are graph_outcome_unknown.
    const context = { askedLive: body.live, askedChannel: body.chatThreadId !== undefined, idempotent: false };
    const version = versionForCall(this.version, createNeedsBeta(body));
    const result = await this.send(caller, 'POST', '', createMeetingRequest(body), options, context, version);
    return this.parseMeeting(result);
  }

  async createOrGetMeeting(
    caller: GraphCaller,
    body: CreateMeetingBody & { readonly externalId: string },
    options: GatewayCallOptions = {},
  ): Promise<{ readonly meeting: OnlineMeeting; readonly created: boolean }> {
    if (body.passcode || body.live) {
      // createOrGet's body has no joinMeetingIdSettings or isBroadcast: silently dropping them would be a lie.
      throw new GraphRequestError('graph_bad_request', 400, undefined, USER_MESSAGES.graph_bad_request, {
        details: { reason: 'createOrGet cannot ask for a passcode or a live event; use createMeeting' },
      });
    }
    const context = { askedLive: false, askedChannel: body.chatThreadId !== undefined };
    const version = versionForCall(this.version, createOrGetNeedsBeta(body));
    const result = await this.send(caller, 'POST', '/createOrGet', createOrGetRequest(body), options, context, version);
    return { meeting: this.parseMeeting(result), created: result.status === 201 };
  }

  async getMeeting(caller: GraphCaller, meetingId: string, options: GatewayCallOptions = {}): Promise<OnlineMeeting> {
    const result = await this.send(caller, 'GET', `/${encodeURIComponent(meetingId)}`, undefined, options, NO_CONTEXT);
    return this.parseMeeting(result);
  }

  async updateMeeting(
    caller: GraphCaller,
    meetingId: string,
    patch: MeetingPatch,
    options: GatewayCallOptions = {},
  ): Promise<OnlineMeeting> {
    const result = await this.send(
      caller,
      'PATCH',
      `/${encodeURIComponent(meetingId)}`,
      updateRequest(patch),
      options,
      NO_CONTEXT,
    );
    return this.parseMeeting(result);
  }

  async deleteMeeting(caller: GraphCaller, meetingId: string, options: GatewayCallOptions = {}): Promise<void> {
    await this.send(caller, 'DELETE', `/${encodeURIComponent(meetingId)}`, undefined, options, NO_CONTEXT);
  }

  private collectionPath(caller: GraphCaller): string {
    return caller.mode === 'delegated'
      ? '/me/onlineMeetings'
      : `/users/${encodeURIComponent(caller.userId)}/onlineMeetings`;
  }

  private parseMeeting(result: GraphResult): OnlineMeeting {
    try {
      return toOnlineMeeting(result.body);
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      this.options.logger.error(
        { requestId: result.requestId, issues: error.issues },
        'graph: response is not an onlineMeeting',
      );
      throw new GraphRequestError('graph_unavailable', 502, result.requestId, USER_MESSAGES.graph_unavailable, {
        cause: error,
      });
    }
  }

  /** An onlineMeetings call under the caller's collection (`/me/…` or `/users/{id}/…`). */
  private async send(
    caller: GraphCaller,
    method: Method,
    subPath: string,
    body: unknown,
    options: GatewayCallOptions,
    { idempotent, ...context }: FailedRequestContext & { readonly idempotent?: boolean },
    version: GraphVersion = this.version,
  ): Promise<GraphResult> {
    const path = `${this.collectionPath(caller)}${subPath}`;
    return this.call(
      caller,
      { method, path, body, version, context, ...(idempotent === false ? { idempotent } : {}) },
      options,
    );
  }

  /**
   * One logical call: attempts, retries within maxRetries and the deadline, error mapping. Shared with the town
   * hall gateway, so both follow one retry and logging policy. Idempotent calls retry 429/503/504; a
   * non-idempotent one (`spec.idempotent === false`) only 429, and a timeout, a lost answer or a 502/503/504 to it
   * is graph_outcome_unknown.
   */
  async call(caller: GraphCaller, spec: GraphCallSpec, options: GatewayCallOptions = {}): Promise<GraphResult> {
    const { method, path, body } = spec;
    const version = spec.version ?? this.version;
    const context = spec.context ?? NO_CONTEXT;
    const idempotent = spec.idempotent !== false;
    const retryStatuses = spec.retryStatuses ?? (idempotent ? RETRYABLE_STATUSES : RETRYABLE_STATUSES_NOT_IDEMPOTENT);
    for (let retries = 0; ; retries += 1) {
      const result = await this.attempt(caller, { method, path, body, version, idempotent }, options);
      if (result.status >= 200 && result.status < 300) return result;
      const info = readGraphError(result.body);
      // The raw Graph error goes to the log (never the token: it is only in the request headers).
      this.options.logger.warn(
        {
          method,
          path,
          version,
          status: result.status,
          requestId: result.requestId,
          graphError: info,
          attempt: retries + 1,
        },
        'graph: request failed',
      );
      if (!idempotent && OUTCOME_UNKNOWN_STATUSES.has(result.status)) {
        throw outcomeUnknown(result.requestId, { httpStatus: result.status });
      }
      if (!retryStatuses.has(result.status))
        throw graphRequestError(result.status, result.body, result.requestId, context);
      const retryAfterInMs = parseRetryAfter(result.retryAfter, this.options.clock.now());
      const decision = decideRetry(retries, retryAfterInMs, this.options.clock.now(), options.deadline, {
        maxRetries: this.maxRetries,
        maxRetryDelayInMs: this.maxRetryDelayInMs,
        baseDelayInMs: this.baseRetryDelayInMs,
      });
      if (!decision.retry) {
        this.options.logger.warn(
          { method, path, requestId: result.requestId, reason: decision.reason },
          'graph: giving up retrying',
        );
        throw graphRequestError(result.status, result.body, result.requestId, context, retryAfterInMs);
      }
      this.options.logger.debug({ method, path, delayInMs: decision.delayInMs }, 'graph: retrying');
      await this.sleep(decision.delayInMs);
    }
  }

  private async attempt(
    caller: GraphCaller,
    {
      method,
      path,
      body,
      version,
      idempotent,
    }: { method: Method; path: string; body: unknown; version: GraphVersion; idempotent: boolean },
    options: GatewayCallOptions,
  ): Promise<GraphResult & { readonly retryAfter: string | null }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.requestTimeoutInMs);
    try {
      const request = this.client
        .api(path)
        .version(version)
        .middlewareOptions([new CallerTokenOption(caller.accessToken)])
        .responseType(ResponseType.RAW)
        // Node's fetch sends `Accept-Language: *` otherwise, and joinInformation would come back in English.
        .header('Accept-Language', options.locale ?? 'en-US')
        // Without it Graph reports the `invited` lobby scope as unknownFutureValue (lobbybypasssettings, v1.0).
        .header('Prefer', 'include-unknown-enum-members')
        .option('signal', controller.signal);
      const response = (await (method === 'GET'
        ? request.get()
        : method === 'POST'
          ? request.post(body)
          : method === 'PATCH'
            ? request.patch(body)
            : request.delete())) as Response;
      const text = await response.text();
      return {
        status: response.status,
        body: parseJson(text),
        requestId: response.headers.get('request-id') ?? undefined,
        retryAfter: response.headers.get('retry-after'),
      };
    } catch (error) {
      if (timedOut) {
        this.options.logger.warn(
          { method, path, version, timeoutInMs: this.requestTimeoutInMs },
          'graph: request timed out',
        );
        if (!idempotent) throw outcomeUnknown(undefined, { cause: error });
        throw new GraphRequestError('graph_timeout', 504, undefined, USER_MESSAGES.graph_timeout, { cause: error });
      }
      if (error instanceof GraphRequestError) throw error;
      this.options.logger.error({ method, path, err: describe(error) }, 'graph: request could not be sent');
      // graph-client keeps the transport error's name as its GraphError's `code` (see NodeHttpHandler).
      if (!idempotent && (error as { code?: unknown }).code !== TRANSPORT_ERROR.notSent)
        throw outcomeUnknown(undefined, { cause: error });
      throw new GraphRequestError('graph_unavailable', 503, undefined, USER_MESSAGES.graph_unavailable, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

const NO_CONTEXT: FailedRequestContext = { askedLive: false, askedChannel: false };

function outcomeUnknown(
  requestId: string | undefined,
  extra: { cause?: unknown; httpStatus?: number },
): GraphRequestError {
  return new GraphRequestError('graph_outcome_unknown', 504, requestId, USER_MESSAGES.graph_outcome_unknown, {
    ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
    details: { answeredStatus: extra.httpStatus },
  });
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Proxies answer HTML on 502/504; keep the text (truncated) for the log instead of failing the mapping.
    if (error instanceof SyntaxError) return text.slice(0, 500);
    throw error;
  }
}

function describe(error: unknown): { name?: string; message?: string; code?: string } {
  if (error instanceof Error)
    return { name: error.name, message: error.message, code: (error as { code?: string }).code };
  return { message: String(error) };
}
