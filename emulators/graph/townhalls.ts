import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { LOCAL_USERS } from '../fixtures';
import { joinWebUrlFor } from './meeting-resource';
import { badRequest, ODataError } from './odata';
import type { VerifiedCaller } from './token-verifier';

/**
 * Graph's virtual-event town halls, the endpoints Convene uses, from Microsoft's v1.0 documentation:
 *   POST /solutions/virtualEvents/townhalls               create, as a draft (virtualeventsroot-post-townhalls)
 *   GET  /solutions/virtualEvents/townhalls/{id}          get (virtualeventtownhall-get)
 *   POST /solutions/virtualEvents/townhalls/{id}/publish  draft → published, 204 (virtualeventtownhall-publish)
 *   POST /solutions/virtualEvents/townhalls/{id}/cancel   → canceled for good, 204 (virtualeventtownhall-cancel)
 *   GET  /solutions/virtualEvents/townhalls/{id}/sessions session summaries with joinWebUrl (virtualevent-list-sessions)
 * Pages: learn.microsoft.com/graph/api/<name>?view=graph-rest-1.0. Create, publish and cancel take delegated
 * `VirtualEvent.ReadWrite` only; "Application: Not supported". Only the organizer may publish or cancel
 * (resources/virtualeventtownhall.md, "Roles required to act on virtualEventTownhall objects").
 * Beta has the same endpoints; this stand-in serves them under v1.0 only, so a town hall call Convene sends to beta
 * (not supported for production use) fails in tests instead of passing unnoticed.
 */
export type TownhallStatus = 'draft' | 'published' | 'canceled';

interface Identity {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string | null;
}

export interface StoredTownhall {
  readonly id: string;
  readonly organizer: Identity;
  status: TownhallStatus;
  readonly displayName: string;
  readonly description: { readonly contentType: string; readonly content: string } | null;
  readonly startDateTime: { readonly dateTime: string; readonly timeZone: string };
  readonly endDateTime: { readonly dateTime: string; readonly timeZone: string };
  readonly startMs: number;
  readonly endMs: number;
  readonly audience: 'everyone' | 'organization' | 'unknownFutureValue';
  readonly isInviteOnly: boolean;
  readonly coOrganizers: readonly Identity[];
  /** Created when the town hall is published (one session, as for every town hall made through Graph). */
  session: { readonly id: string; readonly joinWebUrl: string } | null;
}

export interface TownhallSwitches {
  /** The organizer has no licence for town halls: create answers 403 (see `create`). */
  readonly townhallsUnlicensed: boolean;
}

export const TOWNHALL_ROUTE =
  /^\/(beta|v1\.0)\/solutions\/virtualEvents\/townhalls(?:\/([^/]+))?(?:\/(publish|cancel|sessions))?\/?$/;

const WRITE_SCOPE = 'VirtualEvent.ReadWrite';
const READ_SCOPES = ['VirtualEvent.Read', 'VirtualEvent.ReadWrite'];
/** Windows zone names Graph documents for dateTimeTimeZone, mapped for the few the stand-in is asked about. */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Eastern Standard Time': 'America/New_York',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'China Standard Time': 'Asia/Shanghai',
};
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/;

const dateTimeTimeZone = z.strictObject({
  '@odata.type': z.string().optional(),
  dateTime: z.string().regex(LOCAL_DATE_TIME, 'expected yyyy-MM-ddTHH:mm:ss without an offset'),
  timeZone: z.string().min(1),
});
const userIdentity = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.communicationsUserIdentity').optional(),
  id: z.string().min(1),
  tenantId: z.string().nullish(),
  displayName: z.string().nullish(),
});
/** The properties the create page lists; anything else is unknown (or read-only) on create. */
const createBody = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.virtualEventTownhall').optional(),
  audience: z.enum(['everyone', 'organization', 'unknownFutureValue']).optional(),
  coOrganizers: z.array(userIdentity).max(10).optional(),
  description: z.strictObject({ contentType: z.enum(['text', 'html']), content: z.string() }).optional(),
  displayName: z.string().min(1).max(256),
  endDateTime: dateTimeTimeZone,
  invitedAttendees: z.array(z.record(z.string(), z.unknown())).optional(),
  isInviteOnly: z.boolean().optional(),
  startDateTime: dateTimeTimeZone,
});
const READ_ONLY = new Set(['id', 'status', 'createdBy', 'sessions', 'presenters', 'settings']);

export interface TownhallContext {
  readonly method: string;
  readonly version: string;
  readonly id: string | undefined;
  readonly action: 'publish' | 'cancel' | 'sessions' | undefined;
  readonly caller: VerifiedCaller;
  readonly body: () => Record<string, unknown>;
  readonly nowMs: number;
  readonly externalUserIds: ReadonlySet<string>;
  readonly switches: TownhallSwitches;
}

/** Routes one town hall request. Throws ODataError for every refusal, as the rest of the stand-in does. */
export function routeTownhall(
  store: Map<string, StoredTownhall>,
  ctx: TownhallContext,
): { status: number; body?: unknown } {
  if (ctx.version !== 'v1.0') {
    throw new ODataError(
      400,
      'BadRequest',
      `Resource not found for the segment 'solutions' in version '${ctx.version}' of this stand-in: town halls are called on v1.0.`,
    );
  }
  const write = ctx.method !== 'GET';
  const caller = delegatedCaller(ctx.caller, write);
  if (ctx.id === undefined) {
    if (ctx.method === 'POST') return { status: 201, body: render(create(store, caller, ctx)) };
    // Listing every town hall of a tenant is application-only (virtualeventsroot-list-townhalls): not for Convene.
    throw new ODataError(
      405,
      'MethodNotAllowed',
      'The HTTP method is not allowed for this resource with a delegated token.',
    );
  }
  const townhall = store.get(ctx.id);
  if (!townhall || townhall.organizer.tenantId !== caller.tid || !canRead(townhall, caller.oid)) {
    throw new ODataError(404, 'itemNotFound', 'The requested resource does not exist.');
  }
  if (ctx.method === 'GET' && ctx.action === undefined) return { status: 200, body: render(townhall) };
  if (ctx.method === 'GET' && ctx.action === 'sessions') return { status: 200, body: sessions(townhall) };
  if (ctx.method === 'POST' && (ctx.action === 'publish' || ctx.action === 'cancel')) {
    if (townhall.organizer.id !== caller.oid)
      throw new ODataError(403, 'Forbidden', `Only the organizer can ${ctx.action} this town hall.`);
    if (ctx.action === 'publish') publish(townhall, ctx.nowMs);
    else cancel(townhall);
    return { status: 204 };
  }
  throw new ODataError(405, 'MethodNotAllowed', 'The HTTP method is not allowed for this resource.');
}

function delegatedCaller(caller: VerifiedCaller, write: boolean): Extract<VerifiedCaller, { kind: 'delegated' }> {
  if (caller.kind === 'application') {
    // The permission tables of create, publish and cancel: "Application | Not supported."
    throw new ODataError(
      403,
      'Forbidden',
      'Application permissions are not supported for this API. Use a delegated token with VirtualEvent.ReadWrite.',
    );
  }
  const allowed = write ? [WRITE_SCOPE] : READ_SCOPES;
  if (!allowed.some((s) => caller.scopes.has(s))) {
    throw new ODataError(
      403,
      'Forbidden',
      `Insufficient privileges to complete the operation. Requires ${allowed.join(' or ')}.`,
    );
  }
  return caller;
}

function canRead(townhall: StoredTownhall, oid: string): boolean {
  return townhall.organizer.id === oid || townhall.coOrganizers.some((c) => c.id === oid);
}

function create(
  store: Map<string, StoredTownhall>,
  caller: Extract<VerifiedCaller, { kind: 'delegated' }>,
  ctx: TownhallContext,
): StoredTownhall {
  const raw = ctx.body();
  for (const key of Object.keys(raw)) {
    if (READ_ONLY.has(key))
      throw badRequest(`Property '${key}' is read-only or not supported when creating a town hall.`);
  }
  const parsed = createBody.safeParse(raw);
  if (!parsed.success) throw badRequest(describeIssue(parsed.error));
  const body = parsed.data;
  const startMs = toMs(body.startDateTime, 'startDateTime');
  const endMs = toMs(body.endDateTime, 'endDateTime');
  if (endMs <= startMs) throw badRequest('endDateTime must be later than startDateTime.');
  const audience = body.audience ?? 'organization';
  // "The isInviteOnly property can only be true if the value of the audience property is set to organization."
  if (body.isInviteOnly === true && audience !== 'organization')
    throw badRequest('isInviteOnly can only be true when audience is organization.');
  const coOrganizers = (body.coOrganizers ?? []).map((c, index) => {
    if (c.id === caller.oid) throw badRequest(`coOrganizers[${index}]: the organizer cannot also be a co-organizer.`);
    const external = (c.tenantId != null && c.tenantId !== caller.tid) || ctx.externalUserIds.has(c.id);
    // Co-organizers are people in the organizer's organization (virtualEventTownhall: roles).
    if (external) throw badRequest(`coOrganizers[${index}]: co-organizers must be in the organizer's organization.`);
    const known = LOCAL_USERS.find((u) => u.aadObjectId === c.id);
    return { id: c.id, tenantId: caller.tid, displayName: c.displayName ?? known?.name ?? null };
  });
  if (ctx.switches.townhallsUnlicensed) {
    // Town halls need a Teams licence that includes them; without one the service refuses the create.
    throw new ODataError(403, 'Forbidden', 'The organizer does not have a license that allows creating town halls.');
  }
  const townhall: StoredTownhall = {
    id: `${randomUUID()}@${caller.tid}`,
    organizer: { id: caller.oid, tenantId: caller.tid, displayName: caller.name ?? null },
    status: 'draft',
    displayName: body.displayName,
    description: body.description ?? null,
    startDateTime: { dateTime: body.startDateTime.dateTime, timeZone: body.startDateTime.timeZone },
    endDateTime: { dateTime: body.endDateTime.dateTime, timeZone: body.endDateTime.timeZone },
    startMs,
    endMs,
    audience,
    isInviteOnly: body.isInviteOnly ?? false,
    coOrganizers,
    session: null,
  };
  store.set(townhall.id, townhall);
  return townhall;
}

function publish(townhall: StoredTownhall, nowMs: number): void {
  if (townhall.status !== 'draft') throw badRequest(`A town hall in status '${townhall.status}' cannot be published.`);
  if (townhall.endMs <= nowMs) throw badRequest('A town hall that has already ended cannot be published.');
  townhall.status = 'published';
  const thread = `19:meeting_${Buffer.from(randomUUID(), 'utf8').toString('base64url').replace(/[-_]/g, 'x')}@thread.v2`;
  townhall.session = {
    id: randomUUID(),
    joinWebUrl: joinWebUrlFor(thread, townhall.organizer.tenantId, townhall.organizer.id),
  };
}

function cancel(townhall: StoredTownhall): void {
  // "A canceled town hall has its status set to canceled permanently."
  if (townhall.status === 'canceled') throw badRequest('The town hall is already canceled.');
  townhall.status = 'canceled';
}

/** Session summaries: only endDateTime, id, joinWebUrl, startDateTime and subject carry data (list-sessions page). */
function sessions(townhall: StoredTownhall): unknown {
  const value =
    townhall.session === null || townhall.status === 'draft'
      ? []
      : [
          {
            '@odata.type': '#microsoft.graph.virtualEventSession',
            id: townhall.session.id,
            startDateTime: new Date(townhall.startMs).toISOString(),
            endDateTime: new Date(townhall.endMs).toISOString(),
            joinWebUrl: townhall.session.joinWebUrl,
            subject: townhall.displayName,
            isBroadcast: null,
            broadcastSettings: null,
            chatInfo: null,
            joinMeetingIdSettings: null,
          },
        ];
  return {
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#solutions/virtualEvents/townhalls('${townhall.id}')/sessions`,
    value,
  };
}

export function render(townhall: StoredTownhall): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.virtualEventTownhall',
    id: townhall.id,
    status: townhall.status,
    displayName: townhall.displayName,
    description: townhall.description,
    startDateTime: townhall.startDateTime,
    endDateTime: townhall.endDateTime,
    audience: townhall.audience,
    createdBy: { application: null, device: null, user: { ...townhall.organizer } },
    coOrganizers: townhall.coOrganizers.map((c) => ({ ...c })),
    invitedAttendees: [],
    isInviteOnly: townhall.isInviteOnly,
  };
}

function toMs(value: { dateTime: string; timeZone: string }, field: string): number {
  const zone = WINDOWS_ZONES[value.timeZone] ?? value.timeZone;
  const parsed = DateTime.fromISO(value.dateTime, { zone });
  if (!parsed.isValid)
    throw badRequest(`Invalid value for '${field}': unknown time zone '${value.timeZone}' or invalid date.`);
  return parsed.toMillis();
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    return `The property '${issue.keys[0] ?? ''}' does not exist on type 'microsoft.graph.virtualEventTownhall'. Make sure to only use property names that are defined by the type.`;
  }
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `Invalid value for '${where}': ${issue?.message ?? 'invalid'}.`;
}
