import { z } from 'zod';
import type { MeetingOptions, MeetingParticipant, OnlineMeeting } from '../meetings/types';

/**
 * The part of Graph's onlineMeeting resource Convene reads. Unknown fields are ignored; nullable fields are
 * accepted as null because Graph sends explicit nulls (passcode, displayName, replyChainMessageId…).
 */
const participantInfo = z.object({
  identity: z
    .object({
      user: z
        .object({ id: z.string().nullish(), displayName: z.string().nullish(), tenantId: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  upn: z.string().nullish(),
  role: z.string().nullish(),
});

export const graphOnlineMeetingSchema = z.object({
  id: z.string().min(1),
  externalId: z.string().nullish(),
  subject: z.string().nullish(),
  startDateTime: z.string(),
  endDateTime: z.string(),
  joinWebUrl: z.string().min(1),
  joinMeetingIdSettings: z
    .object({
      isPasscodeRequired: z.boolean().nullish(),
      joinMeetingId: z.string().nullish(),
      passcode: z.string().nullish(),
    })
    .nullish(),
  // The seed's responses spell it `ConferenceId`; the resource docs `conferenceId`. Accept both.
  audioConferencing: z
    .object({
      tollNumber: z.string().nullish(),
      tollFreeNumber: z.string().nullish(),
      conferenceId: z.string().nullish(),
      ConferenceId: z.string().nullish(),
      dialinUrl: z.string().nullish(),
    })
    .nullish(),
  chatInfo: z.object({ threadId: z.string().nullish() }).nullish(),
  participants: z
    .object({ organizer: participantInfo.nullish(), attendees: z.array(participantInfo).nullish() })
    .nullish(),
  isBroadcast: z.boolean().nullish(),
  // Evolvable enums: a value Convene doesn't know (unknownFutureValue, a newer member) is read as "not set".
  lobbyBypassSettings: z
    .object({ scope: z.string().nullish(), isDialInBypassEnabled: z.boolean().nullish() })
    .nullish(),
  allowedPresenters: z.string().nullish(),
  recordAutomatically: z.boolean().nullish(),
  allowMeetingChat: z.string().nullish(),
  meetingOptionsWebUrl: z.string().nullish(),
});

const LOBBY_SCOPES = [
  'organizer',
  'organization',
  'organizationAndFederated',
  'everyone',
  'invited',
  'organizationExcludingGuests',
] as const;
const PRESENTERS = ['everyone', 'organization', 'roleIsPresenter', 'organizer'] as const;
const CHAT_MODES = ['enabled', 'disabled', 'limited'] as const;

function oneOf<T extends string>(values: readonly T[], value: string | null | undefined): T | undefined {
  return values.find((v) => v === value);
}

export type GraphOnlineMeeting = z.infer<typeof graphOnlineMeetingSchema>;

const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

function toParticipant(p: z.infer<typeof participantInfo> | null | undefined): MeetingParticipant | undefined {
  const id = p?.identity?.user?.id;
  if (!p || !id) return undefined;
  return {
    id,
    displayName: orUndefined(p.identity?.user?.displayName),
    tenantId: orUndefined(p.identity?.user?.tenantId),
    upn: orUndefined(p.upn),
    role: orUndefined(p.role),
  };
}

function toOptions(g: z.infer<typeof graphOnlineMeetingSchema>): MeetingOptions {
  const lobbyScope = oneOf(LOBBY_SCOPES, g.lobbyBypassSettings?.scope);
  const allowedPresenters = oneOf(PRESENTERS, g.allowedPresenters);
  const allowMeetingChat = oneOf(CHAT_MODES, g.allowMeetingChat);
  const dial = g.lobbyBypassSettings?.isDialInBypassEnabled;
  return {
    ...(lobbyScope ? { lobbyScope } : {}),
    ...(typeof dial === 'boolean' ? { dialInBypassesLobby: dial } : {}),
    ...(allowedPresenters ? { allowedPresenters } : {}),
    ...(typeof g.recordAutomatically === 'boolean' ? { recordAutomatically: g.recordAutomatically } : {}),
    ...(allowMeetingChat ? { allowMeetingChat } : {}),
  };
}

/** Graph resource → Convene's OnlineMeeting. Throws ZodError when the body is not an onlineMeeting. */
export function toOnlineMeeting(body: unknown): OnlineMeeting {
  const g = graphOnlineMeetingSchema.parse(body);
  const audio = g.audioConferencing;
  const conferenceId = orUndefined(audio?.conferenceId ?? audio?.ConferenceId);
  const dialIn = audio
    ? {
        tollNumber: orUndefined(audio.tollNumber),
        tollFreeNumber: orUndefined(audio.tollFreeNumber),
        conferenceId,
        dialinUrl: orUndefined(audio.dialinUrl),
      }
    : undefined;
  const attendees = (g.participants?.attendees ?? [])
    .map(toParticipant)
    .filter((p): p is MeetingParticipant => p !== undefined);
  return {
    id: g.id,
    externalId: orUndefined(g.externalId),
    subject: g.subject ?? '',
    startDateTime: g.startDateTime,
    endDateTime: g.endDateTime,
    joinWebUrl: g.joinWebUrl,
    joinMeetingId: orUndefined(g.joinMeetingIdSettings?.joinMeetingId),
    passcode: orUndefined(g.joinMeetingIdSettings?.passcode),
    isPasscodeRequired: g.joinMeetingIdSettings?.isPasscodeRequired ?? false,
    dialIn,
    organizer: toParticipant(g.participants?.organizer) ?? { id: '' },
    attendees,
    chatThreadId: orUndefined(g.chatInfo?.threadId),
    isBroadcast: g.isBroadcast ?? false,
    options: toOptions(g),
    ...(g.meetingOptionsWebUrl ? { meetingOptionsWebUrl: g.meetingOptionsWebUrl } : {}),
  };
}
