import type { CreateMeetingBody } from '../meetings/ports';
import type { Attendee } from '../meetings/types';

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

export function createMeetingRequest(body: CreateMeetingBody): Record<string, unknown> {
  return {
    ...commonFields(body),
    ...(body.passcode ? { joinMeetingIdSettings: { isPasscodeRequired: true } } : {}),
    ...(body.live
      ? {
          isBroadcast: true,
          broadcastSettings: { allowedAudience: 'organization', isRecordingEnabled: true, isAttendeeReportEnabled: true },
        }
      : {}),
  };
}

/** createOrGet accepts only externalId, subject, times, participants and (beta) chatInfo. */
export function createOrGetRequest(body: CreateMeetingBody & { readonly externalId: string }): Record<string, unknown> {
  return { externalId: body.externalId, ...commonFields(body) };
}
