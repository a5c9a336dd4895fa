import { formatDateTime, t } from '../i18n/index.js';
import { md } from './escape.js';
import { compileTemplate } from './template.js';
import { ADAPTIVE_CARD_SCHEMA, type ActionData, type AdaptiveCard } from './types.js';

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

interface Choice {
  readonly title: string;
  readonly data: ActionData;
  readonly submitData: ActionData;
}

interface ClarifyData {
  readonly title: string;
  readonly text: string;
  readonly choices: readonly Choice[];
  readonly dismissTitle: string;
  readonly dismissData: ActionData;
  readonly dismissSubmitData: ActionData;
}

export const CLARIFY_CARD_TEMPLATE: AdaptiveCard = {
  type: 'AdaptiveCard',
  $schema: ADAPTIVE_CARD_SCHEMA,
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${title}', style: 'heading', size: 'medium', weight: 'bolder', wrap: true },
    { type: 'TextBlock', text: '${text}', wrap: true },
  ],
  actions: [
    {
      type: 'Action.Execute',
      $data: '${choices}',
      verb: 'confirmCreate',
      title: '${title}',
      data: '${data}',
      style: 'positive',
      fallback: { type: 'Action.Submit', title: '${title}', data: '${submitData}' },
    },
    {
      type: 'Action.Execute',
      verb: 'dismiss',
      title: '${dismissTitle}',
      data: '${dismissData}',
      fallback: { type: 'Action.Submit', title: '${dismissTitle}', data: '${dismissSubmitData}' },
    },
  ],
};

const expand = compileTemplate<ClarifyData>(CLARIFY_CARD_TEMPLATE);

/** Asks which time was meant (past or ambiguous); each button is Action.Execute `confirmCreate` {requestKey, startDateTime}. */
export function renderClarifyCard(view: ClarifyCardView): AdaptiveCard {
  return expand(clarifyCardData(view));
}

/** The data CLARIFY_CARD_TEMPLATE is expanded with. */
export function clarifyCardData(view: ClarifyCardView): ClarifyData {
  const { locale, timeZone, requestKey } = view;
  const when = view.requestedStart
    ? formatDateTime(view.requestedStart, locale, timeZone)
    : md(view.requestedText ?? '', 120);
  const text =
    view.reason === 'past'
      ? t(locale, 'clarify.past', { when })
      : t(locale, 'clarify.ambiguous', { text: md(view.requestedText ?? '', 120) });
  return {
    title: t(locale, view.reason === 'past' ? 'clarify.pastTitle' : 'clarify.ambiguousTitle'),
    // The picker and the unreadable wording arrive with the typed card builders (issue #17).
    text,
    choices: view.suggestions.slice(0, 5).map((startDateTime) => ({
      title: formatDateTime(startDateTime, locale, timeZone),
      data: { requestKey, startDateTime },
      submitData: { requestKey, startDateTime, verb: 'confirmCreate' },
    })),
    dismissTitle: t(locale, 'clarify.dismiss'),
    dismissData: { requestKey },
    dismissSubmitData: { requestKey, verb: 'dismiss' },
  };
}
