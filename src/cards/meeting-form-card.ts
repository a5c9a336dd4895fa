import { safeTimeZone, t } from '../i18n/index';
import { DEFAULT_MEETING_MINUTES, MAX_MEETING_MINUTES, MIN_FORM_MEETING_MINUTES } from '../meetings/meeting-policy';
import { md, plain } from './escape';
import { adaptiveCard, submit, textBlock } from './builders';
import type { AdaptiveCard, CardInput, InputToggle, TextBlock } from './types';

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

/**
 * The compose-extension task module form. Values are kept (re-shown after a validation error) and each error in
 * `errors` is shown under its field. The Create button is Action.Submit (task modules take no Action.Execute) with
 * data `{ nonce, verb? }`; Teams merges the input values in.
 */
export function renderMeetingFormCard(view: MeetingFormCardView): AdaptiveCard {
  const { locale } = view;
  const notice = view.notice?.trim() ? [textBlock(md(view.notice, 300), { color: 'attention', wrap: true })] : [];
  const data = { nonce: view.nonce, ...(view.submitVerb ? { verb: view.submitVerb } : {}) };
  return adaptiveCard(
    [
      textBlock(t(locale, 'form.title'), { style: 'heading', size: 'medium', weight: 'bolder', wrap: true }),
      ...notice,
      ...formInputs(view).flatMap((input) => [input, ...fieldError(view, input.id)]),
    ],
    { actions: [submit(t(locale, 'form.create'), data, { style: 'positive' })] },
  );
}

/** The inputs in contract order (their ids are MEETING_FORM_FIELDS), with the values kept from the last try. */
type FormInput = CardInput & { readonly id: MeetingFormField };

function formInputs({ locale, timeZone, values }: MeetingFormCardView): readonly FormInput[] {
  const required = t(locale, 'form.required');
  const duration =
    values.duration !== undefined && Number.isFinite(values.duration)
      ? Math.round(values.duration)
      : DEFAULT_MEETING_MINUTES;
  const date = values.date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(values.date) ? values.date : '';
  const time = values.time !== undefined && /^\d{2}:\d{2}$/.test(values.time) ? values.time : '';
  const toggle = (id: 'passcode' | 'live', on: boolean | undefined): InputToggle & { readonly id: typeof id } => ({
    type: 'Input.Toggle',
    id,
    title: t(locale, `form.${id}`),
    value: on ? 'true' : 'false',
    valueOn: 'true',
    valueOff: 'false',
  });
  return [
    {
      type: 'Input.Text',
      id: 'subject',
      label: t(locale, 'form.subject'),
      placeholder: t(locale, 'form.subjectPlaceholder'),
      value: plain(values.subject ?? '', 255),
      maxLength: 255,
      // Required, and checked again by the bot: an empty subject is asked for, never made "(no subject)" (#17).
      isRequired: true,
      errorMessage: t(locale, 'form.errorSubjectEmpty'),
    },
    {
      type: 'Input.Date',
      id: 'date',
      label: t(locale, 'form.date'),
      value: date,
      isRequired: true,
      errorMessage: required,
    },
    {
      type: 'Input.Time',
      id: 'time',
      label: t(locale, 'form.time', { timeZone: safeTimeZone(timeZone) }),
      value: time,
      isRequired: true,
      errorMessage: required,
    },
    // The range is named wherever it is enforced, so a client that checks min/max says why (never a silent change).
    {
      type: 'Input.Number',
      id: 'duration',
      label: t(locale, 'form.duration'),
      value: duration,
      min: MIN_FORM_MEETING_MINUTES,
      max: MAX_MEETING_MINUTES,
      errorMessage: t(locale, 'form.errorDuration'),
    },
    toggle('passcode', values.passcode),
    toggle('live', values.live),
  ];
}

/** The message for `field`, in attention colour right under it, when there is one. */
function fieldError(view: MeetingFormCardView, field: MeetingFormField): TextBlock[] {
  const message = view.errors?.[field];
  if (!message?.trim()) return [];
  return [textBlock(md(message, 200), { color: 'attention', size: 'small', wrap: true, spacing: 'none' })];
}
