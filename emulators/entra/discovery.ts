import type { EntraContext } from './context';
import { v1Issuer, v2Issuer } from './context';

/**
 * The v2 OIDC document. The issuer stays on this stand-in's scheme and host because msal 7 rejects a fetched
 * document whose issuer is elsewhere (endpoints_resolution_error). For `common`/`organizations` Entra publishes the
 * literal `{tenantid}` placeholder in the issuer; so does this.
 */
export function openIdConfiguration(ctx: EntraContext, tenant: string): Record<string, unknown> {
  const issuerTenant = tenant === 'common' || tenant === 'organizations' ? '{tenantid}' : ctx.tenantId;
  const base = `${ctx.baseUrl}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2Issuer(ctx, issuerTenant),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'WW',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** `GET /common/discovery/instance`: this host is its own (only) alias. */
export function instanceDiscovery(ctx: EntraContext, tenant: string): Record<string, unknown> {
  const host = new URL(ctx.baseUrl).host;
  return {
    tenant_discovery_endpoint: `${ctx.baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

/** JWKS for v2 (`/discovery/v2.0/keys`) and v1 (`/discovery/keys`): the same single key. */
export function jwks(ctx: EntraContext, version: 'v1' | 'v2'): { keys: unknown[] } {
  return { keys: [ctx.key.jwk(version === 'v2' ? v2Issuer(ctx) : v1Issuer(ctx.tenantId))] };
}
