import { errors } from './errors';
import type { EntraClient } from './types';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
/** What aad.manifest.json declares (and an admin consents to): town halls need `VirtualEvent.ReadWrite`. */
const DEFAULT_DELEGATED = ['User.Read', 'OnlineMeetings.ReadWrite', 'VirtualEvent.ReadWrite'];

export interface RequestedScopes {
  /** Granted Graph scopes, short names (`OnlineMeetings.ReadWrite`): the token's `scp`. */
  readonly graph: readonly string[];
  readonly oidc: ReadonlySet<string>;
}

/**
 * Splits a v2 `scope` parameter the way Entra does: OIDC scopes apart, bare names and both Graph spellings mean
 * Graph, `.default` means whatever the app was granted. Only Graph is a resource here; anything else is refused.
 */
export function parseDelegatedScopes(scope: string | undefined, client: EntraClient): RequestedScopes {
  if (!scope?.trim()) throw errors.missingParameter('scope');
  const graph = new Set<string>();
  const oidc = new Set<string>();
  for (const raw of scope.trim().split(/\s+/)) {
    const lower = raw.toLowerCase();
    if (OIDC_SCOPES.has(lower)) {
      oidc.add(lower);
      continue;
    }
    const name = graphScopeName(raw);
    if (name === undefined) throw errors.invalidScope(raw);
    if (name === '.default') for (const s of client.delegatedScopes ?? DEFAULT_DELEGATED) graph.add(s);
    else graph.add(name);
  }
  // Entra answers a pure sign-in (openid profile) with a Graph token for User.Read.
  if (graph.size === 0) graph.add('User.Read');
  return { graph: [...graph], oidc };
}

export function graphScopeName(scope: string): string | undefined {
  for (const prefix of [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`]) {
    if (scope.toLowerCase().startsWith(prefix)) return scope.slice(prefix.length) || undefined;
  }
  return /^[A-Za-z][\w.]*$/.test(scope) || scope === '.default' ? scope : undefined;
}

/** The `scope` field of a token response: full Graph URIs, as Entra returns them. */
export function responseScope(graph: readonly string[]): string {
  return graph.map((s) => `${GRAPH_RESOURCE}/${s}`).join(' ');
}
