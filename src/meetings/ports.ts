import type { Attendee, MeetingOptions, MeetingRequest, OnlineMeeting, UserRef } from './types';

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
export interface CreateMeetingBody extends Pick<
  MeetingRequest,
  'subject' | 'startDateTime' | 'endDateTime' | 'passcode' | 'live' | 'attendees'
> {
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
  createTownhall(
    caller: GraphCaller,
    body: CreateTownhallBody,
    options?: GatewayCallOptions,
  ): Promise<{ readonly id: string }>;
  /** POST …/townhalls/{id}/publish (draft → published). */
  publishTownhall(caller: GraphCaller, id: string, options?: GatewayCallOptions): Promise<void>;
  /** GET …/townhalls/{id}/sessions: the published town hall's session join link, or undefined when it has none yet. */
  getTownhallJoinUrl(caller: GraphCaller, id: string, options?: GatewayCallOptions): Promise<string | undefined>;
  /** POST …/townhalls/{id}/cancel (permanent). */
  cancelTownhall(caller: GraphCaller, id: string, options?: GatewayCallOptions): Promise<void>;
}

/** The caller for a town hall call: delegated with VirtualEvent.ReadWrite. Throws ConsentRequiredError or TownhallApplicationModeError. */
export type TownhallCallerFor = (user: UserRef) => Promise<GraphCaller>;

// harden-state: the claim port (storage/claims.ts implements it: owner + lease over compare-and-set).
/** A key held by this caller: settle it with the outcome, or release it so the work can be tried again. */
export interface HeldClaim<T> {
  readonly key: string;
  readonly owner: string;
  /** True once another owner took the key over (this one's lease had lapsed): its settle/release do nothing. */
  readonly lost: boolean;
  /**
   * Records the outcome (kept for `keepInMs`, default the claim's `ttlInMs`) and stops renewing. False when the
   * claim was lost meanwhile.
   */
  settle(outcome: T, keepInMs?: number): Promise<boolean>;
  /** Frees the key for the next claimant and stops renewing. */
  release(): Promise<void>;
  /** Extends the lease now (the renewal timer calls this). False when the claim was lost. */
  renew(): Promise<boolean>;
}

export type ClaimAttempt<T> =
  | { readonly kind: 'claimed'; readonly claim: HeldClaim<T> }
  | { readonly kind: 'settled'; readonly outcome: T }
  /** Another owner holds the key and its lease is current. */
  | { readonly kind: 'held'; readonly owner: string; readonly leaseUntil: number }
  /**
   * The holder's lease lapsed (it crashed or lost its storage): whatever it did is unknown. Returned only with
   * `abandoned: 'report'`; `settle` records an outcome in its place (false when someone else got there first).
   */
  | { readonly kind: 'abandoned'; readonly owner: string; settle(outcome: T): Promise<boolean> };

export interface ClaimOptions<T = unknown> {
  /** How long a settled outcome (and the key) is kept. */
  readonly ttlInMs: number;
  /**
   * What to do with a claim whose holder's lease lapsed: `take` it over (the work is safe to repeat), or `report`
   * it to the caller (the work may have had an effect that must not happen twice, e.g. a POST create).
   */
  readonly abandoned?: 'take' | 'report';
  /**
   * Reads a value some earlier code wrote under the same key (before this helper): its outcome if it says the
   * work was done, else undefined (the key is then treated as free). Lets instances of both versions share a Redis.
   */
  readonly legacy?: (value: unknown) => T | undefined;
}

export interface AwaitOptions<T = unknown> extends ClaimOptions<T> {
  /** How long to wait for another holder to settle before answering `held`. */
  readonly waitInMs: number;
}

/** Claim-once / await-settled (storage/claims.ts). */
export interface ClaimsPort {
  claim<T>(key: string, options: ClaimOptions<T>): Promise<ClaimAttempt<T>>;
  claimOrAwait<T>(key: string, options: AwaitOptions<T>): Promise<ClaimAttempt<T>>;
  awaitSettled<T>(
    key: string,
    waitInMs: number,
  ): Promise<{ readonly kind: 'settled'; readonly outcome: T } | { readonly kind: 'held' } | { readonly kind: 'free' }>;
}
