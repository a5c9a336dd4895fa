import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { LOCAL_USERS } from '../fixtures';
import { EmulatorState, type EmulatorSwitches, type FaultSpec, type RecordedRequest } from './emulator-state';
import { ticksFromMs } from './graph-time';
import { negotiateLanguage } from './join-information';
import {
  parseCreateBody,
  parseCreateOrGetBody,
  parsePatchBody,
  type BodyContext,
  type GraphVersion,
} from './meeting-bodies';
import {
  applyPatch,
  isInvited,
  newStoredMeeting,
  renderMeeting,
  type OrganizerInfo,
  type StoredMeeting,
} from './meeting-resource';
import { badRequest, ODataError, odataErrorBody, writeJson, type RequestIds } from './odata';
import { TokenVerifier, type VerifiedCaller } from './token-verifier';
import { routeTownhall, TOWNHALL_ROUTE, type StoredTownhall } from './townhalls';

export interface GraphEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** JWKS URL of the Entra stand-in (https on the local CA, trusted via NODE_EXTRA_CA_CERTS). */
  readonly jwksUrl?: string;
  /** A key set to trust directly (tests that sign their own tokens). */
  readonly jwks?: JSONWebKeySet;
  /** Users outside the tenant's Entra ID (never presenters). Defaults to the fixtures' external users. */
  readonly externalUserIds?: readonly string[];
  readonly refuseLiveEvents?: boolean;
  readonly refuseChannelBinding?: boolean;
  /** Milliseconds since the epoch; tokens and default start times use it. */
  readonly now?: () => number;
}

export interface GraphEmulator {
  /** `http://127.0.0.1:<port>` (append `/beta` or `/v1.0`). */
  readonly origin: string;
  /** `http://127.0.0.1:<port>/v1.0`: what GRAPH_BASE_URL is set to (Convene's default version). */
  readonly baseUrl: string;
  readonly v1BaseUrl: string;
  /** `http://127.0.0.1:<port>/beta`. */
  readonly betaBaseUrl: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  readonly meetings: readonly StoredMeeting[];
  readonly townhalls: readonly StoredTownhall[];
  injectFaults(faults: FaultSpec | readonly FaultSpec[]): void;
  setLatency(ms: number): void;
  setSwitches(switches: Partial<EmulatorSwitches>): void;
  grantAccessPolicy(appId: string, userIds: readonly string[] | 'global'): void;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const WRITE_SCOPE = 'OnlineMeetings.ReadWrite';
const READ_SCOPES = ['OnlineMeetings.Read', 'OnlineMeetings.ReadWrite'];
const APP_WRITE_ROLE = 'OnlineMeetings.ReadWrite.All';
const APP_READ_ROLES = ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'];

const ROUTE = /^\/(beta|v1\.0)\/(?:me|users\/([^/]+))\/onlineMeetings(?:\/([^/]+))?\/?$/;

const DEFAULT_FAULT_CODES: Readonly<Record<number, string>> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'serviceNotAvailable',
  504: 'GatewayTimeout',
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ODataError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function recordHeaders(req: IncomingMessage): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = name === 'authorization' ? true : Array.isArray(value) ? value.join(', ') : value;
  }
  if (!('authorization' in out)) out['authorization'] = false;
  return out;
}

/** The user the path addresses, after the permission checks of §1.5 and the application access policy. */
interface Target {
  readonly tid: string;
  readonly oid: string;
  readonly organizer: OrganizerInfo;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    if (error instanceof URIError) throw badRequest('Malformed path segment.');
    throw error;
  }
}

class GraphEmulatorServer {
  readonly state: EmulatorState;
  private readonly verifier: TokenVerifier;
  private readonly now: () => number;
  private readonly externalUserIds: ReadonlySet<string>;

  constructor(options: GraphEmulatorOptions) {
    this.now = options.now ?? Date.now;
    this.verifier = new TokenVerifier({
      jwks: options.jwks,
      jwksUrl: options.jwksUrl,
      now: this.now,
      clockToleranceInSeconds: 0,
    });
    this.externalUserIds = new Set(
      options.externalUserIds ?? LOCAL_USERS.filter((u) => u.external).map((u) => u.aadObjectId),
    );
    this.state = new EmulatorState({
      refuseLiveEvents: options.refuseLiveEvents ?? false,
      refuseChannelBinding: options.refuseChannelBinding ?? false,
      townhallsUnlicensed: false,
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const clientHeader = req.headers['client-request-id'];
    const ids: RequestIds = { requestId, clientRequestId: typeof clientHeader === 'string' ? clientHeader : requestId };
    const baseHeaders = { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let record: RecordedRequest | undefined;
    try {
      const text = await readBody(req);
      if (url.pathname.startsWith('/_control/')) {
        this.control(method, url.pathname, text, res);
        return;
      }
      record = {
        time: new Date(this.now()).toISOString(),
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: recordHeaders(req),
        body: parseJsonLoose(text),
        requestId,
      };
      this.state.requests.push(record);
      if (this.state.latencyInMs > 0) await sleep(this.state.latencyInMs);
      const fault = this.state.takeFault(method, url.pathname);
      if (fault?.delayMs) await sleep(fault.delayMs);
      const carriedOut = fault?.afterEffect ? await this.route(req, method, url, text, record) : undefined;
      if (fault?.dropConnection) {
        record.fault = true;
        req.socket.destroy();
        return;
      }
      if (fault?.status !== undefined) {
        record.fault = true;
        const headers: Record<string, string> = { ...baseHeaders };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        const code = fault.code ?? DEFAULT_FAULT_CODES[fault.status] ?? 'UnknownError';
        record.status = fault.status;
        writeJson(
          res,
          fault.status,
          odataErrorBody(new ODataError(fault.status, code, 'Injected fault.'), ids, this.now()),
          headers,
        );
        return;
      }
      const { status, body } = carriedOut ?? (await this.route(req, method, url, text, record));
      record.status = status;
      writeJson(res, status, body, baseHeaders);
    } catch (error) {
      const odata =
        error instanceof ODataError ? error : new ODataError(500, 'UnknownError', 'An unexpected error occurred.');
      if (!(error instanceof ODataError)) console.error('graph stand-in: unexpected error', error);
      if (record) record.status = odata.status;
      writeJson(res, odata.status, odataErrorBody(odata, ids, this.now()), { ...baseHeaders, ...odata.headers });
    }
  }

  private async route(
    req: IncomingMessage,
    method: string,
    url: URL,
    text: string,
    record: RecordedRequest,
  ): Promise<{ status: number; body?: unknown }> {
    const townhall = TOWNHALL_ROUTE.exec(url.pathname);
    if (townhall) {
      const caller = await this.verifier.verify(req.headers.authorization);
      record.caller =
        caller.kind === 'delegated'
          ? { oid: caller.oid, tid: caller.tid, appid: caller.appid }
          : { tid: caller.tid, appid: caller.appid };
      return routeTownhall(this.state.townhalls, {
        method,
        version: townhall[1] ?? '',
        id: townhall[2] === undefined ? undefined : decodeSegment(townhall[2]),
        action: townhall[3] as 'publish' | 'cancel' | 'sessions' | undefined,
        caller,
        body: () => jsonObject(req, text),
        nowMs: this.now(),
        externalUserIds: this.externalUserIds,
        switches: this.state.switches,
      });
    }
    const match = ROUTE.exec(url.pathname);
    if (!match) throw new ODataError(400, 'BadRequest', `Resource not found for the segment '${url.pathname}'.`);
    const version = match[1] as GraphVersion;
    const userSegment = match[2] === undefined ? undefined : decodeSegment(match[2]);
    const sub = match[3] === undefined ? undefined : decodeSegment(match[3]);

    const caller = await this.verifier.verify(req.headers.authorization);
    record.caller =
      caller.kind === 'delegated'
        ? { oid: caller.oid, tid: caller.tid, appid: caller.appid }
        : { tid: caller.tid, appid: caller.appid };

    const write = method !== 'GET';
    const target = this.authorize(caller, userSegment, write);
    const language = negotiateLanguage(
      typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'] : undefined,
    );
    const prefer = typeof req.headers['prefer'] === 'string' ? req.headers['prefer'] : '';
    const includeUnknownEnumMembers = /(?:^|,)\s*include-unknown-enum-members\s*(?:,|$)/i.test(prefer);
    const render = (m: StoredMeeting): Record<string, unknown> =>
      renderMeeting(m, { version, userId: target.oid, language, includeUnknownEnumMembers });
    const ctx: BodyContext = {
      version,
      tenantId: target.tid,
      externalUserIds: this.externalUserIds,
      nowTicks: ticksFromMs(this.now()),
    };

    if (method === 'POST' && sub === undefined) {
      const input = parseCreateBody(jsonObject(req, text), ctx);
      this.checkSwitches(input.isBroadcast, input.chatThreadId !== undefined);
      const meeting = newStoredMeeting(input, target.organizer, ctx.nowTicks);
      this.state.meetings.set(meeting.id, meeting);
      return { status: 201, body: render(meeting) };
    }
    if (method === 'POST' && sub === 'createOrGet') {
      const input = parseCreateOrGetBody(jsonObject(req, text), ctx);
      const key = `${target.tid}|${target.oid}|${input.externalId}`;
      const existing = this.state.externalIds.get(key);
      const stored = existing === undefined ? undefined : this.state.meetings.get(existing);
      // A repeat returns the stored meeting unchanged (the docs don't say it updates).
      if (stored) return { status: 200, body: render(stored) };
      this.checkSwitches(false, input.chatThreadId !== undefined);
      const meeting = newStoredMeeting(input, target.organizer, ctx.nowTicks);
      this.state.meetings.set(meeting.id, meeting);
      this.state.externalIds.set(key, meeting.id);
      return { status: 201, body: render(meeting) };
    }
    if (method === 'GET' && sub === undefined) return { status: 200, body: this.list(url, target, render, version) };
    if (sub === undefined || sub === 'createOrGet')
      throw new ODataError(405, 'MethodNotAllowed', 'The HTTP method is not allowed for this resource.');

    const meeting = this.state.meetings.get(sub);
    if (!meeting || !isInvited(meeting, target.tid, target.oid)) {
      throw new ODataError(404, 'itemNotFound', 'The requested resource does not exist.');
    }
    if (method === 'GET') return { status: 200, body: render(meeting) };
    if (meeting.organizer.id !== target.oid)
      throw new ODataError(403, 'Forbidden', 'Only the organizer can change or delete this meeting.');
    if (method === 'PATCH') {
      applyPatch(meeting, parsePatchBody(jsonObject(req, text), ctx));
      return { status: 200, body: render(meeting) };
    }
    if (method === 'DELETE') {
      this.state.meetings.delete(meeting.id);
      for (const [key, id] of this.state.externalIds) if (id === meeting.id) this.state.externalIds.delete(key);
      return { status: 204 };
    }
    throw new ODataError(405, 'MethodNotAllowed', 'The HTTP method is not allowed for this resource.');
  }

  private checkSwitches(live: boolean, channel: boolean): void {
    if (live && this.state.switches.refuseLiveEvents) {
      throw badRequest(
        'Teams live events are no longer supported: live events were retired on September 30, 2024. Use town halls instead.',
      );
    }
    if (channel && this.state.switches.refuseChannelBinding) throw badRequest('1026: An error has occurred.');
  }

  private authorize(caller: VerifiedCaller, userSegment: string | undefined, write: boolean): Target {
    if (caller.kind === 'delegated') {
      const allowed = write ? [WRITE_SCOPE] : READ_SCOPES;
      if (!allowed.some((s) => caller.scopes.has(s))) {
        throw new ODataError(
          403,
          'Forbidden',
          `Insufficient privileges to complete the operation. Requires ${allowed.join(' or ')}.`,
        );
      }
      if (
        userSegment !== undefined &&
        userSegment.toLowerCase() !== caller.oid.toLowerCase() &&
        userSegment.toLowerCase() !== caller.upn?.toLowerCase()
      ) {
        throw new ODataError(403, 'Forbidden', "A delegated token can only access its own user's online meetings.");
      }
      return {
        tid: caller.tid,
        oid: caller.oid,
        organizer: { id: caller.oid, tenantId: caller.tid, displayName: caller.name ?? null, upn: caller.upn ?? null },
      };
    }
    if (userSegment === undefined) throw badRequest('/me request is only valid with delegated authentication flow.');
    const allowed = write ? [APP_WRITE_ROLE] : APP_READ_ROLES;
    if (!allowed.some((r) => caller.roles.has(r))) {
      throw new ODataError(
        403,
        'Forbidden',
        `Insufficient privileges to complete the operation. Requires ${allowed.join(' or ')}.`,
      );
    }
    if (!this.state.hasAccessPolicy(caller.appid, userSegment))
      throw new ODataError(403, 'Forbidden', 'No application access policy found for this app.');
    const user = LOCAL_USERS.find(
      (u) => u.aadObjectId === userSegment || u.upn.toLowerCase() === userSegment.toLowerCase(),
    );
    const oid = user?.aadObjectId ?? userSegment;
    return {
      tid: caller.tid,
      oid,
      organizer: { id: oid, tenantId: caller.tid, displayName: user?.name ?? null, upn: user?.upn ?? null },
    };
  }

  /** `$filter=JoinWebUrl eq '…'` or `joinMeetingIdSettings/joinMeetingId eq '…'`; listing without a filter is refused. */
  private list(
    url: URL,
    target: Target,
    render: (m: StoredMeeting) => Record<string, unknown>,
    version: GraphVersion,
  ): unknown {
    const filter = url.searchParams.get('$filter');
    const match =
      filter === null
        ? null
        : /^\s*(JoinWebUrl|joinMeetingIdSettings\/joinMeetingId)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
    if (!match)
      throw badRequest(
        "Filter is required: JoinWebUrl eq '{joinWebUrl}' or joinMeetingIdSettings/joinMeetingId eq '{id}'.",
      );
    const value = (match[2] ?? '').replace(/''/g, "'");
    const byUrl = (match[1] ?? '').toLowerCase() === 'joinweburl';
    const found = [...this.state.meetings.values()].filter(
      (m) =>
        isInvited(m, target.tid, target.oid) &&
        (byUrl ? m.joinWebUrl === value || m.joinWebUrl === safeDecode(value) : m.joinMeetingId === value),
    );
    return {
      '@odata.context': `https://graph.microsoft.com/${version}/$metadata#users('${target.oid}')/onlineMeetings`,
      value: found.map(render),
    };
  }

  private control(method: string, path: string, text: string, res: ServerResponse): void {
    const state = this.state;
    const ok = (payload: unknown = { ok: true }): void => writeJson(res, 200, payload);
    const input = <T>(schema: z.ZodType<T>): T => {
      const parsed = schema.safeParse(parseJsonLoose(text) ?? {});
      if (!parsed.success) throw badRequest(`Invalid control body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    };
    switch (`${method} ${path}`) {
      case 'POST /_control/faults': {
        const body = input(z.union([faultSchema, z.array(faultSchema), z.object({ faults: z.array(faultSchema) })]));
        state.injectFaults(Array.isArray(body) ? body : 'faults' in body ? body.faults : body);
        return ok();
      }
      case 'DELETE /_control/faults':
        state.clearFaults();
        return ok();
      case 'POST /_control/latency':
        state.latencyInMs = input(z.object({ ms: z.number().int().min(0) })).ms;
        return ok();
      case 'POST /_control/switches':
        state.setSwitches(
          input(
            z.object({
              refuseLiveEvents: z.boolean().optional(),
              refuseChannelBinding: z.boolean().optional(),
              townhallsUnlicensed: z.boolean().optional(),
            }),
          ),
        );
        return ok(state.switches);
      case 'POST /_control/access-policies': {
        const body = input(
          z.object({ appId: z.string().min(1), userIds: z.union([z.literal('global'), z.array(z.string())]) }),
        );
        state.grantAccessPolicy(body.appId, body.userIds);
        return ok();
      }
      case 'GET /_control/requests':
        return ok(state.requests);
      case 'GET /_control/meetings':
        // bigint ticks don't serialize to JSON; strings keep their precision.
        return ok(
          [...state.meetings.values()].map((m) => ({
            ...m,
            start: String(m.start),
            end: String(m.end),
            created: String(m.created),
          })),
        );
      case 'GET /_control/townhalls':
        return ok([...state.townhalls.values()]);
      case 'POST /_control/reset':
        state.reset();
        return ok();
      default:
        writeJson(res, 404, { error: { code: 'NotFound', message: `Unknown control route ${method} ${path}` } });
    }
  }
}

const faultSchema = z.object({
  status: z.number().int().min(100).max(599).optional(),
  retryAfter: z.union([z.number().min(0), z.string()]).optional(),
  count: z.number().int().min(1).optional(),
  method: z.string().optional(),
  pathIncludes: z.string().optional(),
  delayMs: z.number().int().min(0).optional(),
  code: z.string().optional(),
  afterEffect: z.boolean().optional(),
  dropConnection: z.boolean().optional(),
});

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    if (error instanceof URIError) return value;
    throw error;
  }
}

function parseJsonLoose(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Recorded as text: the route answers 400 for it when a JSON body is required.
    if (error instanceof SyntaxError) return text;
    throw error;
  }
}

function jsonObject(req: IncomingMessage, text: string): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw badRequest('Content-Type must be application/json.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw badRequest(
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      );
    throw error;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw badRequest('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Starts the Graph onlineMeetings stand-in on 127.0.0.1 (plain http). */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const emulator = new GraphEmulatorServer(options);
  const server: Server = createServer((req, res) => {
    emulator.handle(req, res).catch((error: unknown) => {
      console.error('graph stand-in: failed to answer', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const state = emulator.state;
  return {
    origin,
    baseUrl: `${origin}/v1.0`,
    v1BaseUrl: `${origin}/v1.0`,
    betaBaseUrl: `${origin}/beta`,
    port,
    get requests() {
      return state.requests;
    },
    get meetings() {
      return [...state.meetings.values()];
    },
    get townhalls() {
      return [...state.townhalls.values()];
    },
    injectFaults: (faults) => state.injectFaults(faults),
    setLatency: (ms) => {
      state.latencyInMs = ms;
    },
    setSwitches: (switches) => state.setSwitches(switches),
    grantAccessPolicy: (appId, userIds) => state.grantAccessPolicy(appId, userIds),
    reset: () => state.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Held (hanging) requests would keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}
