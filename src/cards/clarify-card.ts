import { formatDateTime, t } from '../i18n/index.js';
import { md } from './escape.js';
import { adaptiveCard, execute, textBlock } from './builders.js';
import type { AdaptiveCard } from './types.js';

export interface ClarifyCardView {
  readonly locale: string;
  readonly timeZone: string;
  /** `past`: the time asked for has passed; `ambiguous`: it could mean several times. */
  readonly reason: 'past' | 'ambiguous';
  /** The pending request the answer completes. */
  readonly requestKey: string;
  /** What the user wrote for the time (user text; escaped). */
  readonly requestedText?: string;
  /** The time that was asked for (ISO), for `past`. */
  readonly requestedStart?: string;
  /** Suggested starts (ISO with offset), one button each; at most 5 are shown. */
  readonly suggestions: readonly string[];
}

const MAX_SUGGESTIONS = 5;

/** Asks which time was meant (past or ambiguous); each button is Action.Execute `confirmCreate` {requestKey, startDateTime}. */
export function renderClarifyCard(view: ClarifyCardView): AdaptiveCard {
  const { locale, timeZone, requestKey } = view;
  const title = t(locale, view.reason === 'past' ? 'clarify.pastTitle' : 'clarify.ambiguousTitle');
  const choices = view.suggestions.slice(0, MAX_SUGGESTIONS).map((startDateTime) => {
    const title = formatDateTime(startDateTime, locale, timeZone);
    return execute('confirmCreate', title, { requestKey, startDateTime }, { style: 'positive' });
  });
  return adaptiveCard(
    [
      textBlock(title, { style: 'heading', size: 'medium', weight: 'bolder', wrap: true }),
      textBlock(question(view), { wrap: true }),
    ],
    { actions: [...choices, execute('dismiss', t(locale, 'clarify.dismiss'), { requestKey })] },
  );
}

function question(view: ClarifyCardView): string {
  const { locale, timeZone } = view;
  const text = md(view.requestedText ?? '', 120);
  if (view.reason !== 'past') return t(locale, 'clarify.ambiguous', { text });
  const when = view.requestedStart ? formatDateTime(view.requestedStart, locale, timeZone) : text;
  return t(locale, 'clarify.past', { when });
}
