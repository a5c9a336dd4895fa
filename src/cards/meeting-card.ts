import { DateTime } from 'luxon';
import {
  formatMeetingTime,
  normalizeLocale,
  safeTimeZone,
  t,
  type StringKey,
  type SupportedLocale,
} from '../i18n/index';
import { DEFAULT_MEETING_MINUTES, MAX_MEETING_MINUTES, MIN_FORM_MEETING_MINUTES } from '../meetings/meeting-policy';
import type { AttendeeRole, MeetingOptions, OnlineMeeting } from '../meetings/types';
import { optionsSummary } from './change-notice';
import { groupDigits, html, md, plain, safeUrl } from './escape';
import {
  actionSet,
  adaptiveCard,
  cardBytes,
  container,
  execute,
  fact,
  factSet,
  openUrl,
  showCard,
  textBlock,
} from './builders';
import { meetingOptionsForm } from './meeting-options-form';
import {
  MAX_CARD_BYTES,
  type ActionData,
  type ActionSet,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Container,
  type Fact,
  type InputText,
  type Refresh,
  type TextBlock,
} from './types';

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

/** The meeting as Graph describes it (subject, times, join details), and what the card adds around it. */
export interface MeetingCardView extends Pick<
  OnlineMeeting,
  'subject' | 'startDateTime' | 'endDateTime' | 'joinWebUrl' | 'joinMeetingId' | 'passcode' | 'dialIn'
> {
  readonly locale: string;
  readonly timeZone: string;
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
  // whole-chat (#15)
  /** The meeting's options as Graph reports them: the card says who skips the lobby. */
  readonly options?: MeetingOptions;
  /** Teams' own meeting options page (organizer's view). */
  readonly meetingOptionsWebUrl?: string;
  /** `with everyone` invited at most this many people and the chat had more. */
  readonly rosterTruncatedAt?: number;
}

/** Verbs of the meeting card's Action.Execute buttons (the `adaptiveCard/action` router's keys). */
export const MEETING_CARD_VERBS = [
  'reschedule',
  'rename',
  'cancel',
  'refresh',
  'newLike',
  'manage',
  'options',
] as const;
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
/** Invitees listed by name; the rest are "and N more" (a 250-person roster would fill most of the 28 KB). */
const MAX_LISTED_ATTENDEES = 15;
/** The dial-in block starts hidden; "Join by phone" shows it (Action.ToggleVisibility). */
export const DIAL_IN_ELEMENT_ID = 'dialIn';
const MAX_SUBJECT = 250;
const MAX_NAME = 100;

const LABELS = [
  'meeting.reschedule',
  'meeting.rename',
  'meeting.cancel',
  'meeting.refresh',
  'meeting.newLike',
  'meeting.date',
  'meeting.time',
  'meeting.duration',
  'meeting.subject',
  'meeting.save',
  'meeting.create',
  'meeting.cancelConfirm',
  'meeting.cancelYes',
  'meeting.manage',
] as const satisfies readonly StringKey[];
type LabelKey = (typeof LABELS)[number] extends `meeting.${infer K}` ? K : never;
type Labels = Readonly<Record<LabelKey, string>>;

/** What the parts of the card share, worked out once per render. */
interface CardContext {
  readonly view: MeetingCardView;
  readonly locale: string;
  readonly cancelled: boolean;
  /** The localized start–end line. */
  readonly when: string;
  readonly actionData: ActionData;
}

/**
 * The meeting card: the shared view (`audience: 'everyone'`) or the organizer's view with the change buttons.
 * Both carry `refresh` for `refreshUserIds`, so Teams swaps in the organizer view for the organizer only.
 * A cancelled meeting shows no Join and no buttons. The card always fits in 28 KB: attendees that don't fit are
 * summarized as "and N more".
 */
export function renderMeetingCard(view: MeetingCardView): AdaptiveCard {
  const context: CardContext = {
    view,
    locale: view.locale,
    cancelled: view.state === 'cancelled',
    when: formatMeetingTime(view.startDateTime, view.endDateTime, view.locale, view.timeZone),
    actionData: { meetingKey: view.actionData.meetingKey, version: view.actionData.version },
  };
  let limit = Math.min(view.attendees.length, MAX_LISTED_ATTENDEES);
  let card = meetingCard(context, limit);
  while (cardBytes(card) >= MAX_CARD_BYTES && limit > 0) {
    limit = Math.floor(limit / 2);
    card = meetingCard(context, limit);
  }
  return card;
}

/** The card showing at most `attendeeLimit` attendees. */
function meetingCard(c: CardContext, attendeeLimit: number): AdaptiveCard {
  const body = [
    ...header(c),
    ...links(c),
    ...joinLinkText(c),
    factSet(meetingFacts(c)),
    ...dialIn(c),
    ...optionLines(c),
    ...attendees(c, attendeeLimit),
    ...notes(c),
  ];
  return adaptiveCard(body, {
    fallbackText: fallbackText(c),
    ...(c.cancelled ? {} : { refresh: refresh(c) }),
    actions: cardActions(c),
  });
}

function fallbackText({ view, locale, cancelled, when }: CardContext): string {
  const subject = view.subject.trim() ? plain(view.subject, MAX_SUBJECT) : t(locale, 'meeting.noSubject');
  return `${cancelled ? t(locale, 'meeting.cancelledTitle', { subject }) : subject} — ${when}`;
}

/** Every client refreshes the card for the organizer's MRIs, so they see their own view with the buttons. */
function refresh({ view, actionData }: CardContext): Refresh {
  return {
    action: { type: 'Action.Execute', verb: 'refresh', data: actionData },
    userIds: view.refreshUserIds.slice(0, MAX_REFRESH_USERS),
  };
}

function header({ view, locale, cancelled, when }: CardContext): TextBlock[] {
  // Localized strings are trusted markdown; only user text (subject, names, numbers) goes through md().
  const subject = view.subject.trim() ? md(view.subject, MAX_SUBJECT) : t(locale, 'meeting.noSubject');
  const title = cancelled ? t(locale, 'meeting.cancelledTitle', { subject }) : subject;
  return [
    ...(view.notice?.trim()
      ? [textBlock(md(view.notice, 200), { color: 'accent', weight: 'bolder', size: 'small', wrap: true })]
      : []),
    textBlock(title, { style: 'heading', size: 'large', weight: 'bolder', wrap: true, spacing: 'small' }),
    ...(cancelled ? [textBlock(t(locale, 'meeting.cancelledNote'), { color: 'attention', wrap: true })] : []),
    textBlock(when, { isSubtle: true, wrap: true, spacing: 'small' }),
  ];
}

/**
 * Join, Join by phone (shows the hidden dial-in block) and Add to calendar; links only when http(s), none once the
 * meeting is cancelled.
 */
function links({ view, locale, cancelled }: CardContext): ActionSet[] {
  const join = cancelled ? undefined : safeUrl(view.joinWebUrl);
  const ics = cancelled ? undefined : safeUrl(view.icsUrl);
  const actions: CardAction[] = [
    ...(join ? [openUrl(t(locale, 'meeting.join'), join, { style: 'positive' })] : []),
    ...(hasDialIn(view, cancelled)
      ? [
          {
            type: 'Action.ToggleVisibility',
            title: t(locale, 'meeting.showDialIn'),
            targetElements: [DIAL_IN_ELEMENT_ID],
          } as const,
        ]
      : []),
    ...(ics ? [openUrl(t(locale, 'meeting.addToCalendar'), ics)] : []),
  ];
  return actions.length > 0 ? [actionSet(actions)] : [];
}

/** The join link as text, so it can be selected and copied (Teams' own Meet offers Copy link). */
function joinLinkText({ view, locale, cancelled }: CardContext): TextBlock[] {
  const join = cancelled ? undefined : safeUrl(view.joinWebUrl);
  if (!join) return [];
  return [
    textBlock(t(locale, 'meeting.linkLabel'), { isSubtle: true, size: 'small', wrap: true, spacing: 'small' }),
    textBlock(md(join, 2000), { fontType: 'monospace', size: 'small', wrap: true, spacing: 'none' }),
  ];
}

/** Who skips the lobby (always said: Teams' default when no option was set), and the other options that are set. */
function optionLines({ view, locale, cancelled, actionData }: CardContext): CardElement[] {
  if (cancelled) return [];
  const o = view.options ?? {};
  const lobby = `${t(locale, 'option.lobby')}: ${t(locale, o.lobbyScope ? `option.lobby.${o.lobbyScope}` : 'option.lobby.default')}`;
  const rest = optionsSummary({ ...o, lobbyScope: undefined }, locale);
  const organizer = view.audience === 'organizer';
  const page = organizer ? safeUrl(view.meetingOptionsWebUrl) : undefined;
  // The organizer's Options form sits here, by the options it changes (the card's own actions are at Teams' max of 5).
  const actions: CardAction[] = [
    ...(organizer ? [meetingOptionsForm(locale, o, actionData)] : []),
    ...(page ? [openUrl(t(locale, 'meeting.optionsPage'), page)] : []),
  ];
  return [
    textBlock([lobby, ...rest].join('  \n'), { isSubtle: true, wrap: true, spacing: 'medium' }),
    ...(actions.length > 0 ? [actionSet(actions)] : []),
  ];
}

function hasDialIn(view: MeetingCardView, cancelled: boolean): boolean {
  const d = cancelled ? undefined : view.dialIn;
  return Boolean(d && (d.tollNumber || d.tollFreeNumber || d.conferenceId || safeUrl(d.dialinUrl)));
}

function meetingFacts({ view, locale, cancelled }: CardContext): Fact[] {
  return [
    ...(!cancelled && view.joinMeetingId
      ? [fact(t(locale, 'meeting.meetingId'), md(groupDigits(view.joinMeetingId)))]
      : []),
    ...(!cancelled && view.passcode ? [fact(t(locale, 'meeting.passcode'), md(view.passcode, 64))] : []),
    fact(t(locale, 'meeting.organizer'), md(view.organizerName, MAX_NAME) || '—'),
  ];
}

function dialIn({ view, locale, cancelled }: CardContext): Container[] {
  const dial = cancelled ? undefined : view.dialIn;
  const url = safeUrl(dial?.dialinUrl);
  const facts = [
    ...(dial?.tollNumber ? [fact(t(locale, 'meeting.tollNumber'), md(dial.tollNumber, 64))] : []),
    ...(dial?.tollFreeNumber ? [fact(t(locale, 'meeting.tollFreeNumber'), md(dial.tollFreeNumber, 64))] : []),
    ...(dial?.conferenceId ? [fact(t(locale, 'meeting.conferenceId'), md(groupDigits(dial.conferenceId)))] : []),
  ];
  if (facts.length === 0 && url === undefined) return [];
  const items = [factSet(facts), ...(url ? [actionSet([openUrl(t(locale, 'meeting.findLocalNumber'), url)])] : [])];
  // Hidden until "Join by phone": the block took ~40 % of a 640 px card (issue #15).
  return [container(items, { spacing: 'medium', id: DIAL_IN_ELEMENT_ID, isVisible: false })];
}

function attendees({ view, locale }: CardContext, limit: number): Container[] {
  if (view.attendees.length === 0) return [];
  const shown = view.attendees.slice(0, limit);
  const hidden = view.attendees.length - shown.length;
  const more = t(locale, 'meeting.moreAttendees', { count: hidden });
  const items = [
    textBlock(t(locale, 'meeting.invited'), { weight: 'bolder', wrap: true }),
    ...shown.map((a) => textBlock(attendeeLine(locale, a), { wrap: true, spacing: 'none' })),
    ...(hidden > 0 ? [textBlock(more, { isSubtle: true, wrap: true, spacing: 'none' })] : []),
    ...(view.rosterTruncatedAt
      ? [
          textBlock(t(locale, 'meeting.rosterLimit', { count: view.rosterTruncatedAt }), {
            color: 'warning',
            wrap: true,
            spacing: 'small',
          }),
        ]
      : []),
  ];
  return [container(items, { spacing: 'medium' })];
}

function attendeeLine(locale: string, a: MeetingCardAttendee): string {
  const name = md(a.displayName, MAX_NAME) || '—';
  if (a.demotedFromPresenter) return `• ${name} — ${t(locale, 'meeting.demoted')}`;
  if (a.role === 'presenter') return `• ${name} (${t(locale, 'meeting.presenter')})`;
  return `• ${name}`;
}

function notes({ view, locale, cancelled }: CardContext): TextBlock[] {
  if (cancelled) return [];
  const channel = view.channelBindingFallback ? 'meeting.channelFallback' : 'meeting.channelBound';
  return [
    ...(view.channelBindingFallback || view.channelBound
      ? [textBlock(t(locale, channel), { isSubtle: true, wrap: true, spacing: 'medium' })]
      : []),
    ...(view.isBroadcast ? [textBlock(t(locale, 'meeting.liveEvent'), { isSubtle: true, wrap: true })] : []),
  ];
}

/**
 * The organizer's change buttons, or for everyone else Manage: clients that don't run the per-user refresh (older
 * clients, chats over 60 people, the Agents Playground) let the organizer open their view by hand, and anyone else
 * is told only the organizer can change the meeting. A cancelled meeting has no buttons.
 */
function cardActions(c: CardContext): CardAction[] {
  if (c.cancelled) return [];
  if (c.view.audience === 'everyone') return [execute('manage', labelsFor(c.locale).manage, c.actionData)];
  return organizerActions(c);
}

function organizerActions({ view, locale, actionData: data }: CardContext): CardAction[] {
  const l = labelsFor(locale);
  const form = formValues(view);
  const required = t(locale, 'form.required');
  const subject: InputText = {
    type: 'Input.Text',
    id: MEETING_CARD_INPUTS.rename.subject,
    label: l.subject,
    value: form.subject,
    maxLength: 255,
    isRequired: true,
    errorMessage: required,
  };
  return [
    showCard(l.reschedule, timeInputs(MEETING_CARD_INPUTS.reschedule, l, form, required), [
      execute('reschedule', l.save, data, { style: 'positive' }),
    ]),
    showCard(l.rename, [subject], [execute('rename', l.save, data, { style: 'positive' })]),
    showCard(
      l.cancel,
      [textBlock(l.cancelConfirm, { wrap: true })],
      [execute('cancel', l.cancelYes, data, { style: 'destructive' })],
    ),
    execute('refresh', l.refresh, data),
    showCard(l.newLike, timeInputs(MEETING_CARD_INPUTS.newLike, l, form, required), [
      execute('newLike', l.create, data, { style: 'positive' }),
    ]),
  ];
}

interface FormValues {
  readonly date: string;
  readonly time: string;
  readonly duration: number;
  readonly subject: string;
}

type TimeInputIds = (typeof MEETING_CARD_INPUTS)['reschedule' | 'newLike'];

/** Date, start time and duration, prefilled with the meeting as it is. */
function timeInputs(ids: TimeInputIds, l: Labels, form: FormValues, required: string): CardElement[] {
  return [
    { type: 'Input.Date', id: ids.date, label: l.date, value: form.date, isRequired: true, errorMessage: required },
    { type: 'Input.Time', id: ids.time, label: l.time, value: form.time, isRequired: true, errorMessage: required },
    {
      type: 'Input.Number',
      id: ids.duration,
      label: l.duration,
      value: form.duration,
      min: MIN_FORM_MEETING_MINUTES,
      max: MAX_MEETING_MINUTES,
    },
  ];
}

/** The organizer's forms, prefilled with the meeting as it is: start date and time in the user's zone, minutes. */
function formValues(view: MeetingCardView): FormValues {
  const zone = safeTimeZone(view.timeZone);
  const start = DateTime.fromISO(view.startDateTime, { setZone: true }).setZone(zone);
  const end = DateTime.fromISO(view.endDateTime, { setZone: true });
  const minutes =
    start.isValid && end.isValid
      ? Math.max(MIN_FORM_MEETING_MINUTES, Math.round(end.diff(start, 'minutes').minutes))
      : DEFAULT_MEETING_MINUTES;
  return {
    date: start.isValid ? start.toFormat('yyyy-MM-dd') : '',
    time: start.isValid ? start.toFormat('HH:mm') : '',
    duration: minutes,
    subject: plain(view.subject, 255),
  };
}

/** The button and form labels are constant per language: built once per supported locale, not per card. */
const labelTables = new Map<SupportedLocale, Labels>();

function labelsFor(locale: string): Labels {
  const lang = normalizeLocale(locale);
  let labels = labelTables.get(lang);
  if (!labels) {
    labels = Object.freeze(
      Object.fromEntries(LABELS.map((key) => [key.slice('meeting.'.length), t(lang, key)])) as Record<LabelKey, string>,
    );
    labelTables.set(lang, labels);
  }
  return labels;
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
