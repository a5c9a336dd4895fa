import { randomInt, randomUUID } from 'node:crypto';
import { formatGraphDateTime, type Ticks } from './graph-time';
import { joinInformation, type NegotiatedLanguage } from './join-information';
import type { AttendeeInput, GraphVersion, MeetingInput, MeetingPatchInput } from './meeting-bodies';
import { LOBBY_SCOPES_AFTER_SENTINEL, normalizeThreadId } from './meeting-bodies';

export interface OrganizerInfo {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly upn: string | null;
}

/** A meeting as the stand-in keeps it; rendered per request (version, language) by `renderMeeting`. */
export interface StoredMeeting {
  readonly id: string;
  readonly organizer: OrganizerInfo;
  readonly externalId?: string;
  subject: string | null;
  start: Ticks;
  end: Ticks;
  readonly created: Ticks;
  /** The meeting's own chat thread (`19:meeting_…@thread.v2`), also inside id and joinWebUrl. */
  readonly meetingThreadId: string;
  readonly chatInfo: {
    readonly threadId: string;
    readonly messageId: string;
    readonly replyChainMessageId: string | null;
  };
  readonly joinWebUrl: string;
  readonly joinMeetingId: string;
  readonly passcodeRequired: boolean;
  readonly passcode: string | null;
  readonly conferenceId: string;
  readonly dialinUrl: string;
  readonly videoTeleconferenceId: string;
  attendees: readonly AttendeeInput[];
  settings: Record<string, unknown>;
  readonly isBroadcast: boolean;
  broadcastSettings: Readonly<Record<string, unknown>> | null;
}

const digits = (n: number): string =>
  Array.from({ length: n }, (_, i) => String(randomInt(i === 0 ? 1 : 0, 10))).join('');
const PASSCODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const passcode = (): string =>
  Array.from({ length: 6 }, () => PASSCODE_ALPHABET[randomInt(PASSCODE_ALPHABET.length)]).join('');

export const TOLL_NUMBER = '+14255550100';
export const TOLL_FREE_NUMBER = '+18005550199';

/** id = base64(`1*{organizerOid}*0**{meetingThreadId}`), as Graph's ids decode. Avoids `/` so ids sit in paths. */
function meetingId(organizerOid: string, threadId: string): string {
  return Buffer.from(`1*${organizerOid}*0**${threadId}`, 'utf8').toString('base64');
}

function newMeetingThread(organizerOid: string): { threadId: string; id: string } {
  for (;;) {
    const threadId = `19:meeting_${Buffer.from(randomUUID(), 'utf8').toString('base64url').replace(/[-_]/g, 'x')}@thread.v2`;
    const id = meetingId(organizerOid, threadId);
    if (!/[/+]/.test(id)) return { threadId, id };
  }
}

export function joinWebUrlFor(threadId: string, tenantId: string, organizerOid: string): string {
  const thread = threadId.replace(':', '%3a').replace('@', '%40');
  return `https://teams.microsoft.com/l/meetup-join/${thread}/0?context=%7b%22Tid%22%3a%22${tenantId}%22%2c%22Oid%22%3a%22${organizerOid}%22%7d`;
}

export function newStoredMeeting(input: MeetingInput, organizer: OrganizerInfo, nowTicks: Ticks): StoredMeeting {
  const { threadId, id } = newMeetingThread(organizer.id);
  const conferenceId = digits(9);
  const channel = input.chatThreadId !== undefined && normalizeThreadId(input.chatThreadId) !== undefined;
  return {
    id,
    organizer,
    externalId: input.externalId,
    subject: input.subject ?? null,
    start: input.start,
    end: input.end,
    created: nowTicks,
    meetingThreadId: threadId,
    // Bound to a channel, the meeting's chat is the channel's thread, echoed as the caller wrote it (seed example 2).
    chatInfo: channel
      ? { threadId: input.chatThreadId ?? '', messageId: String(Number(nowTicks / 10_000n)), replyChainMessageId: null }
      : { threadId, messageId: '0', replyChainMessageId: '0' },
    joinWebUrl: joinWebUrlFor(threadId, organizer.tenantId, organizer.id),
    joinMeetingId: digits(12),
    passcodeRequired: input.passcodeRequired,
    passcode: input.passcodeRequired ? passcode() : null,
    conferenceId,
    dialinUrl: `https://dialin.teams.microsoft.com/${randomUUID()}?id=${conferenceId}`,
    videoTeleconferenceId: digits(10),
    attendees: input.attendees ?? [],
    settings: { ...input.settings },
    // "Microsoft Graph online meeting APIs that support Microsoft Teams live events are deprecated and stopped
    // returning data on September 30, 2024" (learn.microsoft.com/graph/api/resources/onlinemeeting?view=graph-rest-1.0):
    // beta still takes isBroadcast/broadcastSettings, but what it makes is a regular meeting with no broadcast data.
    isBroadcast: false,
    broadcastSettings: null,
  };
}

export function applyPatch(meeting: StoredMeeting, patch: MeetingPatchInput): void {
  if (patch.subject !== undefined) meeting.subject = patch.subject;
  if (patch.start !== undefined && patch.end !== undefined) {
    meeting.start = patch.start;
    meeting.end = patch.end;
  }
  if (patch.attendees !== undefined) meeting.attendees = patch.attendees;
  if (patch.broadcastSettings !== undefined && meeting.isBroadcast)
    meeting.broadcastSettings = { ...meeting.broadcastSettings, ...patch.broadcastSettings };
  const lobby = patch.settings['lobbyBypassSettings'] as object | undefined;
  // A complex property in a PATCH updates only the members given (update doc, example 2 sends isDialInBypassEnabled alone).
  const mergedLobby = lobby
    ? { lobbyBypassSettings: { ...(meeting.settings['lobbyBypassSettings'] as object | undefined), ...lobby } }
    : {};
  meeting.settings = { ...meeting.settings, ...patch.settings, ...mergedLobby };
}

export function isInvited(meeting: StoredMeeting, tenantId: string, oid: string): boolean {
  if (meeting.organizer.tenantId !== tenantId) return false;
  return meeting.organizer.id === oid || meeting.attendees.some((a) => a.id === oid);
}

export interface RenderContext {
  readonly version: GraphVersion;
  /** The user in whose collection the meeting is addressed (`users('…')` in @odata.context). */
  readonly userId: string;
  readonly language: NegotiatedLanguage;
  /** The request sent `Prefer: include-unknown-enum-members`. */
  readonly includeUnknownEnumMembers?: boolean;
}

/** Teams' own meeting-options page for a meeting (v1.0 onlineMeetingBase `meetingOptionsWebUrl`, read-only). */
export function meetingOptionsWebUrlFor(meeting: StoredMeeting): string {
  const context = encodeURIComponent(JSON.stringify({ Tid: meeting.organizer.tenantId, Oid: meeting.organizer.id }));
  return `https://teams.microsoft.com/meetingOptions/?organizerId=${meeting.organizer.id}&tenantId=${meeting.organizer.tenantId}&threadId=${encodeURIComponent(meeting.meetingThreadId)}&messageId=0&language=en-US&context=${context}`;
}

const participant = (
  p: { id?: string; tenantId?: string | null; displayName?: string | null; upn?: string | null },
  role: string,
): unknown => ({
  identity: {
    user: {
      id: p.id ?? null,
      displayName: p.displayName ?? null,
      tenantId: p.tenantId ?? null,
      identityProvider: 'AAD',
    },
  },
  role,
  upn: p.upn ?? null,
});

/**
 * Scopes after the evolvable enum's sentinel come back as `unknownFutureValue` unless the client asked for them
 * with `Prefer: include-unknown-enum-members` (lobbybypasssettings.md, v1.0).
 */
function lobbyFor(meeting: StoredMeeting, includeUnknown: boolean): Record<string, unknown> {
  const lobby = {
    scope: 'organization',
    isDialInBypassEnabled: false,
    ...(meeting.settings['lobbyBypassSettings'] as object | undefined),
  };
  if (!includeUnknown && LOBBY_SCOPES_AFTER_SENTINEL.has(lobby.scope)) return { ...lobby, scope: 'unknownFutureValue' };
  return lobby;
}

export function renderMeeting(meeting: StoredMeeting, ctx: RenderContext): Record<string, unknown> {
  const beta = ctx.version === 'beta';
  const body: Record<string, unknown> = {
    '@odata.type': '#microsoft.graph.onlineMeeting',
    '@odata.context': `https://graph.microsoft.com/${ctx.version}/$metadata#users('${ctx.userId}')/onlineMeetings/$entity`,
    id: meeting.id,
    creationDateTime: formatGraphDateTime(meeting.created),
    startDateTime: formatGraphDateTime(meeting.start),
    endDateTime: formatGraphDateTime(meeting.end),
    joinWebUrl: meeting.joinWebUrl,
    subject: meeting.subject,
    videoTeleconferenceId: meeting.videoTeleconferenceId,
    isEntryExitAnnounced: true,
    allowedPresenters: 'everyone',
    allowMeetingChat: 'enabled',
    allowAttendeeToEnableCamera: true,
    allowAttendeeToEnableMic: true,
    recordAutomatically: false,
    ...meeting.settings,
    lobbyBypassSettings: lobbyFor(meeting, ctx.includeUnknownEnumMembers === true),
    meetingOptionsWebUrl: meetingOptionsWebUrlFor(meeting),
    participants: {
      organizer: participant(meeting.organizer, meeting.isBroadcast ? 'producer' : 'presenter'),
      attendees: meeting.attendees.map((a) => participant(a, a.role)),
    },
    joinMeetingIdSettings: {
      isPasscodeRequired: meeting.passcodeRequired,
      joinMeetingId: meeting.joinMeetingId,
      passcode: meeting.passcode,
    },
    // `ConferenceId` with a capital C, as in the seed's responses (the resource docs spell it conferenceId).
    audioConferencing: {
      tollNumber: TOLL_NUMBER,
      tollFreeNumber: TOLL_FREE_NUMBER,
      ConferenceId: meeting.conferenceId,
      dialinUrl: meeting.dialinUrl,
    },
    chatInfo: { ...meeting.chatInfo },
    joinInformation: joinInformation(
      {
        joinWebUrl: meeting.joinWebUrl,
        tollNumber: TOLL_NUMBER,
        conferenceId: meeting.conferenceId,
        dialinUrl: meeting.dialinUrl,
        organizerId: meeting.organizer.id,
        tenantId: meeting.organizer.tenantId,
        threadId: meeting.meetingThreadId,
      },
      ctx.language,
    ),
  };
  if (beta) {
    body['autoAdmittedUsers'] = 'everyoneInCompany';
    body['isBroadcast'] = meeting.isBroadcast;
    body['broadcastSettings'] = meeting.broadcastSettings;
    body['externalId'] = meeting.externalId ?? null;
  }
  return body;
}
