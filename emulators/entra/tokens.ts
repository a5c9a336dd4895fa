import { randomBytes } from 'node:crypto';
import type { LocalUser } from '../fixtures';
import { TEAMS_CLIENT_IDS } from '../fixtures';
import { v1Issuer, v2Issuer, type EntraContext } from './context';
import { GRAPH_RESOURCE, responseScope } from './scopes';
import type { EntraClient, MintSsoTokenOptions } from './types';

/** Fixed `oid` of an app's service principal in application tokens, unless the client names its own. */
export const DEFAULT_SERVICE_PRINCIPAL_ID = 'c0ffee00-5e71-4ce0-9000-00000000005b';

export interface TokenResponse {
  readonly token_type: 'Bearer';
  readonly scope?: string;
  readonly expires_in: number;
  readonly ext_expires_in: number;
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly client_info?: string;
}

export interface DelegatedGrant {
  readonly client: EntraClient;
  readonly user: LocalUser;
  readonly graphScopes: readonly string[];
  readonly oidc: ReadonlySet<string>;
  /** The request carried `client_info=1`. */
  readonly clientInfo: boolean;
  readonly mfa: boolean;
  readonly nonce?: string;
}

const now = (): number => Math.floor(Date.now() / 1000);
/** Entra's `uti`: a short unique id per token; msal and Graph never parse it. */
const uti = (): string => randomBytes(16).toString('base64url').slice(0, 22);

/** Graph access token for a user (v1 format, as Graph tokens are), plus refresh/id token as the request asked. */
export function issueDelegated(ctx: EntraContext, grant: DelegatedGrant): TokenResponse {
  const { client, user } = grant;
  const lifetime = ctx.state.accessTokenLifetimeSec;
  const iat = now();
  const accessToken = ctx.key.sign({
    aud: GRAPH_RESOURCE,
    iss: v1Issuer(ctx.tenantId),
    iat,
    nbf: iat,
    exp: iat + lifetime,
    acr: '1',
    amr: grant.mfa ? ['pwd', 'mfa'] : ['pwd'],
    app_displayname: client.displayName ?? 'Convene',
    appid: client.clientId,
    appidacr: '1',
    family_name: user.surname,
    given_name: user.givenName,
    idtyp: 'user',
    name: user.name,
    oid: user.aadObjectId,
    scp: grant.graphScopes.join(' '),
    sub: pairwiseSub(user.aadObjectId, GRAPH_RESOURCE),
    tid: ctx.tenantId,
    unique_name: user.upn,
    upn: user.upn,
    uti: uti(),
    ver: '1.0',
  });
  const response: TokenResponse = {
    token_type: 'Bearer',
    scope: responseScope(grant.graphScopes),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: ctx.state.remember(accessToken),
    ...(grant.oidc.has('offline_access') ? { refresh_token: newRefreshToken(ctx, grant) } : {}),
    ...(grant.oidc.has('openid') ? { id_token: ctx.state.remember(idToken(ctx, grant, iat)) } : {}),
    ...(grant.clientInfo ? { client_info: userClientInfo(ctx, user) } : {}),
  };
  return response;
}

/** client_credentials: an app-only Graph token carrying the admin-granted `roles`. */
export function issueApplication(ctx: EntraContext, client: EntraClient): TokenResponse {
  const lifetime = ctx.state.accessTokenLifetimeSec;
  const iat = now();
  const spId = client.servicePrincipalId ?? DEFAULT_SERVICE_PRINCIPAL_ID;
  const accessToken = ctx.key.sign({
    aud: GRAPH_RESOURCE,
    iss: v1Issuer(ctx.tenantId),
    iat,
    nbf: iat,
    exp: iat + lifetime,
    app_displayname: client.displayName ?? 'Convene',
    appid: client.clientId,
    appidacr: '1',
    idtyp: 'app',
    oid: spId,
    roles: [...(client.grantedApplicationRoles ?? [])],
    sub: spId,
    tid: ctx.tenantId,
    uti: uti(),
    ver: '1.0',
  });
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: ctx.state.remember(accessToken),
  };
}

/** What Teams would get for the bot's app ID URI (`tokenExchangeResource.uri`). Fresh `iat`/`exp`/`uti` per call. */
export function mintSsoToken(ctx: EntraContext, options: MintSsoTokenOptions): string {
  const client = options.clientId ? ctx.state.clients.get(options.clientId) : ctx.state.clients.values().next().value;
  if (!client) throw new Error(`mintSsoToken: unknown client ${options.clientId ?? '(none registered)'}`);
  const user = ctx.state.users.get(options.oid);
  const tid = options.tenantId ?? ctx.tenantId;
  const version = options.version ?? 'v2';
  const teamsClientId = options.teamsClientId ?? TEAMS_CLIENT_IDS[0];
  const iat = now();
  const common = {
    iat,
    nbf: Math.min(iat, iat + (options.expiresInSec ?? 3600) - 1),
    exp: iat + (options.expiresInSec ?? 3600),
    name: user?.name ?? 'Unknown User',
    oid: options.oid,
    scp: 'access_as_user',
    sub: pairwiseSub(options.oid, client.clientId),
    tid,
    uti: uti(),
    ...(options.mfa ? { amr: ['pwd', 'mfa'] } : { amr: ['pwd'] }),
  };
  const claims =
    version === 'v1'
      ? {
          ...common,
          aud: options.audience ?? client.appIdUri,
          iss: v1Issuer(tid),
          appid: teamsClientId,
          appidacr: '0',
          upn: user?.upn,
          unique_name: user?.upn,
          ver: '1.0',
        }
      : {
          ...common,
          aud: options.audience ?? client.clientId,
          iss: v2Issuer(ctx, tid),
          azp: teamsClientId,
          azpacr: '0',
          preferred_username: user?.upn,
          ver: '2.0',
        };
  const key = options.signedByForeignKey ? ctx.foreignKey : ctx.key;
  return ctx.state.remember(key.sign(claims));
}

export function clientInfo(oid: string, tid: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tid })).toString('base64url');
}

/**
 * `client_info` names the user's home account (`uid`.`utid`, msal's homeAccountId): for a B2B guest that is the
 * account in the guest's home tenant, while `oid`/`tid` in the tokens are the guest object in the resource tenant.
 * https://learn.microsoft.com/en-us/javascript/api/@azure/msal-common/clientinfo
 */
export function userClientInfo(ctx: EntraContext, user: LocalUser): string {
  return user.home ? clientInfo(user.home.objectId, user.home.tenantId) : clientInfo(user.aadObjectId, ctx.tenantId);
}

function idToken(ctx: EntraContext, grant: DelegatedGrant, iat: number): string {
  const { user, client } = grant;
  return ctx.key.sign({
    aud: client.clientId,
    iss: v2Issuer(ctx),
    iat,
    nbf: iat,
    exp: iat + 3600,
    name: user.name,
    oid: user.aadObjectId,
    preferred_username: user.upn,
    sub: pairwiseSub(user.aadObjectId, client.clientId),
    // The tenant signed in to (the resource tenant, for a guest too); `idp` names a guest's home tenant issuer.
    // https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference (tid, idp)
    tid: ctx.tenantId,
    ...(user.home ? { idp: v1Issuer(user.home.tenantId) } : {}),
    uti: uti(),
    ver: '2.0',
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
  });
}

function newRefreshToken(ctx: EntraContext, grant: DelegatedGrant): string {
  // Entra refresh tokens are opaque ("0.A…"); only this stand-in can read them, through its map.
  const token = `0.A${randomBytes(48).toString('base64url')}`;
  ctx.state.refreshTokens.set(token, {
    clientId: grant.client.clientId,
    oid: grant.user.aadObjectId,
    scopes: grant.graphScopes,
    mfa: grant.mfa,
  });
  return ctx.state.remember(token);
}

/** Entra's `sub` is pairwise per app; a stable hash-like value is enough for msal and tests. */
function pairwiseSub(oid: string, audience: string): string {
  return Buffer.from(`${oid}|${audience}`).toString('base64url').slice(0, 43);
}
