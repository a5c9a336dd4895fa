import type { Attendee, MeetingOptions, MeetingRequest, OnlineMeeting } from './types';

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

/** Who Graph is called as. Tokens live only for the duration of one call chain; never store or log them. */
export type GraphCaller =
  | { readonly mode: 'delegated'; readonly accessToken: string }
  | { readonly mode: 'application'; readonly accessToken: string; readonly userId: string };

/** What Graph is asked to create: the request's meeting fields, and the channel to bind it to. */
export interface CreateMeetingBody extends Pick<MeetingRequest, 'subject' | 'startDateTime' | 'endDateTime' | 'passcode' | 'live' | 'attendees'> {
  /** Raw channel id; the gateway sends it as `chatInfo.threadId`. */
  readonly chatThreadId?: string;
  /** Only a plain POST carries these; after createOrGet they go in a PATCH. */
  readonly options?: MeetingOptions;
}

export interface MeetingPatch {
  readonly subject?: string;
  /** Graph requires start and end together. */
  readonly startDateTime?: string;
  readonly endDateTime?: string;
  /** Sent as the v1.0 fields (lobbyBypassSettings, allowedPresenters, recordAutomatically, allowMeetingChat). */
  readonly options?: MeetingOptions;
  /** The full attendee list, required by Graph with allowedPresenters `roleIsPresenter`. */
  readonly attendees?: readonly Attendee[];
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
