import { z } from 'zod';
import { GraphRequestError, type GraphErrorCode } from '../meetings/errors';

/** What the failed request asked for: decides whether a 400 means "no live events" or "no channel binding". */
export interface FailedRequestContext {
  readonly askedLive: boolean;
  readonly askedChannel: boolean;
}

// Graph's error body (learn.microsoft.com/graph/errors): `code`, `message`, and an `innerError` carrying the
// request-id and, for some services, a more specific `code` of its own.
const innerError = z.looseObject({ code: z.string().optional(), 'request-id': z.string().optional() });
const odataError = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional(), innerError: innerError.optional() }),
});

export interface GraphErrorInfo {
  readonly code?: string;
  readonly message?: string;
  /** `innerError.code`: the more specific reason, when Graph gives one. */
  readonly innerCode?: string;
  /** `innerError['request-id']`: the id to quote to Microsoft support when the header is missing. */
  readonly requestId?: string;
}

/** Reads `{error:{code,message,innerError}}` from a Graph error body; other bodies yield an empty result. */
export function readGraphError(body: unknown): GraphErrorInfo {
  const parsed = odataError.safeParse(body);
  if (!parsed.success) return {};
  const { code, message, innerError: inner } = parsed.data.error;
  return {
    ...(code !== undefined ? { code } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(inner?.code !== undefined ? { innerCode: inner.code } : {}),
    ...(inner?.['request-id'] !== undefined ? { requestId: inner['request-id'] } : {}),
  };
}

type GraphCode = GraphErrorCode;

/** Safe English messages (bot/responses.ts localizes by code). Never the upstream body. */
export const USER_MESSAGES: Readonly<Record<GraphCode, string>> = {
  graph_throttled: 'Microsoft Teams is busy right now. Please try again in a minute.',
  graph_forbidden:
    "Convene isn't allowed to manage Teams meetings for you. Sign in again or ask your admin for access.",
  graph_not_found: 'That meeting no longer exists in Microsoft Teams.',
  graph_bad_request: "Microsoft Teams couldn't accept that meeting request.",
  graph_unavailable: 'Microsoft Teams is unavailable right now. Please try again shortly.',
  graph_timeout: 'Microsoft Teams took too long to answer. Please try again; Convene will not create a second meeting.',
  live_events_unsupported: 'Teams live events are no longer available. Create a regular meeting instead.',
  channel_binding_refused: "Microsoft Teams couldn't attach the meeting to this channel.",
  townhall_refused: "Microsoft Teams didn't allow a town hall for you (licence or permission).",
  graph_outcome_unknown: 'Microsoft Teams did not say whether the meeting was created. It may exist already.',
};

/**
 * Graph's own error codes (learn.microsoft.com/graph/errors, "Code property"; Teams' onlineMeetings and chat codes)
 * and what they mean for Convene, compared case-insensitively. Codes not listed fall back to the HTTP status.
 */
const BY_GRAPH_CODE: Readonly<Record<string, GraphCode>> = {
  throttledrequest: 'graph_throttled',
  toomanyrequests: 'graph_throttled',
  activitylimitreached: 'graph_throttled',
  accessdenied: 'graph_forbidden',
  forbidden: 'graph_forbidden',
  authorization_requestdenied: 'graph_forbidden',
  erroraccessdenied: 'graph_forbidden',
  invalidauthenticationtoken: 'graph_forbidden',
  unauthenticated: 'graph_forbidden',
  itemnotfound: 'graph_not_found',
  notfound: 'graph_not_found',
  resourcenotfound: 'graph_not_found',
  invalidthreadid: 'channel_binding_refused',
  threadnotfound: 'channel_binding_refused',
  servicenotavailable: 'graph_unavailable',
  generalexception: 'graph_unavailable',
  unknownerror: 'graph_unavailable',
};

/** Classifies from Graph's answer first (its inner code, then its code), then from the status and what was asked. */
export function classifyGraphError(status: number, info: GraphErrorInfo, context: FailedRequestContext): GraphCode {
  if (status === 429) return 'graph_throttled';
  const byCode = [info.innerCode, info.code]
    .map((code) => (code === undefined ? undefined : BY_GRAPH_CODE[code.toLowerCase()]))
    .find((code) => code !== undefined);
  return byCode ?? codeForStatus(status, context);
}

/** The status-only reading: a 400 is taken to refuse what the request asked for beyond a plain meeting. */
export function codeForStatus(status: number, context: FailedRequestContext): GraphCode {
  if (status === 429) return 'graph_throttled';
  if (status === 401 || status === 403) return 'graph_forbidden';
  if (status === 404) return 'graph_not_found';
  if (status === 400) {
    if (context.askedLive) return 'live_events_unsupported';
    if (context.askedChannel) return 'channel_binding_refused';
    return 'graph_bad_request';
  }
  if (status >= 500) return 'graph_unavailable';
  return 'graph_bad_request';
}

export function graphRequestError(
  status: number,
  body: unknown,
  requestId: string | undefined,
  context: FailedRequestContext,
  retryAfterInMs?: number,
): GraphRequestError {
  const info = readGraphError(body);
  const code = classifyGraphError(status, info, context);
  return new GraphRequestError(code, status, requestId ?? info.requestId, USER_MESSAGES[code], {
    retryAfterInMs,
    graphCode: info.innerCode ?? info.code,
  });
}
