import { DateTime } from 'luxon';
import type { ClarifyCardView } from '../cards';
import type { KeptQuestion } from '../meetings/kept-requests';
import { resolveTimeZone } from '../meetings/time-zone';

export interface ClarifyViewOptions {
  readonly locale: string;
  readonly timeZone: string;
  readonly requestKey: string;
  /** The user's command as typed. */
  readonly requestedText: string;
  readonly now: number;
  readonly notice?: string;
}

/**
 * The clarify card for a question: its answers, and a date + time picker opened on the first answer, else on the day
 * the text named, else on the next half hour (issue #17: every question can be answered without retyping).
 */
export function clarifyCardView(question: KeptQuestion, options: ClarifyViewOptions): ClarifyCardView {
  const zone = resolveTimeZone(options.timeZone);
  const first = question.suggestions[0];
  const now = DateTime.fromMillis(options.now, { zone });
  const nextHalfHour = now.startOf('hour').plus({ minutes: now.minute < 30 ? 30 : 60 });
  const opened = first
    ? DateTime.fromISO(first, { zone })
    : question.day
      ? DateTime.fromISO(`${question.day}T${nextHalfHour.toFormat('HH:mm')}`, { zone })
      : nextHalfHour;
  const picker = opened.isValid ? opened : nextHalfHour;
  return {
    locale: options.locale,
    timeZone: options.timeZone,
    reason: question.reason,
    requestKey: options.requestKey,
    requestedText: options.requestedText,
    ...(question.requestedStart ? { requestedStart: question.requestedStart } : {}),
    suggestions: question.suggestions,
    ...(question.unreadable ? { unreadable: question.unreadable } : {}),
    pickerDate: picker.toFormat('yyyy-MM-dd'),
    pickerTime: picker.toFormat('HH:mm'),
    ...(options.notice ? { notice: options.notice } : {}),
  };
}
