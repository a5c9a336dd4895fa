import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { invokeActivity, startHarness, type Harness } from '../../support/harness';

const BOT_ID = '6f1c2a3b-4d5e-4f60-8a7b-c0ffee00b07d';
const ISSUER = 'https://api.botframework.com';
const KID = 'convene-test-channel-key';

/** A local stand-in for login.botframework.com: the OpenID metadata document and its JWKS, over plain http. */
async function startBotFrameworkKeys(publicJwk: JWK): Promise<{ metadataUrl: string; close(): Promise<void> }> {
  let base = '';
  const server: Server = createServer((req, res) => {
    // Two calls: restify patches ServerResponse.writeHead in this process, and its version doesn't return `this`.
    const send = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return send({
        issuer: ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.url === '/v1/.well-known/keys') return send({ keys: [{ ...publicJwk, kid: KID, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] });
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { metadataUrl: `${base}/v1/.well-known/openidconfiguration`, close: () => new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }) };
}

describe('inbound Bot Framework authentication (BOT_ID set, all seven parameterised botbuilder keys)', function () {
  this.timeout(30_000);
  let h: Harness;
  let keys: Awaited<ReturnType<typeof startBotFrameworkKeys>>;
  let privateKey: CryptoKey;
  let foreignKey: CryptoKey;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    foreignKey = (await generateKeyPair('RS256')).privateKey;
    keys = await startBotFrameworkKeys(await exportJWK(pair.publicKey));
    h = await startHarness({
      env: {
        BOT_ID,
        BOT_PASSWORD: 'bot-password-not-used-offline',
        ToBotFromChannelOpenIdMetadataUrl: keys.metadataUrl,
        ToBotFromChannelTokenIssuer: ISSUER,
        ToBotFromEmulatorOpenIdMetadataUrl: keys.metadataUrl,
        // Outbound auth can't work offline with a private login URL (reference §5.3): only inbound codes are asserted.
        ToChannelFromBotLoginUrl: 'https://login.convene.invalid/botframework.com',
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        OAuthUrl: 'https://token.convene.invalid',
        CallerId: 'urn:botframework:azure',
      },
    });
  });
  after(async () => {
    await h?.close();
    await keys?.close();
  });

  async function token(overrides: { aud?: string; serviceurl?: string; iss?: string; expiresInSec?: number; key?: CryptoKey } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (overrides.expiresInSec ?? 3600);
    return new SignJWT({ serviceurl: overrides.serviceurl ?? h.connector.serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(overrides.iss ?? ISSUER)
      .setAudience(overrides.aud ?? BOT_ID)
      .setNotBefore(Math.min(now - 60, exp - 1))
      .setIssuedAt(Math.min(now - 60, exp - 1))
      .setExpirationTime(exp)
      .sign(overrides.key ?? privateKey);
  }

  async function postWith(authorization: string | undefined): Promise<number> {
    const activity = invokeActivity(h, 'convene/not-handled', {});
    const res = await fetch(`${h.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(authorization !== undefined ? { Authorization: authorization } : {}) },
      body: JSON.stringify(activity),
    });
    return res.status;
  }

  it('a correctly signed channel token passes (an unhandled invoke then answers 501)', async () => {
    assert.equal(await postWith(`Bearer ${await token()}`), 501);
  });

  it('no Authorization header → 401', async () => {
    assert.equal(await postWith(undefined), 401);
  });

  it('a malformed header → 401', async () => {
    assert.equal(await postWith('Bearer not-a-jwt'), 401);
    assert.equal(await postWith('Basic Ym90OnBhc3M='), 401);
  });

  it('wrong signature → 401', async () => {
    assert.equal(await postWith(`Bearer ${await token({ key: foreignKey })}`), 401);
  });

  it('wrong audience → 401', async () => {
    assert.equal(await postWith(`Bearer ${await token({ aud: 'some-other-bot' })}`), 401);
  });

  it('expired (beyond the 5-minute skew) → 401', async () => {
    assert.equal(await postWith(`Bearer ${await token({ expiresInSec: -600 })}`), 401);
  });

  it('serviceurl claim not exactly the activity\'s serviceUrl → 401', async () => {
    assert.equal(await postWith(`Bearer ${await token({ serviceurl: h.connector.serviceUrl.replace(/\/$/, '') })}`), 401);
    assert.equal(await postWith(`Bearer ${await token({ serviceurl: 'https://smba.trafficmanager.net/amer/' })}`), 401);
  });

  it('wrong issuer → 401', async () => {
    assert.equal(await postWith(`Bearer ${await token({ iss: 'https://evil.example.com' })}`), 401);
  });

  it('no secret from the configuration or the tokens appears in the logs', async () => {
    const text = h.logs.join('\n');
    assert.doesNotMatch(text, /bot-password-not-used-offline/);
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'no JWT in the logs');
  });
});
