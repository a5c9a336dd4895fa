import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { renderErrorCard } from '../cards';
import type { ErrorCardView } from '../cards/error-card';
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
  return MessageFactory.attachment(CardFactory.adaptiveCard(renderErrorCard(errorCardView(error, options))));
}

/**
 * What an error card offers for a kept request: Retry (same key) when trying again is safe, "Create it anyway"
 * (a new key, pressed by the requester only) when an earlier create may have made the meeting, else nothing.
 */
export function errorCardView(error: AppError, options: { locale: string; commandText?: string; retryKey?: string }): ErrorCardView {
  return {
    locale: options.locale,
    code: error.code,
    ...(options.commandText ? { requestSummary: options.commandText } : {}),
    ...(options.retryKey && error.retryable ? { retryData: { requestKey: options.retryKey } } : {}),
    ...(options.retryKey && error.code === 'create_uncertain' ? { createAnywayData: { requestKey: options.retryKey } } : {}),
  };
}
