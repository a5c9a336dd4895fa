import { DateTime } from 'luxon';
import { formatMeetingTime, normalizeLocale, safeTimeZone, t, type StringKey, type SupportedLocale } from '../i18n/index.js';
import type { AttendeeRole, DialIn } from '../meetings/types.js';
import { groupDigits, html, md, plain, safeUrl } from './escape.js';
import { cardBytes, compileTemplate } from './template.js';
import { ADAPTIVE_CARD_SCHEMA, MAX_CARD_BYTES, type ActionData, type AdaptiveCard, type ExecuteAction } from './types.js';

export interface MeetingCardAttendee {
  readonly displayName: string;
  readonly role: AttendeeRole;
  readonly demotedFromPresenter?: boolean;
}

/** Identifies the meeting and the record version a button was pressed on (stale clicks are recognised). */
export interface MeetingActionData {
  readonly meetingKey: string;
  readonly version: number;
}

export interface MeetingCardView {
  readonly locale: string;
  readonly timeZone: string;
  readonly subject: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly joinWebUrl: string;
  readonly joinMeetingId?: string;
  readonly passcode?: string;
  readonly dialIn?: DialIn;
  readonly organizerName: string;
  readonly attendees: readonly MeetingCardAttendee[];
  readonly channelBound: boolean;
  /** A channel was asked for but Graph refused; the card says the meeting is not tied to the channel. */
  readonly channelBindingFallback: boolean;
  readonly isBroadcast: boolean;
  readonly icsUrl?: string;
  readonly state: 'active' | 'cancelled';
  readonly audience: 'organizer' | 'everyone';
  readonly actionData: MeetingActionData;
  /** MRIs that get the automatic refresh (the organizer's); at most 60 are sent. */
  readonly refreshUserIds: readonly string[];
  /** A localized line shown above the title (e.g. t(locale, 'meeting.rescheduled')); plain text, escaped here. */
  readonly notice?: string;
}

/** Verbs of the meeting card's Action.Execute buttons (the `adaptiveCard/action` router's keys). */
export const MEETING_CARD_VERBS = ['reschedule', 'rename', 'cancel', 'refresh', 'newLike', 'manage'] as const;
export type MeetingCardVerb = (typeof MEETING_CARD_VERBS)[number];

/**
 * Input ids inside the organizer's ShowCards. Ids are unique per card, so each form has its own; Teams merges the
 * values into `action.data` next to `meetingKey` and `version`. Dates are yyyy-MM-dd and times HH:mm in the
 * user's time zone; durations are minutes.
 */
export const MEETING_CARD_INPUTS = {
  reschedule: { date: 'rescheduleDate', time: 'rescheduleTime', duration: 'rescheduleDuration' },
  rename: { subject: 'renameSubject' },
  newLike: { date: 'newLikeDate', time: 'newLikeTime', duration: 'newLikeDuration' },
} as const;

const MAX_REFRESH_USERS = 60;
const MAX_SUBJECT = 250;
const MAX_NAME = 100;

interface Fact { readonly title: string; readonly value: string }
interface AttendeeLine { readonly line: string }

interface MeetingCardData {
  readonly fallbackText: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly title: string;
  readonly cancelled: boolean;
  readonly cancelledNote: string;
  readonly when: string;
  readonly hasJoin: boolean;
  readonly joinTitle: string;
  readonly joinUrl: string;
  readonly hasIcs: boolean;
  readonly icsTitle: string;
  readonly icsUrl: string;
  readonly facts: readonly Fact[];
  readonly hasDialIn: boolean;
  readonly dialInTitle: string;
  readonly dialFacts: readonly Fact[];
  readonly hasDialinUrl: boolean;
  readonly dialinUrl: string;
  readonly findLocalNumber: string;
  readonly hasAttendees: boolean;
  readonly invitedTitle: string;
  readonly attendees: readonly AttendeeLine[];
  readonly hasMore: boolean;
  readonly more: string;
  readonly hasChannelNote: boolean;
  readonly channelNote: string;
  readonly hasLiveNote: boolean;
  readonly liveNote: string;
  readonly organizerActions: boolean;
  readonly sharedActions: boolean;
  readonly hasRefresh: boolean;
  readonly refreshUserIds: readonly string[];
  readonly actionData: ActionData;
  readonly submit: Readonly<Record<MeetingCardVerb, ActionData>>;
  readonly l: Readonly<Record<LabelKey, string>>;
  readonly required: string;
  readonly form: {
    readonly date: string;
    readonly time: string;
    readonly duration: number;
    readonly subject: string;
  };
}

const LABELS = [
  'meeting.reschedule', 'meeting.rename', 'meeting.cancel', 'meeting.refresh', 'meeting.newLike', 'meeting.date',
  'meeting.time', 'meeting.duration', 'meeting.subject', 'meeting.save', 'meeting.create', 'meeting.cancelConfirm',
  'meeting.cancelYes', 'meeting.manage',
] as const satisfies readonly StringKey[];
type LabelKey = (typeof LABELS)[number] extends `meeting.${infer K}` ? K : never;

/** An Action.Execute with the Action.Submit fallback clients without Universal Actions need. */
function execute(verb: MeetingCardVerb, title: string, style?: 'positive' | 'destructive'): ExecuteAction {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: '${actionData}',
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title, data: `\${submit.${verb}}` },
  };
}

export const MEETING_CARD_TEMPLATE: AdaptiveCard = {
  type: 'AdaptiveCard',
  $schema: ADAPTIVE_CARD_SCHEMA,
  version: '1.5',
  fallbackText: '${fallbackText}',
  refresh: {
    $when: '${hasRefresh}',
    action: { type: 'Action.Execute', verb: 'refresh', data: '${actionData}' },
    userIds: '${refreshUserIds}',
  },
  body: [
    { type: 'TextBlock', $when: '${hasNotice}', text: '${notice}', color: 'accent', weight: 'bolder', size: 'small', wrap: true },
    { type: 'TextBlock', text: '${title}', style: 'heading', size: 'large', weight: 'bolder', wrap: true, spacing: 'small' },
    { type: 'TextBlock', $when: '${cancelled}', text: '${cancelledNote}', color: 'attention', wrap: true },
    { type: 'TextBlock', text: '${when}', isSubtle: true, wrap: true, spacing: 'small' },
    {
      type: 'ActionSet',
      $when: '${hasJoin || hasIcs}',
      actions: [
        { type: 'Action.OpenUrl', $when: '${hasJoin}', title: '${joinTitle}', url: '${joinUrl}', style: 'positive' },
        { type: 'Action.OpenUrl', $when: '${hasIcs}', title: '${icsTitle}', url: '${icsUrl}' },
      ],
    },
    { type: 'FactSet', facts: [{ $data: '${facts}', title: '${title}', value: '${value}' }] },
    {
      type: 'Container',
      $when: '${hasDialIn}',
      spacing: 'medium',
      items: [
        { type: 'TextBlock', text: '${dialInTitle}', weight: 'bolder', wrap: true },
        { type: 'FactSet', facts: [{ $data: '${dialFacts}', title: '${title}', value: '${value}' }] },
        {
          type: 'ActionSet',
          $when: '${hasDialinUrl}',
          actions: [{ type: 'Action.OpenUrl', title: '${findLocalNumber}', url: '${dialinUrl}' }],
        },
      ],
    },
    {
      type: 'Container',
      $when: '${hasAttendees}',
      spacing: 'medium',
      items: [
        { type: 'TextBlock', text: '${invitedTitle}', weight: 'bolder', wrap: true },
        { type: 'TextBlock', $data: '${attendees}', text: '${line}', wrap: true, spacing: 'none' },
        { type: 'TextBlock', $when: '${hasMore}', text: '${more}', isSubtle: true, wrap: true, spacing: 'none' },
      ],
    },
    { type: 'TextBlock', $when: '${hasChannelNote}', text: '${channelNote}', isSubtle: true, wrap: true, spacing: 'medium' },
    { type: 'TextBlock', $when: '${hasLiveNote}', text: '${liveNote}', isSubtle: true, wrap: true },
  ],
  actions: [
    {
      type: 'Action.ShowCard',
      $when: '${organizerActions}',
      title: '${l.reschedule}',
      card: {
        type: 'AdaptiveCard',
        body: [
          { type: 'Input.Date', id: MEETING_CARD_INPUTS.reschedule.date, label: '${l.date}', value: '${form.date}', isRequired: true, errorMessage: '${required}' },
          { type: 'Input.Time', id: MEETING_CARD_INPUTS.reschedule.time, label: '${l.time}', value: '${form.time}', isRequired: true, errorMessage: '${required}' },
          { type: 'Input.Number', id: MEETING_CARD_INPUTS.reschedule.duration, label: '${l.duration}', value: '${form.duration}', min: 5, max: 1440 },
        ],
        actions: [execute('reschedule', '${l.save}', 'positive')],
      },
    },
    {
      type: 'Action.ShowCard',
      $when: '${organizerActions}',
      title: '${l.rename}',
      card: {
        type: 'AdaptiveCard',
        body: [{ type: 'Input.Text', id: MEETING_CARD_INPUTS.rename.subject, label: '${l.subject}', value: '${form.subject}', maxLength: 255, isRequired: true, errorMessage: '${required}' }],
        actions: [execute('rename', '${l.save}', 'positive')],
      },
    },
    {
      type: 'Action.ShowCard',
      $when: '${organizerActions}',
      title: '${l.cancel}',
      card: {
        type: 'AdaptiveCard',
        body: [{ type: 'TextBlock', text: '${l.cancelConfirm}', wrap: true }],
        actions: [execute('cancel', '${l.cancelYes}', 'destructive')],
      },
    },
    { ...execute('refresh', '${l.refresh}'), $when: '${organizerActions}' },
    // Clients that don't run the per-user refresh (older clients, chats over 60 people, the Agents Playground):
    // the organizer opens their view by hand; anyone else is told only the organizer can change the meeting.
    { ...execute('manage', '${l.manage}'), $when: '${sharedActions}' },
    {
      type: 'Action.ShowCard',
      $when: '${organizerActions}',
      title: '${l.newLike}',
      card: {
        type: 'AdaptiveCard',
        body: [
          { type: 'Input.Date', id: MEETING_CARD_INPUTS.newLike.date, label: '${l.date}', value: '${form.date}', isRequired: true, errorMessage: '${required}' },
          { type: 'Input.Time', id: MEETING_CARD_INPUTS.newLike.time, label: '${l.time}', value: '${form.time}', isRequired: true, errorMessage: '${required}' },
          { type: 'Input.Number', id: MEETING_CARD_INPUTS.newLike.duration, label: '${l.duration}', value: '${form.duration}', min: 5, max: 1440 },
        ],
        actions: [execute('newLike', '${l.create}', 'positive')],
      },
    },
  ],
};

const expand = compileTemplate<MeetingCardData>(MEETING_CARD_TEMPLATE);

function attendeeLine(locale: string, a: MeetingCardAttendee): AttendeeLine {
  const name = md(a.displayName, MAX_NAME) || '—';
  if (a.demotedFromPresenter) return { line: `• ${name} — ${t(locale, 'meeting.demoted')}` };
  if (a.role === 'presenter') return { line: `• ${name} (${t(locale, 'meeting.presenter')})` };
  return { line: `• ${name}` };
}

/** The data MEETING_CARD_TEMPLATE is expanded with, showing at most `attendeeLimit` attendees. */
export function meetingCardData(view: MeetingCardView, attendeeLimit = view.attendees.length): MeetingCardData {
  const { locale } = view;
  const cancelled = view.state === 'cancelled';
  // Localized strings are trusted markdown; only user text (subject, names, numbers) goes through md().
  const subjectMd = view.subject.trim() ? md(view.subject, MAX_SUBJECT) : t(locale, 'meeting.noSubject');
  const titleMd = cancelled ? t(locale, 'meeting.cancelledTitle', { subject: subjectMd }) : subjectMd;
  const subjectPlain = view.subject.trim() ? plain(view.subject, MAX_SUBJECT) : t(locale, 'meeting.noSubject');
  const when = formatMeetingTime(view.startDateTime, view.endDateTime, locale, view.timeZone);
  const joinUrl = cancelled ? undefined : safeUrl(view.joinWebUrl);
  const icsUrl = cancelled ? undefined : safeUrl(view.icsUrl);
  const dialIn = cancelled ? undefined : view.dialIn;
  const dialinUrl = safeUrl(dialIn?.dialinUrl);

  const facts: Fact[] = [];
  if (!cancelled && view.joinMeetingId) facts.push({ title: t(locale, 'meeting.meetingId'), value: md(groupDigits(view.joinMeetingId)) });
  if (!cancelled && view.passcode) facts.push({ title: t(locale, 'meeting.passcode'), value: md(view.passcode, 64) });
  facts.push({ title: t(locale, 'meeting.organizer'), value: md(view.organizerName, MAX_NAME) || '—' });

  const dialFacts: Fact[] = [];
  if (dialIn?.tollNumber) dialFacts.push({ title: t(locale, 'meeting.tollNumber'), value: md(dialIn.tollNumber, 64) });
  if (dialIn?.tollFreeNumber) dialFacts.push({ title: t(locale, 'meeting.tollFreeNumber'), value: md(dialIn.tollFreeNumber, 64) });
  if (dialIn?.conferenceId) dialFacts.push({ title: t(locale, 'meeting.conferenceId'), value: md(groupDigits(dialIn.conferenceId)) });

  const shown = view.attendees.slice(0, attendeeLimit).map((a) => attendeeLine(locale, a));
  const hidden = view.attendees.length - shown.length;

  const organizerActions = !cancelled && view.audience === 'organizer';
  const actionData: ActionData = { meetingKey: view.actionData.meetingKey, version: view.actionData.version };
  const submit = Object.fromEntries(
    MEETING_CARD_VERBS.map((verb): [MeetingCardVerb, ActionData] => [verb, { ...actionData, verb }]),
  ) as Record<MeetingCardVerb, ActionData>;

  return {
    fallbackText: `${cancelled ? t(locale, 'meeting.cancelledTitle', { subject: subjectPlain }) : subjectPlain} — ${when}`,
    hasNotice: Boolean(view.notice?.trim()),
    notice: md(view.notice ?? '', 200),
    title: titleMd,
    cancelled,
    cancelledNote: t(locale, 'meeting.cancelledNote'),
    when,
    hasJoin: joinUrl !== undefined,
    joinTitle: t(locale, 'meeting.join'),
    joinUrl: joinUrl ?? '',
    hasIcs: icsUrl !== undefined,
    icsTitle: t(locale, 'meeting.addToCalendar'),
    icsUrl: icsUrl ?? '',
    facts,
    hasDialIn: dialFacts.length > 0 || dialinUrl !== undefined,
    dialInTitle: t(locale, 'meeting.dialIn'),
    dialFacts,
    hasDialinUrl: dialinUrl !== undefined,
    dialinUrl: dialinUrl ?? '',
    findLocalNumber: t(locale, 'meeting.findLocalNumber'),
    hasAttendees: view.attendees.length > 0,
    invitedTitle: t(locale, 'meeting.invited'),
    attendees: shown,
    hasMore: hidden > 0,
    more: t(locale, 'meeting.moreAttendees', { count: hidden }),
    hasChannelNote: !cancelled && (view.channelBindingFallback || view.channelBound),
    channelNote: t(locale, view.channelBindingFallback ? 'meeting.channelFallback' : 'meeting.channelBound'),
    hasLiveNote: !cancelled && view.isBroadcast,
    liveNote: t(locale, 'meeting.liveEvent'),
    organizerActions,
    sharedActions: !cancelled && view.audience === 'everyone',
    hasRefresh: !cancelled,
    refreshUserIds: view.refreshUserIds.slice(0, MAX_REFRESH_USERS),
    actionData,
    submit,
    l: labelsFor(locale),
    required: t(locale, 'form.required'),
    // Only the organizer's ShowCards bind `form`; the shared view drops them, so its date math is skipped.
    form: organizerActions ? formValues(view) : NO_FORM,
  };
}

const NO_FORM: MeetingCardData['form'] = { date: '', time: '', duration: 0, subject: '' };

/** The organizer's forms, prefilled with the meeting as it is: start date and time in the user's zone, minutes. */
function formValues(view: MeetingCardView): MeetingCardData['form'] {
  const zone = safeTimeZone(view.timeZone);
  const start = DateTime.fromISO(view.startDateTime, { setZone: true }).setZone(zone);
  const end = DateTime.fromISO(view.endDateTime, { setZone: true });
  const minutes = start.isValid && end.isValid ? Math.max(5, Math.round(end.diff(start, 'minutes').minutes)) : 30;
  return {
    date: start.isValid ? start.toFormat('yyyy-MM-dd') : '',
    time: start.isValid ? start.toFormat('HH:mm') : '',
    duration: minutes,
    subject: plain(view.subject, 255),
  };
}

/** The button and form labels are constant per language: built once per supported locale, not per card. */
const labelTables = new Map<SupportedLocale, Readonly<Record<LabelKey, string>>>();

function labelsFor(locale: string): Readonly<Record<LabelKey, string>> {
  const lang = normalizeLocale(locale);
  let labels = labelTables.get(lang);
  if (!labels) {
    labels = Object.freeze(Object.fromEntries(LABELS.map((key) => [key.slice('meeting.'.length), t(lang, key)])) as Record<LabelKey, string>);
    labelTables.set(lang, labels);
  }
  return labels;
}

/**
 * The meeting card: the shared view (`audience: 'everyone'`) or the organizer's view with the change buttons.
 * Both carry `refresh` for `refreshUserIds`, so Teams swaps in the organizer view for the organizer only.
 * A cancelled meeting shows no Join and no buttons. The card always fits in 28 KB: attendees that don't fit are
 * summarized as "and N more".
 */
export function renderMeetingCard(view: MeetingCardView): AdaptiveCard {
  let limit = view.attendees.length;
  let card = expand(meetingCardData(view, limit));
  while (cardBytes(card) >= MAX_CARD_BYTES && limit > 0) {
    limit = Math.floor(limit / 2);
    card = expand(meetingCardData(view, limit));
  }
  // The engine turns a refresh whose $when is false into null; drop the key.
  const { refresh, ...withoutRefresh } = card;
  return refresh ? card : withoutRefresh;
}

/** Thumbnail preview for compose-extension search results (Teams renders its text as limited HTML). */
export function meetingCardPreview(view: MeetingCardView): { readonly title: string; readonly text: string } {
  const subject = view.subject.trim() ? view.subject : t(view.locale, 'meeting.noSubject');
  const title = view.state === 'cancelled' ? t(view.locale, 'meeting.cancelledTitle', { subject }) : subject;
  const when = formatMeetingTime(view.startDateTime, view.endDateTime, view.locale, view.timeZone);
  return {
    title: html(title, 120),
    text: html(t(view.locale, 'preview.text', { when, organizer: normalizeName(view.organizerName) }), 300),
  };
}

function normalizeName(name: string): string {
  return name.trim() || '—';
}
