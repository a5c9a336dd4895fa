import { errorMessage, t } from '../i18n/index';
import type { ErrorCode } from '../meetings/errors';
import { md } from './escape';
import { adaptiveCard, execute, textBlock } from './builders';
import type { AdaptiveCard } from './types';

export interface ErrorCardView {
  readonly locale: string;
  readonly code: ErrorCode;
  /** The user's command text, shown back (escaped here). */
  readonly requestSummary?: string;
  /** Present when the request can be retried with its original idempotency key. */
  readonly retryData?: { readonly requestKey: string };
  /**
   * harden-state: present when an earlier create's outcome is unknown (the meeting may exist): "Create it anyway"
   * makes a new meeting under a new key, and the card says a duplicate is possible.
   */
  readonly createAnywayData?: { readonly requestKey: string };
}

/**
 * What went wrong (localized by code, no upstream detail), the user's input, and Retry when `retryData` is given, or
 * "Create it anyway" with its risk spelled out when `createAnywayData` is.
 */
export function renderErrorCard(view: ErrorCardView): AdaptiveCard {
  const { locale, retryData, createAnywayData } = view;
  const request = view.requestSummary?.trim() ? md(view.requestSummary, 300) : '';
  return adaptiveCard(
    [
      textBlock(t(locale, 'error.title'), {
        style: 'heading',
        size: 'medium',
        weight: 'bolder',
        color: 'attention',
        wrap: true,
      }),
      textBlock(errorMessage(locale, view.code), { wrap: true }),
      ...(request ? [textBlock(t(locale, 'error.yourRequest', { request }), { isSubtle: true, wrap: true })] : []),
      ...(retryData ? [textBlock(t(locale, 'error.retryHint'), { isSubtle: true, wrap: true })] : []),
      ...(createAnywayData ? [textBlock(t(locale, 'error.createAnywayHint'), { wrap: true })] : []),
    ],
    {
      actions: [
        ...(retryData
          ? [execute('retry', t(locale, 'error.retry'), { requestKey: retryData.requestKey }, { style: 'positive' })]
          : []),
        ...(createAnywayData
          ? [execute('createAnyway', t(locale, 'error.createAnyway'), { requestKey: createAnywayData.requestKey })]
          : []),
      ],
    },
  );
}
