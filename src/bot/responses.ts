import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { renderErrorCard } from '../cards';
import type { Logger } from '../logging/logger';
import { AppError, isAppError } from '../meetings/errors';

/** The one place that turns errors into what Teams shows (house-style rule 6). */
export function toAppError(e: unknown, logger: Logger, context: Record<string, unknown> = {}): AppError {
  if (isAppError(e)) {
    const level = e.status >= 500 ? 'error' : 'info';
    logger[level]({ ...context, code: e.code, status: e.status, details: e.details }, 'request failed');
    return e;
  }
  logger.error({ ...context, err: e }, 'unexpected error');
  return new AppError('internal', 500, 'Something went wrong on our side.', { cause: e });
}

export function errorCardActivity(
  error: AppError,
  options: { locale: string; commandText?: string; retryKey?: string },
): Partial<Activity> {
  const card = renderErrorCard({
    locale: options.locale,
    code: error.code,
    ...(options.commandText ? { requestSummary: options.commandText } : {}),
    ...(options.retryKey && error.retryable ? { retryData: { requestKey: options.retryKey } } : {}),
  });
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}
