import type { MeetingCardView } from '../cards';
import type { MeetingRecord } from '../meetings/types';
import { meetingKeyFor } from '../meetings/idempotency';

const MAX_REFRESH_USERS = 60;

function refreshUsers(record: MeetingRecord): string[] {
  const ids = [record.organizerTeamsId, ...record.request.attendees.map((a) => a.teamsId)];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))].slice(0, MAX_REFRESH_USERS);
}

/** Maps a stored meeting to the card's view model for one audience. */
export function meetingCardView(
  record: MeetingRecord,
  options: { locale: string; timeZone: string; audience: 'organizer' | 'everyone'; botEndpoint: string; notice?: string; icsUrl?: string },
): MeetingCardView {
  const m = record.meeting;
  return {
    locale: options.locale,
    timeZone: options.timeZone,
    subject: m.subject,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    joinWebUrl: m.joinWebUrl,
    ...(m.joinMeetingId ? { joinMeetingId: m.joinMeetingId } : {}),
    ...(m.passcode ? { passcode: m.passcode } : {}),
    ...(m.dialIn ? { dialIn: m.dialIn } : {}),
    organizerName: record.organizerName,
    attendees: record.request.attendees.map((a) => ({
      displayName: a.displayName,
      role: a.role,
      ...(a.demotedFromPresenter ? { demotedFromPresenter: true } : {}),
    })),
    channelBound: record.request.channelThreadId !== undefined && !record.channelBindingFallback,
    channelBindingFallback: record.channelBindingFallback,
    isBroadcast: m.isBroadcast,
    ...(options.icsUrl ? { icsUrl: options.icsUrl } : {}),
    state: record.state,
    audience: options.audience,
    actionData: { meetingKey: meetingKeyFor(m.id), version: record.version },
    // The organizer's MRI: Teams refreshes their copy automatically and swaps in their organizer view. The invitees'
    // MRIs too (Teams refreshes at most 60 named users): each then reads the card in their own time zone.
    refreshUserIds: refreshUsers(record),
    ...(options.notice ? { notice: options.notice } : {}),
    ...(m.options ? { options: m.options } : {}),
    ...(m.meetingOptionsWebUrl ? { meetingOptionsWebUrl: m.meetingOptionsWebUrl } : {}),
    ...(record.request.rosterTruncatedAt ? { rosterTruncatedAt: record.request.rosterTruncatedAt } : {}),
  };
}
