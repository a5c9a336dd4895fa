import { z } from 'zod';
import { renderClarifyCard, type AdaptiveCard } from '../cards';
import { t } from '../i18n';
import { ValidationError } from '../meetings/errors';
import type { ManageMeeting } from '../meetings/manage-meeting';
import { intervalFrom, isPastStart } from '../meetings/meeting-policy';
import type { UserRef } from '../meetings/types';
import { clarifyCardView } from './clarify-view';

/**
 * A clarify card's answer (`confirmCreate`): a suggested start (its button), or the inline picker's date + time, which
 * Teams merges into the action's data (issue #17). Untrusted: checked here before anything is created.
 */
export const confirmCreateData = z.object({
  requestKey: z.string().min(1).max(400),
  startDateTime: z.string().min(10).max(40).optional(),
  clarifyDate: z.string().max(40).optional(),
  clarifyTime: z.string().max(40).optional(),
});
export type ConfirmCreateData = z.infer<typeof confirmCreateData>;

const PICKED_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PICKED_TIME = /^([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/;

/**
 * The start an answer chose (ISO), the picker's read in the user's zone. Throws ValidationError `time_in_past` for a
 * time already gone, `validation` when the picker lacks a date or a time.
 */
export function chosenStart(d: ConfirmCreateData, timeZone: string, now: number): string {
  if (d.startDateTime !== undefined) {
    const start = Date.parse(d.startDateTime);
    if (Number.isNaN(start)) throw new ValidationError('That time is not valid.', { startDateTime: 'invalid' });
    if (isPastStart(start, now))
      throw new ValidationError('That time has already passed.', { startDateTime: 'past' }, 'time_in_past');
    return d.startDateTime;
  }
  const date = d.clarifyDate?.trim() ?? '';
  const time = d.clarifyTime?.trim() ?? '';
  if (!PICKED_DATE.test(date) || !PICKED_TIME.test(time))
    throw new ValidationError('Pick a date and a time.', { clarifyDate: 'missing' });
  return intervalFrom(date, time.slice(0, 5), 0, timeZone, now).startDateTime;
}

/**
 * The same question again, saying why the answer could not be used; undefined when the request is gone. Throws
 * AppError `identity_mismatch` when `turn.user` is not who asked.
 */
export async function clarifyAgain(
  manage: Pick<ManageMeeting, 'findKept'>,
  turn: { readonly user?: UserRef; readonly locale: string; readonly timeZone: string },
  requestKey: string,
  e: ValidationError,
  now: number,
): Promise<{ card: AdaptiveCard; notice: string } | undefined> {
  if (!turn.user) return undefined;
  const kept = await manage.findKept(requestKey, turn.user);
  if (!kept?.question) return undefined;
  const notice = t(turn.locale, e.code === 'time_in_past' ? 'clarify.pickedPast' : 'clarify.pickBoth');
  const view = clarifyCardView(kept.question, {
    locale: turn.locale,
    timeZone: turn.timeZone,
    requestKey,
    requestedText: kept.commandText,
    now,
    notice,
  });
  return { card: renderClarifyCard(view), notice };
}
