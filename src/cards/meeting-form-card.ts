import { safeTimeZone, t } from '../i18n/index.js';
import { md, plain } from './escape.js';
import { compileTemplate } from './template.js';
import { ADAPTIVE_CARD_SCHEMA, type ActionData, type AdaptiveCard } from './types.js';

/** Input ids of the compose-extension form (runtime contract §6). */
export const MEETING_FORM_FIELDS = ['subject', 'date', 'time', 'duration', 'passcode', 'live'] as const;
export type MeetingFormField = (typeof MEETING_FORM_FIELDS)[number];

export interface MeetingFormValues {
  readonly subject?: string;
  /** yyyy-MM-dd */
  readonly date?: string;
  /** HH:mm */
  readonly time?: string;
  /** minutes */
  readonly duration?: number;
  readonly passcode?: boolean;
  readonly live?: boolean;
}

export interface MeetingFormCardView {
  readonly locale: string;
  readonly timeZone: string;
  readonly values: MeetingFormValues;
  /** Field id → message shown under that field (user-facing text; escaped here). */
  readonly errors?: Partial<Record<MeetingFormField, string>>;
  /** Put into the submit data: the idempotency nonce for this form. */
  readonly nonce: string;
  /** Added to the submit data as `verb` when given. */
  readonly submitVerb?: string;
  /** A message for the whole form (e.g. "Teams is slow, press Create again"), shown under the title; escaped here. */
  readonly notice?: string;
}

interface FormData {
  readonly title: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly l: Readonly<Record<'subject' | 'subjectPlaceholder' | 'date' | 'time' | 'duration' | 'passcode' | 'live' | 'create' | 'required', string>>;
  readonly v: {
    readonly subject: string;
    readonly date: string;
    readonly time: string;
    readonly duration: number;
    readonly passcode: string;
    readonly live: string;
  };
  readonly has: Readonly<Record<MeetingFormField, boolean>>;
  readonly err: Readonly<Record<MeetingFormField, string>>;
  readonly submitData: ActionData;
}

function fieldError(field: MeetingFormField) {
  return {
    type: 'TextBlock',
    $when: `\${has.${field}}`,
    text: `\${err.${field}}`,
    color: 'attention',
    size: 'small',
    wrap: true,
    spacing: 'none',
  } as const;
}

export const MEETING_FORM_CARD_TEMPLATE: AdaptiveCard = {
  type: 'AdaptiveCard',
  $schema: ADAPTIVE_CARD_SCHEMA,
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${title}', style: 'heading', size: 'medium', weight: 'bolder', wrap: true },
    { type: 'TextBlock', $when: '${hasNotice}', text: '${notice}', color: 'attention', wrap: true },
    { type: 'Input.Text', id: 'subject', label: '${l.subject}', placeholder: '${l.subjectPlaceholder}', value: '${v.subject}', maxLength: 255 },
    fieldError('subject'),
    { type: 'Input.Date', id: 'date', label: '${l.date}', value: '${v.date}', isRequired: true, errorMessage: '${l.required}' },
    fieldError('date'),
    { type: 'Input.Time', id: 'time', label: '${l.time}', value: '${v.time}', isRequired: true, errorMessage: '${l.required}' },
    fieldError('time'),
    { type: 'Input.Number', id: 'duration', label: '${l.duration}', value: '${v.duration}', min: 5, max: 1440 },
    fieldError('duration'),
    { type: 'Input.Toggle', id: 'passcode', title: '${l.passcode}', value: '${v.passcode}', valueOn: 'true', valueOff: 'false' },
    fieldError('passcode'),
    { type: 'Input.Toggle', id: 'live', title: '${l.live}', value: '${v.live}', valueOn: 'true', valueOff: 'false' },
    fieldError('live'),
  ],
  actions: [{ type: 'Action.Submit', title: '${l.create}', data: '${submitData}', style: 'positive' }],
};

const expand = compileTemplate<FormData>(MEETING_FORM_CARD_TEMPLATE);

/**
 * The compose-extension task module form. Values are kept (re-shown after a validation error) and each error in
 * `errors` is shown under its field. The Create button is Action.Submit (task modules take no Action.Execute) with
 * data `{ nonce, verb? }`; Teams merges the input values in.
 */
export function renderMeetingFormCard(view: MeetingFormCardView): AdaptiveCard {
  return expand(meetingFormCardData(view));
}

/** The data MEETING_FORM_CARD_TEMPLATE is expanded with. */
export function meetingFormCardData(view: MeetingFormCardView): FormData {
  const { locale, values } = view;
  const errors = view.errors ?? {};
  const has = Object.fromEntries(MEETING_FORM_FIELDS.map((f) => [f, Boolean(errors[f]?.trim())])) as Record<MeetingFormField, boolean>;
  const err = Object.fromEntries(MEETING_FORM_FIELDS.map((f) => [f, md(errors[f] ?? '', 200)])) as Record<MeetingFormField, string>;
  const duration = values.duration !== undefined && Number.isFinite(values.duration) ? Math.round(values.duration) : 30;
  return {
    title: t(locale, 'form.title'),
    hasNotice: Boolean(view.notice?.trim()),
    notice: md(view.notice ?? '', 300),
    l: {
      subject: t(locale, 'form.subject'),
      subjectPlaceholder: t(locale, 'form.subjectPlaceholder'),
      date: t(locale, 'form.date'),
      time: t(locale, 'form.time', { timeZone: safeTimeZone(view.timeZone) }),
      duration: t(locale, 'form.duration'),
      passcode: t(locale, 'form.passcode'),
      live: t(locale, 'form.live'),
      create: t(locale, 'form.create'),
      required: t(locale, 'form.required'),
    },
    v: {
      subject: plain(values.subject ?? '', 255),
      date: /^\d{4}-\d{2}-\d{2}$/.test(values.date ?? '') ? (values.date ?? '') : '',
      time: /^\d{2}:\d{2}$/.test(values.time ?? '') ? (values.time ?? '') : '',
      duration,
      passcode: values.passcode ? 'true' : 'false',
      live: values.live ? 'true' : 'false',
    },
    has,
    err,
    submitData: { nonce: view.nonce, ...(view.submitVerb ? { verb: view.submitVerb } : {}) },
  };
}
