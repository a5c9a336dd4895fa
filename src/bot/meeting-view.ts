import {
  renderMeetingCard,
  renderTownhallCard,
  type AdaptiveCard,
  type MeetingCardView,
  type TownhallCardView,
} from '../cards';
import { t } from '../i18n';
import type { MeetingRecord } from '../meetings/types';
import { meetingKeyFor } from '../meetings/idempotency';

const MAX_REFRESH_USERS = 60;

function refreshUsers(record: MeetingRecord): string[] {
  const ids = [record.organizerTeamsId, ...record.request.attendees.map((a) => a.teamsId)];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))].slice(
    0,
    MAX_REFRESH_USERS,
  );
}

export interface CardViewOptions {
  readonly locale: string;
  readonly timeZone: string;
  readonly audience: 'organizer' | 'everyone';
  readonly botEndpoint: string;
  readonly notice?: string;
  readonly icsUrl?: string;
}

/** The card for a record: the town hall card for a town hall, the meeting card otherwise. */
export function renderRecordCard(record: MeetingRecord, options: CardViewOptions): AdaptiveCard {
  return record.kind === 'townhall'
    ? renderTownhallCard(townhallCardView(record, options))
    : renderMeetingCard(meetingCardView(record, options));
}

/** What both kinds of card show first: the subject, the time in the reader's zone and language, the join link. */
function whatAndWhen(record: MeetingRecord, options: CardViewOptions) {
  const m = record.meeting;
  return {
    locale: options.locale,
    timeZone: options.timeZone,
    subject: m.subject,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    joinWebUrl: m.joinWebUrl,
  };
}

export function townhallCardView(record: MeetingRecord, options: CardViewOptions): TownhallCardView {
  const m = record.meeting;
  return {
    ...whatAndWhen(record, options),
    organizerName: record.organizerName,
    coOrganizers: record.request.attendees.map((a) => a.displayName),
    state: record.state,
    audience: options.audience,
    actionData: { meetingKey: meetingKeyFor(m.id), version: record.version },
    refreshUserIds: record.organizerTeamsId ? [record.organizerTeamsId] : [],
    ...(options.notice ? { notice: options.notice } : {}),
  };
}

/** Maps a stored meeting to the card's view model for one audience. */
export function meetingCardView(record: MeetingRecord, options: CardViewOptions): MeetingCardView {
  const m = record.meeting;
  // LIVE_MEETINGS=broadcast: Graph took isBroadcast but made a regular meeting (no broadcast data since 2024-09-30).
  const notice =
    options.notice ??
    (record.request.live && !m.isBroadcast ? t(options.locale, 'meeting.liveEventNotMade') : undefined);
  return {
    ...whatAndWhen(record, options),
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
    ...(notice ? { notice } : {}),
    ...(m.options ? { options: m.options } : {}),
    ...(m.meetingOptionsWebUrl ? { meetingOptionsWebUrl: m.meetingOptionsWebUrl } : {}),
    ...(record.request.rosterTruncatedAt ? { rosterTruncatedAt: record.request.rosterTruncatedAt } : {}),
  };
}
