import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import {
  botbuilderKeys,
  channelToken,
  ISSUER,
  KID,
  startIdentityEndpoint,
  startKeyService,
  type KeyService,
} from '../../support/bot-identity-stand-ins';
import { invokeActivity, messageActivity, startHarness, type Harness } from '../../support/harness';

const BOT_ID = '6f1c2a3b-4d5e-4f60-8a7b-c0ffee00b07d';

async function statusFor(h: Harness, authorization: string | undefined): Promise<number> {
  const activity = invokeActivity(h, 'convene/not-handled', {});
  const res = await fetch(`${h.baseUrl}/api/messages`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(authorization !== undefined ? { Authorization: authorization } : {}),
    },
    body: JSON.stringify(activity),
  });
  return res.status;
}

describe('inbound Bot Framework authentication, MultiTenant bot (BOT_ID set, all seven parameterised botbuilder keys)', function () {
  this.timeout(30_000);
  let h: Harness;
  let keys: KeyService;
  let privateKey: CryptoKey;
  let foreignKey: CryptoKey;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    foreignKey = (await generateKeyPair('RS256')).privateKey;
    keys = await startKeyService(ISSUER, await exportJWK(pair.publicKey), KID);
    h = await startHarness({
      env: {
        BOT_ID,
        BOT_PASSWORD: 'bot-password-not-used-offline',
        BOT_TYPE: 'MultiTenant',
        ...botbuilderKeys(keys, keys),
      },
    });
  });
  after(async () => {
    await h?.close();
    await keys?.close();
  });

  async function token(
    overrides: { aud?: string; serviceurl?: string; iss?: string; expiresInSec?: number; key?: CryptoKey } = {},
  ): Promise<string> {
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

  const postWith = (authorization: string | undefined) => statusFor(h, authorization);

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

  it("serviceurl claim not exactly the activity's serviceUrl → 401", async () => {
    assert.equal(
      await postWith(`Bearer ${await token({ serviceurl: h.connector.serviceUrl.replace(/\/$/, '') })}`),
      401,
    );
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

const TENANT = '7e5c8f2a-3b1d-4c6e-9f0a-c0ffee000001';
const OTHER_TENANT = '0b5e2d1c-9a8f-4e7d-b6c5-c0ffee0000ff';
const ENTRA_KID = 'convene-test-entra-key';
/** The tenant issuers Entra puts in app tokens: v1 (sts.windows.net) and v2 (login.microsoftonline.com/…/v2.0). */
const v1Issuer = (tenant: string) => `https://sts.windows.net/${tenant}/`;
const v2Issuer = (tenant: string) => `https://login.microsoftonline.com/${tenant}/v2.0`;

/**
 * A SingleTenant or UserAssignedMSI bot gets tokens that Entra issues in the bot's own tenant, not only the Bot
 * Framework's. botbuilder 4.23 sends a token whose issuer is not api.botframework.com through its emulator path
 * (EmulatorValidation.isTokenFromEmulator adds the token's own `tid` to the tenant issuers it accepts,
 * botbuilder-js PR #4643 / #4847): the key comes from ToBotFromEmulatorOpenIdMetadataUrl, `ver` must be 1.0 (app id
 * in `appid`) or 2.0 (in `azp`), and that app id must be the bot's. Bot Framework channel tokens keep working.
 */
for (const identity of [
  { type: 'SingleTenant', botId: BOT_ID, env: { BOT_PASSWORD: 'bot-password-not-used-offline' } },
  { type: 'UserAssignedMSI', botId: '2f4e6a8c-1b3d-4f5a-9c7e-c0ffee00a5a1', env: {} },
] as { type: string; botId: string; env: Record<string, string> }[])
  describe(`inbound authentication, ${identity.type} bot (tenant issuers as well as the Bot Framework's)`, function () {
    this.timeout(30_000);
    let h: Harness;
    let channel: KeyService;
    let entra: KeyService;
    let channelKey: CryptoKey;
    let entraKey: CryptoKey;
    let foreignKey: CryptoKey;

    before(async () => {
      const channelPair = await generateKeyPair('RS256', { extractable: true });
      const entraPair = await generateKeyPair('RS256', { extractable: true });
      channelKey = channelPair.privateKey;
      entraKey = entraPair.privateKey;
      foreignKey = (await generateKeyPair('RS256')).privateKey;
      channel = await startKeyService(ISSUER, await exportJWK(channelPair.publicKey), KID);
      entra = await startKeyService(v2Issuer(TENANT), await exportJWK(entraPair.publicKey), ENTRA_KID);
      h = await startHarness({
        env: {
          BOT_ID: identity.botId,
          BOT_TENANT_ID: TENANT,
          BOT_TYPE: identity.type,
          ...identity.env,
          ...botbuilderKeys(channel, entra),
        },
      });
    });
    after(async () => {
      await h?.close();
      await channel?.close();
      await entra?.close();
    });

    /** An app token as Entra issues it: v1 carries the app id in `appid`, v2 in `azp`. */
    async function tenantToken(o: {
      version: '1.0' | '2.0';
      tenant?: string;
      iss?: string;
      appId?: string;
      aud?: string;
      key?: CryptoKey;
      expiresInSec?: number;
    }): Promise<string> {
      const tenant = o.tenant ?? TENANT;
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (o.expiresInSec ?? 3600);
      const appId = o.appId ?? identity.botId;
      return new SignJWT({ ver: o.version, tid: tenant, ...(o.version === '1.0' ? { appid: appId } : { azp: appId }) })
        .setProtectedHeader({ alg: 'RS256', kid: ENTRA_KID, typ: 'JWT' })
        .setIssuer(o.iss ?? (o.version === '1.0' ? v1Issuer(tenant) : v2Issuer(tenant)))
        .setAudience(o.aud ?? identity.botId)
        .setNotBefore(Math.min(now - 60, exp - 1))
        .setIssuedAt(Math.min(now - 60, exp - 1))
        .setExpirationTime(exp)
        .sign(o.key ?? entraKey);
    }

    const postWith = (authorization: string | undefined) => statusFor(h, authorization);
    const bearer = async (token: Promise<string>) => postWith(`Bearer ${await token}`);

    it("a v2 token from the bot's tenant (iss login.microsoftonline.com/{tenant}/v2.0) passes", async () => {
      assert.equal(await bearer(tenantToken({ version: '2.0' })), 501);
    });

    it("a v1 token from the bot's tenant (iss sts.windows.net/{tenant}/) passes", async () => {
      assert.equal(await bearer(tenantToken({ version: '1.0' })), 501);
    });

    it('a Bot Framework channel token (iss api.botframework.com) still passes', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = new SignJWT({ serviceurl: h.connector.serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(identity.botId)
        .setNotBefore(now - 60)
        .setExpirationTime(now + 3600)
        .sign(channelKey);
      assert.equal(await bearer(token), 501);
    });

    it("a token another tenant issued for the same app id → 401 (botbuilder alone accepts any tenant's issuer)", async () => {
      assert.equal(await bearer(tenantToken({ version: '2.0', tenant: OTHER_TENANT })), 401);
      assert.equal(await bearer(tenantToken({ version: '1.0', tenant: OTHER_TENANT })), 401);
    });

    it("a token naming the bot's tenant in `tid` but another tenant's issuer → 401", async () => {
      assert.equal(await bearer(tenantToken({ version: '2.0', iss: v2Issuer(OTHER_TENANT) })), 401);
    });

    it('a token for another app (appid/azp not the bot) → 401', async () => {
      assert.equal(await bearer(tenantToken({ version: '2.0', appId: 'some-other-app' })), 401);
      assert.equal(await bearer(tenantToken({ version: '1.0', appId: 'some-other-app' })), 401);
    });

    it('a token the bot got for another audience (aud not the bot) → 401', async () => {
      assert.equal(await bearer(tenantToken({ version: '2.0', aud: 'https://graph.microsoft.com' })), 401);
      assert.equal(await bearer(tenantToken({ version: '2.0', aud: '00000003-0000-0000-c000-000000000000' })), 401);
    });

    it('a tenant token with a bad signature, or expired beyond the 5-minute skew → 401', async () => {
      assert.equal(await bearer(tenantToken({ version: '2.0', key: foreignKey })), 401);
      assert.equal(await bearer(tenantToken({ version: '2.0', key: channelKey })), 401);
      assert.equal(await bearer(tenantToken({ version: '2.0', expiresInSec: -600 })), 401);
    });

    it('no Authorization header → 401', async () => {
      assert.equal(await postWith(undefined), 401);
    });

    it("tokens naming ever new tenants (signed by anyone) do not grow botbuilder's shared issuer list", async () => {
      // botbuilder adds four issuers per unseen `tid` to a module-wide list before any signature check and scans that
      // list on every request: without a bound, anonymous requests grow memory and per-request CPU without limit.
      const issuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[];
      assert.equal(await bearer(tenantToken({ version: '2.0' })), 501);
      const before = issuers.length;
      for (let i = 0; i < 20; i++) {
        assert.equal(await bearer(tenantToken({ version: '2.0', tenant: randomUUID(), key: foreignKey })), 401);
      }
      assert.equal(issuers.length, before);
      assert.equal(await bearer(tenantToken({ version: '1.0' })), 501);
    });
  });

describe('outbound authentication, UserAssignedMSI bot (App Service managed identity endpoint stand-in)', function () {
  this.timeout(30_000);
  const MSI_CLIENT_ID = '2f4e6a8c-1b3d-4f5a-9c7e-c0ffee00a5a2';
  const SECRET = `identity-header-${randomUUID()}`;
  let h: Harness;
  let channel: KeyService;
  let entra: KeyService;
  let identity: Awaited<ReturnType<typeof startIdentityEndpoint>>;
  let channelKey: CryptoKey;
  const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

  before(async () => {
    const channelPair = await generateKeyPair('RS256', { extractable: true });
    channelKey = channelPair.privateKey;
    channel = await startKeyService(ISSUER, await exportJWK(channelPair.publicKey), KID);
    entra = await startKeyService(
      v2Issuer(TENANT),
      await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey),
      ENTRA_KID,
    );
    identity = await startIdentityEndpoint(SECRET);
    // What App Service puts in the environment of a Web App with a managed identity (read by @azure/identity).
    process.env.IDENTITY_ENDPOINT = identity.url;
    process.env.IDENTITY_HEADER = SECRET;
    h = await startHarness({
      env: {
        BOT_ID: MSI_CLIENT_ID,
        BOT_TENANT_ID: TENANT,
        BOT_TYPE: 'UserAssignedMSI',
        ...botbuilderKeys(channel, entra),
      },
    });
  });
  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await h?.close();
    await channel?.close();
    await entra?.close();
    await identity?.close();
  });

  it('replies to Teams with a Bot Connector token from the identity, asked for with its client id', async () => {
    const inbound = await channelToken(channelKey, MSI_CLIENT_ID, h.connector.serviceUrl);
    const res = await fetch(`${h.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${inbound}` },
      body: JSON.stringify(messageActivity(h, 'help')),
    });
    assert.equal(res.status, 200);
    const reply = await h.connector.waitForMessage(() => true);
    assert.equal(reply.authorization, `Bearer ${identity.token}`);
    const asked = identity.requests.find((r) => r.identityHeader === SECRET);
    assert.ok(asked, JSON.stringify(identity.requests));
    assert.equal(asked.clientId, MSI_CLIENT_ID);
    assert.match(asked.resource ?? '', /^https:\/\/api\.botframework\.com/);
    assert.doesNotMatch(h.logs.join('\n'), new RegExp(identity.token), 'the token is not logged');
  });
});
