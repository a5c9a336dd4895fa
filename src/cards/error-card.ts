import { errorMessage, t } from '../i18n/index.js';
import type { ErrorCode } from '../meetings/errors.js';
import { md } from './escape.js';
import { compileTemplate } from './template.js';
import { ADAPTIVE_CARD_SCHEMA, type ActionData, type AdaptiveCard } from './types.js';

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

interface ErrorData {
  readonly title: string;
  readonly message: string;
  readonly hasRequest: boolean;
  readonly request: string;
  readonly hasRetry: boolean;
  readonly retryHint: string;
  readonly retryTitle: string;
  readonly retryData: ActionData;
  readonly retrySubmitData: ActionData;
  readonly hasCreateAnyway: boolean;
  readonly createAnywayHint: string;
  readonly createAnywayTitle: string;
  readonly createAnywayData: ActionData;
  readonly createAnywaySubmitData: ActionData;
}

export const ERROR_CARD_TEMPLATE: AdaptiveCard = {
  type: 'AdaptiveCard',
  $schema: ADAPTIVE_CARD_SCHEMA,
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${title}', style: 'heading', size: 'medium', weight: 'bolder', color: 'attention', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true },
    { type: 'TextBlock', $when: '${hasRequest}', text: '${request}', isSubtle: true, wrap: true },
    { type: 'TextBlock', $when: '${hasRetry}', text: '${retryHint}', isSubtle: true, wrap: true },
    { type: 'TextBlock', $when: '${hasCreateAnyway}', text: '${createAnywayHint}', wrap: true },
  ],
  actions: [
    {
      type: 'Action.Execute',
      $when: '${hasRetry}',
      verb: 'retry',
      title: '${retryTitle}',
      data: '${retryData}',
      style: 'positive',
      fallback: { type: 'Action.Submit', title: '${retryTitle}', data: '${retrySubmitData}' },
    },
    {
      type: 'Action.Execute',
      $when: '${hasCreateAnyway}',
      verb: 'createAnyway',
      title: '${createAnywayTitle}',
      data: '${createAnywayData}',
      fallback: { type: 'Action.Submit', title: '${createAnywayTitle}', data: '${createAnywaySubmitData}' },
    },
  ],
};

const expand = compileTemplate<ErrorData>(ERROR_CARD_TEMPLATE);

/** What went wrong (localized by code, no upstream detail), the user's input, and Retry when `retryData` is given. */
export function renderErrorCard(view: ErrorCardView): AdaptiveCard {
  return expand(errorCardData(view));
}

/** The data ERROR_CARD_TEMPLATE is expanded with. */
export function errorCardData(view: ErrorCardView): ErrorData {
  const { locale } = view;
  const request = view.requestSummary?.trim() ? md(view.requestSummary, 300) : '';
  const retryData: ActionData = view.retryData ? { requestKey: view.retryData.requestKey } : {};
  const createAnywayData: ActionData = view.createAnywayData ? { requestKey: view.createAnywayData.requestKey } : {};
  return {
    title: t(locale, 'error.title'),
    message: errorMessage(locale, view.code),
    hasRequest: request !== '',
    request: request ? t(locale, 'error.yourRequest', { request }) : '',
    hasRetry: view.retryData !== undefined,
    retryHint: t(locale, 'error.retryHint'),
    retryTitle: t(locale, 'error.retry'),
    retryData,
    retrySubmitData: { ...retryData, verb: 'retry' },
    hasCreateAnyway: view.createAnywayData !== undefined,
    createAnywayHint: t(locale, 'error.createAnywayHint'),
    createAnywayTitle: t(locale, 'error.createAnyway'),
    createAnywayData,
    createAnywaySubmitData: { ...createAnywayData, verb: 'createAnyway' },
  };
}
