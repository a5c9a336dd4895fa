import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type CryptoKey, type JWK } from 'jose';

/** Stand-ins for what proves a bot's identity offline: Bot Framework / Entra signing keys and App Service's managed identity endpoint. */

/** The Bot Framework channel's token issuer, and the key id the tests sign channel tokens with. */
export const ISSUER = 'https://api.botframework.com';
export const KID = 'convene-test-channel-key';

export interface KeyService {
  metadataUrl: string;
  close(): Promise<void>;
}

/**
 * A local stand-in for an OpenID metadata document and its JWKS, over plain http: login.botframework.com's (the
 * channel's keys, `ToBotFromChannelOpenIdMetadataUrl`) or Entra's (`ToBotFromEmulatorOpenIdMetadataUrl`, whose
 * keys botbuilder 4.23 checks tokens from a tenant issuer against).
 */
export async function startKeyService(issuer: string, publicJwk: JWK, kid: string): Promise<KeyService> {
  let base = '';
  const server: Server = createServer((req, res) => {
    // Two calls: restify patches ServerResponse.writeHead in this process, and its version doesn't return `this`.
    const send = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return send({
        issuer,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.url === '/v1/.well-known/keys')
      return send({ keys: [{ ...publicJwk, kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] });
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** botbuilder's seven parameterised keys, with the channel and the Entra metadata pointed at the stand-ins. */
export function botbuilderKeys(channel: KeyService, entra: KeyService): Record<string, string> {
  return {
    ToBotFromChannelOpenIdMetadataUrl: channel.metadataUrl,
    ToBotFromChannelTokenIssuer: ISSUER,
    ToBotFromEmulatorOpenIdMetadataUrl: entra.metadataUrl,
    // Outbound auth can't work offline with a private login URL (reference §5.3): only inbound codes are asserted.
    ToChannelFromBotLoginUrl: 'https://login.convene.invalid/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://token.convene.invalid',
    CallerId: 'urn:botframework:azure',
  };
}

/** A Bot Framework channel token for `audience` (the bot's id), as the Bot Connector sends with each activity. */
export function channelToken(key: CryptoKey, audience: string, serviceUrl: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ serviceurl: serviceUrl })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setNotBefore(now - 60)
    .setExpirationTime(now + 3600)
    .sign(key);
}

export interface TokenRequest {
  resource: string | null;
  clientId: string | null;
  apiVersion: string | null;
  identityHeader: string | undefined;
}

/**
 * A stand-in for App Service's managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER, api-version
 * 2019-08-01): https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference.
 * It refuses a request without the secret header, as App Service does, and records what was asked for.
 */
export async function startIdentityEndpoint(
  secret: string,
): Promise<{ url: string; requests: TokenRequest[]; token: string; close(): Promise<void> }> {
  const requests: TokenRequest[] = [];
  const token = `msi-token-${randomUUID()}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers['x-identity-header'];
    requests.push({
      resource: url.searchParams.get('resource'),
      clientId: url.searchParams.get('client_id'),
      apiVersion: url.searchParams.get('api-version'),
      identityHeader: typeof header === 'string' ? header : undefined,
    });
    const status = header === secret ? 200 : 400;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        status === 200
          ? {
              access_token: token,
              expires_on: String(Math.floor(Date.now() / 1000) + 3600),
              resource: url.searchParams.get('resource'),
              token_type: 'Bearer',
              client_id: url.searchParams.get('client_id'),
            }
          : { statusCode: 400, message: 'X-IDENTITY-HEADER missing or wrong' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`,
    requests,
    token,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
