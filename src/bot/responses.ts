import { CardFactory, MessageFactory, type Activity, type InvokeResponse } from 'botbuilder';
import { renderErrorCard } from '../cards';
import type { ErrorCardView } from '../cards/error-card';
import { errorMessage, t } from '../i18n';
import type { Logger } from '../logging/logger';
import { AppError, ConsentRequiredError, isAppError, ValidationError, type ErrorCode } from '../meetings/errors';

/**
 * The one place that decides what Teams shows for an error (house-style rule 6): handlers throw or return typed
 * errors, and ask here which answer each kind of entry point gives. Decisions branch on `code`, never on text.
 */

/** Normalizes anything thrown into an AppError and logs it once (info below 500, error above). */
export function normalizeError(e: unknown, logger: Logger, context: Record<string, unknown> = {}): AppError {
  if (isAppError(e)) {
    const level = e.status >= 500 ? 'error' : 'info';
    logger[level]({ ...context, code: e.code, status: e.status, details: e.details }, 'request failed');
    return e;
  }
  logger.error({ ...context, err: e }, 'unexpected error');
  return new AppError('internal', 500, 'Something went wrong on our side.', { cause: e });
}

/** The SSO token of the invoke could not be used: Teams should fall back to its sign-in button (412). */
const SIGN_IN_FALLBACK: ReadonlySet<ErrorCode> = new Set(['sso_token_rejected', 'wrong_account']);

// ── message turns ───────────────────────────────────────────────────────────────────────────────────────────────

/** The error card a chat command gets: what went wrong, what was asked, and Retry when trying again can help. */
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
export function errorCardView(
  error: AppError,
  options: { locale: string; commandText?: string; retryKey?: string },
): ErrorCardView {
  return {
    locale: options.locale,
    code: error.code,
    ...(options.commandText ? { requestSummary: options.commandText } : {}),
    ...(options.retryKey && error.retryable ? { retryData: { requestKey: options.retryKey } } : {}),
    ...(options.retryKey && error.code === 'create_uncertain'
      ? { createAnywayData: { requestKey: options.retryKey } }
      : {}),
  };
}

// ── invokes (any name) ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * What an invoke answers for an error no route turned into a card: an outage (storage, sign-in) is a 503 the client
 * may retry, anything else server-side a 500, in Teams' error shape without detail. Undefined for a client error.
 */
export function invokeErrorResponse(e: unknown): InvokeResponse | undefined {
  if (!isAppError(e) || e.status < 500) return undefined;
  const status = e.status === 503 ? 503 : 500;
  return {
    status,
    body: {
      statusCode: status,
      type: 'application/vnd.microsoft.error',
      value: { code: e.code, message: e.userMessage },
    },
  };
}

/** A 400 or 412 invoke answer in Teams' error shape (412 makes Teams fall back to its sign-in button). */
export function invokeError(status: 400 | 412, code: string, message: string): InvokeResponse {
  const type =
    status === 412 ? 'application/vnd.microsoft.error.preconditionFailed' : 'application/vnd.microsoft.error';
  return { status, body: { statusCode: status, type, value: { code, message } } };
}

// ── card buttons (adaptiveCard/action) ──────────────────────────────────────────────────────────────────────────

/** How a card button's failure is answered, before the handler renders it. */
export type CardFailureAnswer =
  | { readonly kind: 'bad-request'; readonly message: string }
  | { readonly kind: 'login'; readonly consent: boolean }
  | { readonly kind: 'precondition'; readonly message: string }
  /** Shown on the clicker's card (the meeting's own card when there is one, else an error card). */
  | { readonly kind: 'notice'; readonly code: ErrorCode; readonly message: string; readonly retryable: boolean }
  | { readonly kind: 'not-your-request' };

/** A card whose data names no meeting of this card (tampered or stale): refused, nothing else happens. */
export function isBindingError(e: AppError): boolean {
  return e instanceof ValidationError && e.fieldErrors['meetingKey'] !== undefined;
}

export function cardFailureAnswer(e: unknown, locale: string): CardFailureAnswer {
  if (!isAppError(e))
    return { kind: 'notice', code: 'internal', message: errorMessage(locale, 'internal'), retryable: false };
  if (isBindingError(e)) return { kind: 'bad-request', message: e.message };
  if (e instanceof ConsentRequiredError) return { kind: 'login', consent: true };
  if (e.code === 'sign_in_required') return { kind: 'login', consent: false };
  if (e.code === 'not_your_request') return { kind: 'not-your-request' };
  if (SIGN_IN_FALLBACK.has(e.code)) return { kind: 'precondition', message: errorMessage(locale, e.code) };
  return { kind: 'notice', code: e.code, message: errorMessage(locale, e.code), retryable: e.retryable };
}

// ── compose extension ───────────────────────────────────────────────────────────────────────────────────────────

/** How the compose form answers a failed create. */
export type ComposeFailureAnswer =
  | { readonly kind: 'sign-in'; readonly consent: boolean }
  | { readonly kind: 'field-errors'; readonly errors: Readonly<Record<string, string>> }
  /** `freshKey`: answer with a new nonce, so pressing Create again is a new (explicit) create. */
  | { readonly kind: 'notice'; readonly message: string; readonly freshKey?: boolean };

export function composeFailureAnswer(error: AppError, locale: string): ComposeFailureAnswer {
  if (error instanceof ConsentRequiredError) return { kind: 'sign-in', consent: true };
  if (error.code === 'sign_in_required' || error.code === 'sso_token_rejected' || error.code === 'wrong_account') {
    return { kind: 'sign-in', consent: false };
  }
  if (error instanceof ValidationError && Object.keys(error.fieldErrors).length > 0)
    return { kind: 'field-errors', errors: error.fieldErrors };
  if (error.code === 'time_in_past') return { kind: 'field-errors', errors: { time: t(locale, 'form.errorPast') } };
  if (error.code === 'live_events_unsupported')
    return { kind: 'field-errors', errors: { live: errorMessage(locale, error.code) } };
  // Another delivery is still creating this very meeting: same advice as a slow Graph.
  if (error.code === 'create_in_progress' || error.code === 'conflict')
    return { kind: 'notice', message: t(locale, 'form.slow') };
  // harden-state: the meeting may exist; Create again (a new nonce) makes a second one, and the notice says so.
  if (error.code === 'create_uncertain') {
    return {
      kind: 'notice',
      message: `${errorMessage(locale, error.code)} ${t(locale, 'form.createAgainRisk')}`,
      freshKey: true,
    };
  }
  return { kind: 'notice', message: errorMessage(locale, error.code) };
}

/**
 * A search whose SSO token could not be used, whatever the reason: 412 makes Teams fall back to `auth` (the sign-in
 * link); an outage shows there as a failed sign-in the user can retry.
 */
export function searchSsoFailed(): InvokeResponse {
  return { status: 412 };
}

/** The short message a compose dialog closes with: the code's advice when retrying helps, else "something went wrong". */
export function composeMessageFor(error: AppError, locale: string, onlyRetryable = false): string {
  return errorMessage(locale, onlyRetryable && !error.retryable ? 'internal' : error.code);
}

// ── the sign-in popup's pages (src/server/auth-routes.ts) ───────────────────────────────────────────────────────

/** The status and text of the page the sign-in popup shows for a failure, in the browser's language. */
export function signInPageAnswer(e: unknown, locale: string): { readonly status: number; readonly message: string } {
  if (!isAppError(e)) return { status: 500, message: t(locale, 'error.internal') };
  return { status: e.status, message: errorMessage(locale, e.code) };
}
