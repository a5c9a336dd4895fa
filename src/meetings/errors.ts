/**
 * The one catalogue of errors Convene raises. Callers branch on `code`, never on message text.
 * `userMessage` is safe to show (no stack, no token, no upstream body); bot/responses.ts localizes by code.
 */
export type ErrorCode =
  | 'validation'
  | 'time_in_past'
  | 'time_ambiguous'
  | 'consent_required'
  | 'sign_in_required'
  | 'identity_mismatch'
  | 'graph_throttled'
  | 'graph_forbidden'
  | 'graph_not_found'
  | 'graph_bad_request'
  | 'graph_unavailable'
  | 'graph_timeout'
  | 'live_events_unsupported'
  | 'channel_binding_refused'
  | 'not_organizer'
  | 'meeting_cancelled'
  | 'conflict'
  | 'pending_expired'
  | 'storage_unavailable'
  | 'auth_unavailable'
  // Town halls (issue #13, graph-townhall): Graph refused the town hall (licence, permission); application mode can't make one.
  | 'townhall_refused'
  | 'townhall_application_mode'
  | 'townhall_unchangeable'
  | 'internal';

export interface AppErrorOptions {
  readonly cause?: unknown;
  /** Extra, non-secret context for the log (e.g. Graph request-id). */
  readonly details?: Readonly<Record<string, string | number | boolean | undefined>>;
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
    code: Extract<
      ErrorCode,
      | 'graph_throttled'
      | 'graph_forbidden'
      | 'graph_not_found'
      | 'graph_bad_request'
      | 'graph_unavailable'
      | 'graph_timeout'
      | 'live_events_unsupported'
      | 'channel_binding_refused'
      | 'townhall_refused'
    >,
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
