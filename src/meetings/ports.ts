import type { Attendee, MeetingOptions, OnlineMeeting } from './types';

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

export interface CreateMeetingBody {
  readonly subject: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly passcode: boolean;
  readonly live: boolean;
  readonly attendees: readonly Attendee[];
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
