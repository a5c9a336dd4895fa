import type { CreateMeetingBody, MeetingPatch } from '../meetings/ports';
import type { Attendee, MeetingOptions } from '../meetings/types';

/** Graph request bodies built from Convene's port types (docs: onlinemeeting create, createOrGet). */

function attendeeBody(a: Attendee): Record<string, unknown> {
  return {
    identity: { user: { id: a.aadObjectId, displayName: a.displayName } },
    ...(a.upn === undefined ? {} : { upn: a.upn }),
    role: a.role,
  };
}

function commonFields(body: CreateMeetingBody): Record<string, unknown> {
  return {
    subject: body.subject,
    startDateTime: body.startDateTime,
    endDateTime: body.endDateTime,
    ...(body.attendees.length > 0 ? { participants: { attendees: body.attendees.map(attendeeBody) } } : {}),
    // The raw channel id; Graph also accepts it percent-encoded (seed example 2), but raw is what Teams gives us.
    ...(body.chatThreadId === undefined ? {} : { chatInfo: { threadId: body.chatThreadId } }),
  };
}

/**
 * Meeting options as the v1.0 fields (learn.microsoft.com/graph/api/onlinemeeting-update?view=graph-rest-1.0).
 * `roleIsPresenter` must come with the full attendee list naming the presenters (onlineMeeting resource, tip).
 */
export function optionFields(
  options: MeetingOptions | undefined,
  attendees: readonly Attendee[] = [],
): Record<string, unknown> {
  if (!options) return {};
  const lobby = {
    ...(options.lobbyScope === undefined ? {} : { scope: options.lobbyScope }),
    ...(options.dialInBypassesLobby === undefined ? {} : { isDialInBypassEnabled: options.dialInBypassesLobby }),
  };
  return {
    ...(Object.keys(lobby).length > 0 ? { lobbyBypassSettings: lobby } : {}),
    ...(options.allowedPresenters === undefined ? {} : { allowedPresenters: options.allowedPresenters }),
    ...(options.allowedPresenters === 'roleIsPresenter'
      ? { participants: { attendees: attendees.map(attendeeBody) } }
      : {}),
    ...(options.recordAutomatically === undefined ? {} : { recordAutomatically: options.recordAutomatically }),
    ...(options.allowMeetingChat === undefined ? {} : { allowMeetingChat: options.allowMeetingChat }),
  };
}

export function updateRequest(patch: MeetingPatch): Record<string, unknown> {
  return {
    ...(patch.subject === undefined ? {} : { subject: patch.subject }),
    ...(patch.startDateTime === undefined ? {} : { startDateTime: patch.startDateTime }),
    ...(patch.endDateTime === undefined ? {} : { endDateTime: patch.endDateTime }),
    ...optionFields(patch.options, patch.attendees),
  };
}

export function createMeetingRequest(body: CreateMeetingBody): Record<string, unknown> {
  return {
    ...commonFields(body),
    ...optionFields(body.options, body.attendees),
    ...(body.passcode ? { joinMeetingIdSettings: { isPasscodeRequired: true } } : {}),
    ...(body.live
      ? {
          isBroadcast: true,
          broadcastSettings: {
            allowedAudience: 'organization',
            isRecordingEnabled: true,
            isAttendeeReportEnabled: true,
          },
        }
      : {}),
  };
}

/** createOrGet accepts only externalId, subject, times, participants and (beta) chatInfo. */
export function createOrGetRequest(body: CreateMeetingBody & { readonly externalId: string }): Record<string, unknown> {
  return { externalId: body.externalId, ...commonFields(body) };
}
