import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZodError } from 'zod';
import { LOCAL_APP_ID_URI, LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, LOCAL_TENANT_ID, LOCAL_USERS } from '../fixtures';
import { ensureLocalCertificates } from '../tls/local-ca';
import { handleAuthorize } from './authorize';
import { jwksUri, v2Issuer, type EntraContext } from './context';
import { handleControl } from './control';
import { instanceDiscovery, jwks, openIdConfiguration } from './discovery';
import { errorBody, errors } from './errors';
import { BodyError, sendJson } from './http';
import { SigningKey } from './signing';
import { EntraState } from './state';
import { handleToken } from './token-endpoint';
import { mintSsoToken } from './tokens';
import type {
  EntraClient,
  EntraEmulatorOptions,
  FailNextOptions,
  MintSsoTokenOptions,
  RequestRecord,
  TokenRequestRecord,
  UserSwitches,
} from './types';

/** A running Entra ID stand-in. Everything here is also reachable over HTTP under `/_control/*`. */
export interface EntraEmulator {
  /** `https://localhost:<port>`: use as AAD_APP_OAUTH_AUTHORITY_HOST; msal's knownAuthorities is its host. */
  readonly url: string;
  readonly port: number;
  readonly tenantId: string;
  /** `${url}/${tenantId}`: the msal authority. */
  readonly authority: string;
  /** v2 issuer, `${url}/${tenantId}/v2.0`. */
  readonly issuer: string;
  readonly jwksUri: string;
  /** Token-endpoint calls so far (copies; never secrets, assertions, codes or tokens). */
  readonly tokenRequests: readonly TokenRequestRecord[];
  /** Every non-control request so far (method, path, status). */
  readonly requests: readonly RequestRecord[];
  /** Every token and code string issued (access, refresh, id, SSO tokens, codes), for leak checks. */
  issuedTokens(): readonly string[];
  /** msal `authorityMetadata` JSON, so a client can skip the discovery call. */
  authorityMetadata(): string;
  setUserSwitches(oid: string, switches: UserSwitches): void;
  /** The next `count` token requests (optionally of one grant type) fail with `status` and `Retry-After`. */
  failNext(options: FailNextOptions): void;
  /** Delay before answering any non-control request. */
  setLatency(ms: number): void;
  /** `expires_in` of access tokens issued from now on. */
  setAccessTokenLifetime(seconds: number): void;
  mintSsoToken(options: MintSsoTokenOptions): string;
  /** Forgets codes, refresh tokens, switches, failures, records; keeps the signing key (verifiers cache it). */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_CLIENT: EntraClient = {
  clientId: LOCAL_CLIENT_ID,
  clientSecret: LOCAL_CLIENT_SECRET,
  appIdUri: LOCAL_APP_ID_URI,
  redirectUris: ['http://localhost:3978/auth/callback'],
  grantedApplicationRoles: ['OnlineMeetings.ReadWrite.All'],
  displayName: 'Convene',
};

/** Starts the stand-in over HTTPS on 127.0.0.1 (port 0 = any free one) with the local CA's server certificate. */
export async function startEntraEmulator(options: EntraEmulatorOptions = {}): Promise<EntraEmulator> {
  const tenantId = options.tenantId ?? LOCAL_TENANT_ID;
  const tls = options.tls ?? ensureLocalCertificates();
  const state = new EntraState(
    options.clients ?? [DEFAULT_CLIENT],
    options.users ?? LOCAL_USERS,
    options.accessTokenLifetimeSec,
  );
  const key = new SigningKey();
  const foreignKey = new SigningKey(key.kid);
  let ctx: EntraContext | undefined;
  let emulator: EntraEmulator | undefined;

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (!ctx || !emulator) {
      sendJson(res, 503, { error: 'starting' });
      return;
    }
    handle(ctx, emulator, req, res).catch((error: unknown) => {
      const status =
        error instanceof BodyError
          ? error.status
          : error instanceof ZodError || error instanceof SyntaxError
            ? 400
            : 500;
      if (status === 500) console.error('entra stand-in: unexpected error', error);
      if (!res.headersSent)
        sendJson(res, status, {
          error: status === 500 ? 'server_error' : 'invalid_request',
          error_description: String(error),
        });
      else res.destroy();
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const context: EntraContext = { baseUrl: `https://localhost:${port}`, tenantId, key, foreignKey, state };
  ctx = context;

  emulator = {
    url: context.baseUrl,
    port,
    tenantId,
    authority: `${context.baseUrl}/${tenantId}`,
    issuer: v2Issuer(context),
    jwksUri: jwksUri(context),
    get tokenRequests() {
      return [...state.tokenRequests];
    },
    get requests() {
      return [...state.requests];
    },
    issuedTokens: () => [...state.issued],
    authorityMetadata: () =>
      JSON.stringify({
        authorization_endpoint: `${context.baseUrl}/${tenantId}/oauth2/v2.0/authorize`,
        token_endpoint: `${context.baseUrl}/${tenantId}/oauth2/v2.0/token`,
        issuer: v2Issuer(context),
        jwks_uri: jwksUri(context),
        end_session_endpoint: `${context.baseUrl}/${tenantId}/oauth2/v2.0/logout`,
      }),
    setUserSwitches: (oid, switches) => state.setUserSwitches(oid, switches),
    failNext: (failure) => state.failNext(failure),
    setLatency: (ms) => {
      state.latencyMs = ms;
    },
    setAccessTokenLifetime: (seconds) => {
      state.accessTokenLifetimeSec = seconds;
    },
    mintSsoToken: (sso) => mintSsoToken(context, sso),
    reset: () => state.reset(),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return emulator;
}

async function handle(
  ctx: EntraContext,
  emulator: EntraEmulator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.baseUrl);
  const path = url.pathname;
  if (path.startsWith('/_control/')) {
    await handleControl(emulator, req, res, path);
    return;
  }
  if (ctx.state.latencyMs > 0) await sleep(ctx.state.latencyMs);
  const status = await route(ctx, req, res, url);
  ctx.state.requests.push({ at: new Date().toISOString(), method: req.method ?? 'GET', path, status });
}

async function route(ctx: EntraContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
  const segments = url.pathname.split('/').filter(Boolean);
  const [tenant, ...rest] = segments;
  const tail = rest.join('/');
  const json = (body: unknown): number => {
    sendJson(res, 200, body);
    return 200;
  };
  if (tenant === 'common' && tail === 'discovery/instance') {
    const endpoint = url.searchParams.get('authorization_endpoint');
    const forTenant = endpoint ? (new URL(endpoint).pathname.split('/')[1] ?? 'common') : 'common';
    return json(instanceDiscovery(ctx, forTenant));
  }
  if (!tenant || !isKnownTenant(ctx, tenant)) {
    const err = tenant ? errors.tenantNotFound(tenant) : errors.missingParameter('tenant');
    sendJson(res, tail ? 400 : 404, errorBody(err, ctx.baseUrl));
    return tail ? 400 : 404;
  }
  switch (tail) {
    case 'v2.0/.well-known/openid-configuration':
      return json(openIdConfiguration(ctx, tenant));
    case 'discovery/v2.0/keys':
      return json(jwks(ctx, 'v2'));
    case 'discovery/keys':
      return json(jwks(ctx, 'v1'));
    case 'oauth2/v2.0/authorize':
      return handleAuthorize(ctx, req, res, url, tenant);
    case 'oauth2/v2.0/token':
      return handleToken(ctx, req, res, url);
    default:
      sendJson(res, 404, { error: 'not_found', error_description: `The stand-in does not serve ${url.pathname}` });
      return 404;
  }
}

function isKnownTenant(ctx: EntraContext, tenant: string): boolean {
  return tenant === ctx.tenantId || tenant === 'common' || tenant === 'organizations';
}
