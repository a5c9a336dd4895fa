/**
 * The one catalogue of errors Convene raises. Callers branch on `code`, never on message text, and every code means
 * one thing. `userMessage` is safe to show (no stack, no token, no upstream body); the user sees the localized text
 * for the code (i18n `error.<code>`), chosen in bot/responses.ts, the one place errors become Teams answers.
 */
/** What a failed Graph call means (graph/graph-error-mapping.ts classifies Graph's answer into one of these). */
export type GraphErrorCode =
  | 'graph_throttled'
  | 'graph_forbidden'
  | 'graph_not_found'
  | 'graph_bad_request'
  | 'graph_unavailable'
  | 'graph_timeout'
  | 'live_events_unsupported'
  | 'channel_binding_refused'
  // Town halls (issue #13, graph-townhall): Graph refused the town hall (no licence, no permission).
  | 'townhall_refused'
  // harden-state: a plain POST create that may have been carried out (no answer, or 502/503/504 to it).
  | 'graph_outcome_unknown';

export type ErrorCode =
  | 'validation'
  | 'time_in_past'
  | 'time_ambiguous'
  | 'consent_required'
  | 'sign_in_required'
  // arch-core (#16): what `identity_mismatch` and the overloaded `sign_in_required`/`conflict` used to mean.
  /** Entra refused the Teams SSO token for on-behalf-of (invalid_grant), or it is not a valid token for Convene. */
  | 'sso_token_rejected'
  /** The account that signed in (link callback, SSO token) is not the Teams user who asked. */
  | 'wrong_account'
  /** Someone pressed a button on a card that answers another person's request. */
  | 'not_your_request'
  /** A sign-in link or callback that is invalid, expired or already used. */
  | 'sign_in_link_invalid'
  /** Another delivery of the same create is still running (it will not be created twice). */
  | 'create_in_progress'
  | GraphErrorCode
  | 'not_organizer'
  | 'meeting_cancelled'
  | 'conflict'
  | 'pending_expired'
  | 'storage_unavailable'
  | 'auth_unavailable'
  // Town halls (issue #13, graph-townhall): application mode can't make one; only Cancel changes one.
  | 'townhall_application_mode'
  | 'townhall_unchangeable'
  | 'internal'
  // harden-state: a create whose outcome is unknown (design.md §3): the meeting may exist.
  | 'create_uncertain';

export interface AppErrorOptions {
  readonly cause?: unknown;
  /** Extra, non-secret context for the log (e.g. Graph request-id). */
  readonly details?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** Each code's HTTP-style status and default safe message (English; users see i18n `error.<code>`). */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, { readonly status: number; readonly userMessage: string }>> = {
  validation: { status: 400, userMessage: 'Some details of the meeting are not valid.' },
  time_in_past: { status: 400, userMessage: 'That time has already passed.' },
  time_ambiguous: { status: 400, userMessage: 'That time could mean more than one thing.' },
  consent_required: { status: 403, userMessage: 'Convene needs your consent before it can create meetings for you.' },
  sign_in_required: { status: 401, userMessage: 'Please sign in so Convene can create meetings for you.' },
  sso_token_rejected: { status: 401, userMessage: 'Your Teams sign-in could not be used. Please sign in again.' },
  wrong_account: { status: 403, userMessage: 'You signed in with a different account than your Teams account.' },
  not_your_request: { status: 403, userMessage: 'Only the person who asked can answer this card.' },
  sign_in_link_invalid: {
    status: 400,
    userMessage: 'This sign-in link is invalid, expired or was already used. Go back to Teams and ask Convene again.',
  },
  create_in_progress: {
    status: 409,
    userMessage: 'This meeting is still being created. Give it a moment; it will not be created twice.',
  },
  graph_throttled: { status: 429, userMessage: 'Microsoft Teams is busy right now. Please try again in a minute.' },
  graph_forbidden: {
    status: 403,
    userMessage: "Convene isn't allowed to manage Teams meetings for you. Sign in again or ask your admin for access.",
  },
  graph_not_found: { status: 404, userMessage: 'That meeting no longer exists in Microsoft Teams.' },
  graph_bad_request: { status: 400, userMessage: "Microsoft Teams couldn't accept that meeting request." },
  graph_unavailable: {
    status: 503,
    userMessage: 'Microsoft Teams is unavailable right now. Please try again shortly.',
  },
  graph_timeout: {
    status: 504,
    userMessage: 'Microsoft Teams took too long to answer. Please try again; Convene will not create a second meeting.',
  },
  live_events_unsupported: {
    status: 400,
    userMessage: 'Teams live events are no longer available. Create a regular meeting instead.',
  },
  channel_binding_refused: { status: 400, userMessage: "Microsoft Teams couldn't attach the meeting to this channel." },
  not_organizer: { status: 403, userMessage: 'Only the organizer can change this meeting.' },
  meeting_cancelled: { status: 409, userMessage: 'This meeting was cancelled, so it cannot be changed.' },
  conflict: {
    status: 409,
    userMessage: 'This meeting was just changed by another action. Refresh the card and try again.',
  },
  pending_expired: { status: 410, userMessage: 'That request expired. Please send it again.' },
  storage_unavailable: { status: 503, userMessage: "Convene can't save right now. Try again in a minute." },
  auth_unavailable: {
    status: 503,
    userMessage: 'Microsoft sign-in is not answering right now. Please try again in a minute.',
  },
  // Town halls (issue #13, graph-townhall)
  townhall_refused: {
    status: 403,
    userMessage: "Microsoft Teams didn't allow a town hall for you (licence or permission).",
  },
  townhall_application_mode: {
    status: 400,
    userMessage:
      'Town halls cannot be made with application permission. Ask your admin to switch Convene to delegated sign-in, or create a regular meeting without "live".',
  },
  townhall_unchangeable: {
    status: 400,
    userMessage: "Change a town hall's time or title in Teams; Convene can cancel it.",
  },
  internal: { status: 500, userMessage: 'Something went wrong on our side.' },
  // harden-state
  graph_outcome_unknown: {
    status: 504,
    userMessage: 'Microsoft Teams did not say whether the meeting was created. It may exist already.',
  },
  create_uncertain: {
    status: 504,
    userMessage:
      'Teams did not say whether this meeting was created, so it may exist already. Check your Teams calendar or chat before creating it again.',
  },
};

/** An AppError with the catalogue's status and message for `code` (the usual way to raise one). */
export function appError(code: ErrorCode, options: AppErrorOptions & { readonly userMessage?: string } = {}): AppError {
  const entry = ERROR_CATALOGUE[code];
  return new AppError(code, entry.status, options.userMessage ?? entry.userMessage, options);
}

export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly details: Readonly<Record<string, string | number | boolean | undefined>>;

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly userMessage: string,
    options: AppErrorOptions = {},
  ) {
    super(userMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }

  /** Errors a user can fix by trying again later (throttling, outages, timeouts). */
  get retryable(): boolean {
    return (
      this.code === 'graph_throttled' ||
      this.code === 'graph_unavailable' ||
      this.code === 'graph_timeout' ||
      this.code === 'storage_unavailable' ||
      this.code === 'auth_unavailable' ||
      // Kept for Retry: once an admin assigns the licence or permission, the same request goes through.
      this.code === 'townhall_refused'
    );
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(
    userMessage: string,
    /** Field id → message, for forms that show the error next to the field. */
    readonly fieldErrors: Readonly<Record<string, string>> = {},
    code: 'validation' | 'time_in_past' | 'time_ambiguous' = 'validation',
  ) {
    super(code, 400, userMessage);
  }
}

export class ConsentRequiredError extends AppError {
  override readonly name = 'ConsentRequiredError';
  constructor(
    readonly claims?: string,
    options: AppErrorOptions = {},
  ) {
    super('consent_required', 403, 'Convene needs your consent before it can create meetings for you.', options);
  }
}

export class SignInRequiredError extends AppError {
  override readonly name = 'SignInRequiredError';
  constructor(options: AppErrorOptions = {}) {
    super('sign_in_required', 401, 'Please sign in so Convene can create meetings for you.', options);
  }
}

export class GraphRequestError extends AppError {
  override readonly name = 'GraphRequestError';
  constructor(
    code: GraphErrorCode,
    readonly httpStatus: number,
    readonly requestId: string | undefined,
    userMessage: string,
    options: AppErrorOptions & { readonly retryAfterInMs?: number; readonly graphCode?: string } = {},
  ) {
    super(code, httpStatus >= 400 ? httpStatus : 502, userMessage, {
      ...options,
      details: { ...options.details, requestId, httpStatus, graphCode: options.graphCode },
    });
    this.retryAfterInMs = options.retryAfterInMs;
    this.graphCode = options.graphCode;
  }
  readonly retryAfterInMs: number | undefined;
  readonly graphCode: string | undefined;
}

/** Town halls need delegated VirtualEvent.ReadWrite: "Application: Not supported" (virtualeventsroot-post-townhalls). */
export class TownhallApplicationModeError extends AppError {
  override readonly name = 'TownhallApplicationModeError';
  constructor() {
    super(
      'townhall_application_mode',
      400,
      'Town halls cannot be made with application permission. Ask your admin to switch Convene to delegated sign-in, or create a regular meeting without "live".',
    );
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
