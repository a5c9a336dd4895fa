import type { Attendee, MeetingRequest, OnlineMeeting, UserRef } from './types';

/** A stored value and its version tag. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/**
 * The storage port (implemented in src/storage/). Everything that must survive a restart or be shared between instances goes through this interface.
 * Values are JSON-serializable. Writes that guard against duplicates use compareAndSet, never read-then-write.
 * Implementations throw AppError('storage_unavailable') when the backend can't be reached.
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Writes `value` only if the key's current etag equals `expectedEtag` (`null`: only if the key is absent).
   * Returns the new etag, or `undefined` when another writer got there first.
   */
  compareAndSet<T>(key: string, value: T, expectedEtag: string | null, ttlInMs?: number): Promise<string | undefined>;
  /** Unconditional write. */
  set<T>(key: string, value: T, ttlInMs?: number): Promise<string>;
  delete(key: string): Promise<void>;
  /** Resolves when the backend answers; used by /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}


/** Milliseconds since the epoch. Injected so tests run under a fixed clock. */
export interface Clock {
  now(): number;
}

export interface IdGenerator {
  newId(): string;
}

/**
 * What a Graph token is for: onlineMeetings (`OnlineMeetings.ReadWrite`) or town halls (`VirtualEvent.ReadWrite`,
 * delegated only). Each call asks for its own scope, so nobody consents to town halls before making one.
 */
export type GraphAccess = 'meetings' | 'townhalls';

/** Who Graph is called as. Tokens live only for the duration of one call chain; never store or log them. */
export type GraphCaller =
  | { readonly mode: 'delegated'; readonly accessToken: string }
  | { readonly mode: 'application'; readonly accessToken: string; readonly userId: string };

/** What Graph is asked to create: the request's meeting fields, and the channel to bind it to. */
export interface CreateMeetingBody extends Pick<MeetingRequest, 'subject' | 'startDateTime' | 'endDateTime' | 'passcode' | 'live' | 'attendees'> {
  /** Raw channel id; the gateway sends it as `chatInfo.threadId`. */
  readonly chatThreadId?: string;
}

export interface MeetingPatch {
  readonly subject?: string;
  /** Graph requires start and end together. */
  readonly startDateTime?: string;
  readonly endDateTime?: string;
}

export interface GatewayCallOptions {
  /** The user's locale, sent as Accept-Language. */
  readonly locale?: string;
  /** Absolute time (Clock ms) after which no retry starts; keeps the turn inside Teams' limits. */
  readonly deadline?: number;
}

/**
 * Microsoft Graph onlineMeetings. Every failure is a GraphRequestError with a code
 * (graph_throttled, graph_forbidden, graph_not_found, graph_bad_request, graph_unavailable, graph_timeout,
 * live_events_unsupported, channel_binding_refused). 429/503/504 are retried inside the deadline.
 */
export interface MeetingsGateway {
  /** POST …/onlineMeetings. Not idempotent: callers guard it with a de-duplication record. */
  createMeeting(caller: GraphCaller, body: CreateMeetingBody, options?: GatewayCallOptions): Promise<OnlineMeeting>;
  /** POST …/onlineMeetings/createOrGet: idempotent per (tenant, user, externalId). Refuses passcode/live bodies. */
  createOrGetMeeting(
    caller: GraphCaller,
    body: CreateMeetingBody & { readonly externalId: string },
    options?: GatewayCallOptions,
  ): Promise<{ readonly meeting: OnlineMeeting; readonly created: boolean }>;
  getMeeting(caller: GraphCaller, meetingId: string, options?: GatewayCallOptions): Promise<OnlineMeeting>;
  updateMeeting(
    caller: GraphCaller,
    meetingId: string,
    patch: MeetingPatch,
    options?: GatewayCallOptions,
  ): Promise<OnlineMeeting>;
  deleteMeeting(caller: GraphCaller, meetingId: string, options?: GatewayCallOptions): Promise<void>;
}

/** A town hall request (docs: virtualeventsroot-post-townhalls, v1.0). */
export interface CreateTownhallBody {
  readonly subject: string;
  /** ISO 8601 instants; the gateway sends them as dateTimeTimeZone in UTC. */
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly audience: 'organization' | 'everyone';
  /** People @mentioned: the town hall's co-organizers (communicationsUserIdentity). */
  readonly coOrganizers: readonly Attendee[];
}

/**
 * Microsoft Graph town halls (solutions/virtualEvents/townhalls, v1.0, delegated VirtualEvent.ReadWrite only).
 * Failures are GraphRequestErrors; a refusal (403: no licence, no permission) is `townhall_refused`.
 */
export interface TownhallsGateway {
  /** POST …/townhalls: a draft. Not idempotent: only 429 is retried; a timeout leaves the outcome unknown. */
  createTownhall(caller: GraphCaller, body: CreateTownhallBody, options?: GatewayCallOptions): Promise<{ readonly id: string }>;
  /** POST …/townhalls/{id}/publish (draft → published). */
  publishTownhall(caller: GraphCaller, id: string, options?: GatewayCallOptions): Promise<void>;
  /** GET …/townhalls/{id}/sessions: the published town hall's session join link, or undefined when it has none yet. */
  getTownhallJoinUrl(caller: GraphCaller, id: string, options?: GatewayCallOptions): Promise<string | undefined>;
  /** POST …/townhalls/{id}/cancel (permanent). */
  cancelTownhall(caller: GraphCaller, id: string, options?: GatewayCallOptions): Promise<void>;
}

/** The caller for a town hall call: delegated with VirtualEvent.ReadWrite. Throws ConsentRequiredError or TownhallApplicationModeError. */
export type TownhallCallerFor = (user: UserRef) => Promise<GraphCaller>;
