import { z } from 'zod';
import { GraphRequestError } from '../meetings/errors';

/** What the failed request asked for: decides whether a 400 means "no live events" or "no channel binding". */
export interface FailedRequestContext {
  readonly askedLive: boolean;
  readonly askedChannel: boolean;
}

const odataError = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

export interface GraphErrorInfo {
  readonly code?: string;
  readonly message?: string;
}

/** Reads `{error:{code,message}}` from a Graph error body; other bodies yield an empty result. */
export function readGraphError(body: unknown): GraphErrorInfo {
  const parsed = odataError.safeParse(body);
  return parsed.success ? { code: parsed.data.error.code, message: parsed.data.error.message } : {};
}

type GraphCode = ConstructorParameters<typeof GraphRequestError>[0];

/** Safe English messages (bot/responses.ts localizes by code). Never the upstream body. */
export const USER_MESSAGES: Readonly<Record<GraphCode, string>> = {
  graph_throttled: 'Microsoft Teams is busy right now. Please try again in a minute.',
  graph_forbidden: "Convene isn't allowed to manage Teams meetings for you. Sign in again or ask your admin for access.",
  graph_not_found: 'That meeting no longer exists in Microsoft Teams.',
  graph_bad_request: "Microsoft Teams couldn't accept that meeting request.",
  graph_unavailable: 'Microsoft Teams is unavailable right now. Please try again shortly.',
  graph_timeout: 'Microsoft Teams took too long to answer. Please try again; Convene will not create a second meeting.',
  live_events_unsupported: 'Teams live events are no longer available. Create a regular meeting instead.',
  channel_binding_refused: "Microsoft Teams couldn't attach the meeting to this channel.",
  townhall_refused: "Microsoft Teams didn't allow a town hall for you (licence or permission).",
};

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
  const code = codeForStatus(status, context);
  const info = readGraphError(body);
  return new GraphRequestError(code, status, requestId, USER_MESSAGES[code], { retryAfterInMs, graphCode: info.code });
}
