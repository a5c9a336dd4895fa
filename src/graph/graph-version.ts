/**
 * Graph API versions. Convene calls v1.0 ("APIs under the /beta version … are subject to change. Use of these APIs
 * in production applications is not supported", learn.microsoft.com/graph/versioning-and-support) and swaps to beta
 * only for a call v1.0 does not document, for that call alone.
 */
export type GraphVersion = 'v1.0' | 'beta';

export const GRAPH_VERSIONS: readonly GraphVersion[] = ['v1.0', 'beta'];

export function isGraphVersion(value: string): value is GraphVersion {
  return (GRAPH_VERSIONS as readonly string[]).includes(value);
}

/** `https://host/prefix/v1.0` → `{ root: 'https://host/prefix', version: 'v1.0' }`. Throws without a known version. */
export function splitGraphBaseUrl(baseUrl: string): { readonly root: string; readonly version: GraphVersion } {
  const url = new URL(baseUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const version = segments.pop();
  if (version === undefined || !isGraphVersion(version)) {
    throw new Error(`A Graph base URL must end in /v1.0 or /beta: ${baseUrl}`);
  }
  return { root: `${url.origin}${segments.length > 0 ? `/${segments.join('/')}` : ''}`, version };
}

/** The same base with its version segment swapped: `…/v1.0` → `…/beta`. */
export function withGraphVersion(baseUrl: string, version: GraphVersion): string {
  return `${splitGraphBaseUrl(baseUrl).root}/${version}`;
}

/**
 * The version one call goes to: beta when the call needs something only beta documents, else the configured one
 * (an administrator who configured beta keeps getting beta everywhere).
 */
export function versionForCall(configured: GraphVersion, needsBeta: boolean): GraphVersion {
  return needsBeta ? 'beta' : configured;
}

/**
 * createOrGet's `chatInfo` is documented for beta only ("only supported in beta", api-reference/v1.0/api/
 * onlinemeeting-createorget.md; learn.microsoft.com/graph/api/onlinemeeting-createorget?view=graph-rest-1.0): a
 * channel-bound createOrGet goes to beta, every other call Convene makes is v1.0.
 */
export function createOrGetNeedsBeta(body: { readonly chatThreadId?: string }): boolean {
  return body.chatThreadId !== undefined;
}

/**
 * The seed's live-event request (`isBroadcast`, `broadcastSettings`, LIVE_MEETINGS=broadcast) is beta only: v1.0's
 * onlineMeeting has neither (api-reference/beta/resources/onlinemeeting.md marks them deprecated; "stopped returning
 * data on September 30, 2024").
 */
export function createNeedsBeta(body: { readonly live: boolean }): boolean {
  return body.live;
}
