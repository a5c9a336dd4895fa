/** Domain types. Plain data (ISO strings, not Dates) so they serialize into storage unchanged. No SDK imports. */

/** A Teams user as Entra knows them: the key for tokens, idempotency and authorization. */
export interface UserRef {
  readonly tenantId: string;
  readonly aadObjectId: string;
}

export type AttendeeRole = 'attendee' | 'presenter';

export interface Attendee {
  readonly aadObjectId: string;
  readonly displayName: string;
  readonly upn?: string;
  /** The role Graph is asked for (after demotion). */
  readonly role: AttendeeRole;
  /** Set when the command asked for presenter but Graph can't give it (user outside the tenant's Entra ID). */
  readonly demotedFromPresenter?: boolean;
  /** Their Teams MRI (`29:…`), when known: the card refreshes for them so they read times in their own zone. */
  readonly teamsId?: string;
}

// whole-chat (#15): meeting options, in Graph v1.0's own terms (onlineMeeting resource, lobbyBypassSettings).
/** Who goes straight in (Graph `lobbyBypassSettings.scope`); `invited` needs `Prefer: include-unknown-enum-members`. */
export type LobbyScope =
  'organizer' | 'organization' | 'organizationAndFederated' | 'everyone' | 'invited' | 'organizationExcludingGuests';
export type AllowedPresenters = 'everyone' | 'organization' | 'roleIsPresenter' | 'organizer';
export type MeetingChatMode = 'enabled' | 'disabled' | 'limited';

/** Options a user may ask for; absent fields mean "as Teams' default". */
export interface MeetingOptions {
  readonly lobbyScope?: LobbyScope;
  readonly dialInBypassesLobby?: boolean;
  readonly allowedPresenters?: AllowedPresenters;
  readonly recordAutomatically?: boolean;
  readonly allowMeetingChat?: MeetingChatMode;
}

/** What the user asked for, after parsing and validation. */
export interface MeetingRequest {
  readonly subject: string;
  /** ISO 8601 with offset (UTC `Z` is fine). */
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly passcode: boolean;
  readonly live: boolean;
  readonly attendees: readonly Attendee[];
  /** Channel id (`19:…@thread.tacv2`, without `;messageid=`) when the meeting belongs to a channel. */
  readonly channelThreadId?: string;
  /** BCP 47 locale of the user (e.g. `en-US`, `zh-CN`, `ja-JP`). */
  readonly locale: string;
  /** IANA time zone of the user. */
  readonly timeZone: string;
  /** Meeting options asked for in words or the form; set by PATCH right after createOrGet. */
  readonly options?: MeetingOptions;
  /** `with everyone`: the chat's roster was invited; set when the roster was longer than Convene invites. */
  readonly rosterTruncatedAt?: number;
}

export interface DialIn {
  readonly tollNumber?: string;
  readonly tollFreeNumber?: string;
  readonly conferenceId?: string;
  readonly dialinUrl?: string;
}

export interface MeetingParticipant {
  readonly id: string;
  readonly displayName?: string;
  readonly tenantId?: string;
  readonly upn?: string;
  readonly role?: string;
}

/** An onlineMeeting as Convene uses it (mapped from Graph's resource at the edge). */
export interface OnlineMeeting {
  readonly id: string;
  readonly externalId?: string;
  readonly subject: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly joinWebUrl: string;
  readonly joinMeetingId?: string;
  readonly passcode?: string;
  readonly isPasscodeRequired: boolean;
  readonly dialIn?: DialIn;
  readonly organizer: MeetingParticipant;
  readonly attendees: readonly MeetingParticipant[];
  /** The meeting chat's thread, or the channel's when bound to one. */
  readonly chatThreadId?: string;
  readonly isBroadcast: boolean;
  /** The meeting's options as Graph reports them (unknown values left out). */
  readonly options?: MeetingOptions;
  /** Teams' own meeting options page. */
  readonly meetingOptionsWebUrl?: string;
}

export type MeetingState = 'active' | 'cancelled';

/** What Convene remembers about a meeting it created (card buttons, refresh, recent meetings, .ics). */
export interface MeetingRecord {
  /**
   * `townhall`: a Teams town hall (Graph virtualEvents/townhalls); `meeting.id` is the town hall's id and
   * `meeting.joinWebUrl` its session's attendee link. Absent: an onlineMeeting.
   */
  readonly kind?: 'townhall';
  readonly meeting: OnlineMeeting;
  readonly organizer: UserRef;
  readonly organizerName: string;
  readonly request: MeetingRequest;
  readonly state: MeetingState;
  /** Bumped on every change; card actions carry it so stale double clicks are recognised. */
  readonly version: number;
  /** True when a channel was asked for but Graph refused the binding and the meeting was created unbound. */
  readonly channelBindingFallback: boolean;
  /** Where the card was posted (opaque to the domain: a Bot Framework conversation reference). */
  readonly conversation?: unknown;
  readonly cardActivityId?: string;
  /** The organizer's Teams MRI (`29:…`): the card's `refresh.userIds`, so Teams refreshes their view automatically. */
  readonly organizerTeamsId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}
