import { createHash } from 'node:crypto';
import type { LocalUser } from '../fixtures';
import type { EntraContext } from './context';
import { EntraError, errors } from './errors';
import { graphScopeName, parseDelegatedScopes } from './scopes';
import { issueApplication, issueDelegated, type TokenResponse } from './tokens';
import type { EntraClient } from './types';

/** Filled in by grants as they learn who the request is about, for the token-request record. */
export interface GrantTrace {
  oid?: string;
  scopes: readonly string[];
}

export type Form = Readonly<Record<string, string>>;

const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Runs one grant for an authenticated client. Throws EntraError for every refusal. */
export function runGrant(ctx: EntraContext, client: EntraClient, form: Form, trace: GrantTrace): TokenResponse {
  switch (form.grant_type) {
    case OBO_GRANT:
      return onBehalfOf(ctx, client, form, trace);
    case 'authorization_code':
      return authorizationCode(ctx, client, form, trace);
    case 'refresh_token':
      return refreshToken(ctx, client, form, trace);
    case 'client_credentials':
      return clientCredentials(ctx, client, form);
    default:
      throw errors.unsupportedGrantType(form.grant_type ?? '');
  }
}

function onBehalfOf(ctx: EntraContext, client: EntraClient, form: Form, trace: GrantTrace): TokenResponse {
  if (form.requested_token_use !== 'on_behalf_of') throw errors.missingParameter('requested_token_use');
  const assertion = required(form, 'assertion');
  const scopes = parseDelegatedScopes(form.scope, client);
  const checked = ctx.key.check(assertion);
  if (!checked.ok) {
    if (checked.reason === 'malformed') throw errors.malformedAssertion();
    throw errors.assertionSignature(
      checked.reason === 'key-not-found'
        ? `The key was not found., Thumbprint of key used by client: '${checked.kid ?? ''}'`
        : 'Key was found, but use of the key to verify the signature failed.',
    );
  }
  const claims = checked.claims;
  if (typeof claims.oid === 'string') trace.oid = claims.oid;
  // No clock skew: tests that mint an already-expired token expect a refusal, whatever the margin.
  const nowMs = Date.now();
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf * 1000 : 0;
  if (exp <= nowMs || nbf > nowMs) throw errors.assertionExpired(new Date(nowMs), new Date(exp));
  const aud = typeof claims.aud === 'string' ? claims.aud : '';
  // Entra accepts either spelling of "me": the client id (v2 tokens) or an app ID URI (v1 tokens).
  if (aud !== client.clientId && aud !== client.appIdUri) {
    throw errors.assertionAudience(aud, client.clientId, client.displayName ?? 'Convene');
  }
  const tid = typeof claims.tid === 'string' ? claims.tid : '';
  if (tid !== ctx.tenantId) throw errors.assertionTenant(tid, ctx.tenantId);
  const user = findUser(ctx, trace.oid);
  const mfa = Array.isArray(claims.amr) && claims.amr.includes('mfa');
  checkUser(ctx, client, user, mfa, scopes.graph);
  trace.scopes = scopes.graph;
  return issueDelegated(ctx, {
    client,
    user,
    graphScopes: scopes.graph,
    oidc: scopes.oidc,
    clientInfo: form.client_info === '1',
    mfa,
  });
}

function authorizationCode(ctx: EntraContext, client: EntraClient, form: Form, trace: GrantTrace): TokenResponse {
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const grant = ctx.state.codes.get(code);
  if (!grant) throw errors.codeInvalid();
  if (grant.clientId !== client.clientId) throw errors.codeWrongClient();
  trace.oid = grant.oid;
  if (grant.redeemed) throw errors.codeRedeemed();
  // Any redemption attempt by the right client uses the code up, successful or not.
  grant.redeemed = true;
  if (Date.now() > grant.expiresAtMs) throw errors.codeExpired();
  if (redirectUri !== grant.redirectUri) throw errors.redirectMismatch(redirectUri, grant.redirectUri);
  const verifier = required(form, 'code_verifier');
  if (createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge) throw errors.badCodeVerifier();
  const scopes = parseDelegatedScopes(form.scope ?? grant.scopes.join(' '), client);
  const user = findUser(ctx, grant.oid);
  // The user just signed in interactively: that satisfies MFA; consent was given on the page.
  checkUser(ctx, client, user, true, scopes.graph);
  trace.scopes = scopes.graph;
  return issueDelegated(ctx, {
    client,
    user,
    graphScopes: scopes.graph,
    oidc: scopes.oidc,
    clientInfo: form.client_info === '1',
    mfa: true,
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
  });
}

function refreshToken(ctx: EntraContext, client: EntraClient, form: Form, trace: GrantTrace): TokenResponse {
  const token = required(form, 'refresh_token');
  const grant = ctx.state.refreshTokens.get(token);
  if (!grant) throw errors.refreshTokenInvalid();
  if (grant.clientId !== client.clientId) throw errors.refreshTokenWrongClient();
  trace.oid = grant.oid;
  const scopes = form.scope
    ? parseDelegatedScopes(form.scope, client)
    : { graph: grant.scopes, oidc: new Set(['openid', 'profile', 'offline_access']) };
  const user = findUser(ctx, grant.oid);
  checkUser(ctx, client, user, grant.mfa, scopes.graph);
  trace.scopes = scopes.graph;
  // Entra rotates refresh tokens but the old one stays valid until it expires; so does this one.
  return issueDelegated(ctx, {
    client,
    user,
    graphScopes: scopes.graph,
    oidc: scopes.oidc,
    clientInfo: form.client_info === '1',
    mfa: grant.mfa,
  });
}

function clientCredentials(ctx: EntraContext, client: EntraClient, form: Form): TokenResponse {
  const scope = required(form, 'scope').trim();
  if (scope.split(/\s+/).length !== 1 || !scope.endsWith('/.default')) throw errors.clientCredentialsScope(scope);
  if (graphScopeName(scope) !== '.default') {
    const resource = scope.slice(0, -'/.default'.length);
    throw new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${ctx.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  return issueApplication(ctx, client);
}

/**
 * Consent per scope: Entra's incremental consent answers AADSTS65001 for a scope the user never consented to, even
 * with a valid refresh token (learn.microsoft.com/entra/identity-platform/permissions-consent-overview).
 */
function checkUser(
  ctx: EntraContext,
  client: EntraClient,
  user: LocalUser,
  mfaSatisfied: boolean,
  scopes: readonly string[],
): void {
  if (ctx.state.isConsentMissing(user.aadObjectId, client.clientId, scopes)) {
    throw errors.consentRequired(client.clientId, client.displayName ?? 'Convene');
  }
  if (ctx.state.isMfaRequired(user.aadObjectId) && !mfaSatisfied) throw errors.mfaRequired();
}

function findUser(ctx: EntraContext, oid: string | undefined): LocalUser {
  const user = oid ? ctx.state.users.get(oid) : undefined;
  if (!user) throw errors.userNotFound(oid ?? '', ctx.tenantId);
  return user;
}

function required(form: Form, name: string): string {
  const value = form[name];
  if (!value) throw errors.missingParameter(name);
  return value;
}
