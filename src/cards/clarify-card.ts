import { formatDateTime, safeTimeZone, t } from '../i18n/index';
import { md } from './escape';
import { actionSet, adaptiveCard, execute, textBlock } from './builders';
import type { AdaptiveCard, CardElement } from './types';

export interface ClarifyCardView {
  readonly locale: string;
  readonly timeZone: string;
  /**
   * `past`: the time asked for has passed; `ambiguous`: it could mean several times; `unreadable`: time-looking
   * words could not be read (named in `unreadable`).
   */
  readonly reason: 'past' | 'ambiguous' | 'unreadable';
  /** The pending request the answer completes. */
  readonly requestKey: string;
  /** What the user wrote (user text; escaped). */
  readonly requestedText?: string;
  /** The time that was asked for (ISO), for `past`. */
  readonly requestedStart?: string;
  /** Suggested starts (ISO with offset), one button each; at most 5 are shown. */
  readonly suggestions: readonly string[];
  /** For `unreadable`: the words as written (user text; escaped). */
  readonly unreadable?: readonly string[];
  /** The date + time picker's initial values in the user's zone (yyyy-MM-dd, HH:mm); absent: empty. */
  readonly pickerDate?: string;
  readonly pickerTime?: string;
  /** Why the card is asked again (a past time was picked); escaped. */
  readonly notice?: string;
}

const MAX_SUGGESTIONS = 5;
/** Input ids of the picker; Teams merges their values into the `confirmCreate` data. */
export const CLARIFY_PICKER_FIELDS = { date: 'clarifyDate', time: 'clarifyTime' } as const;

const TITLES = {
  past: 'clarify.pastTitle',
  ambiguous: 'clarify.ambiguousTitle',
  unreadable: 'clarify.unreadableTitle',
} as const;

/**
 * Asks when the meeting should be (issue #17: every question has real answers). One button per suggested start
 * (Action.Execute `confirmCreate` {requestKey, startDateTime}), then always an inline date + time picker with a
 * Create button (`confirmCreate` {requestKey} + clarifyDate/clarifyTime), and Cancel (`dismiss`).
 */
export function renderClarifyCard(view: ClarifyCardView): AdaptiveCard {
  const { locale, timeZone, requestKey } = view;
  const choices = view.suggestions
    .slice(0, MAX_SUGGESTIONS)
    .map((startDateTime) =>
      execute(
        'confirmCreate',
        formatDateTime(startDateTime, locale, timeZone),
        { requestKey, startDateTime },
        { style: 'positive' },
      ),
    );
  const body: CardElement[] = [
    textBlock(t(locale, TITLES[view.reason]), { style: 'heading', size: 'medium', weight: 'bolder', wrap: true }),
    ...(view.notice?.trim() ? [textBlock(md(view.notice, 300), { color: 'attention', wrap: true })] : []),
    textBlock(question(view), { wrap: true }),
    ...(choices.length > 0 ? [actionSet(choices)] : []),
    {
      type: 'Input.Date',
      id: CLARIFY_PICKER_FIELDS.date,
      label: t(locale, 'clarify.pickDate'),
      ...(view.pickerDate ? { value: view.pickerDate } : {}),
      spacing: 'medium',
    },
    {
      type: 'Input.Time',
      id: CLARIFY_PICKER_FIELDS.time,
      label: t(locale, 'clarify.pickTime', { timeZone: safeTimeZone(timeZone) }),
      ...(view.pickerTime ? { value: view.pickerTime } : {}),
    },
    actionSet([execute('confirmCreate', t(locale, 'clarify.create'), { requestKey }, { style: 'positive' })]),
  ];
  return adaptiveCard(body, { actions: [execute('dismiss', t(locale, 'clarify.dismiss'), { requestKey })] });
}

function question(view: ClarifyCardView): string {
  const { locale, timeZone } = view;
  const text = md(view.requestedText ?? '', 120);
  switch (view.reason) {
    case 'unreadable': {
      const words = (view.unreadable ?? []).map((w) => `"${md(w, 40)}"`).join(', ');
      return words ? t(locale, 'clarify.unreadable', { words }) : t(locale, 'clarify.noSuggestion');
    }
    case 'ambiguous':
      return t(locale, 'clarify.ambiguous', { text });
    case 'past':
      return t(locale, 'clarify.past', {
        when: view.requestedStart ? formatDateTime(view.requestedStart, locale, timeZone) : text,
      });
  }
}
