import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  ServerError,
  type AuthenticationResult,
  type Configuration,
} from '@azure/msal-node';
import { startEntraEmulator, type EntraEmulator } from '../../../emulators/entra';
import {
  LOCAL_APP_ID_URI,
  LOCAL_CLIENT_ID,
  LOCAL_CLIENT_SECRET,
  LOCAL_USERS,
  TEAMS_CLIENT_IDS,
} from '../../../emulators/fixtures';

// Contract tests: the real msal-node against the Entra stand-in over HTTPS (run with NODE_EXTRA_CA_CERTS set to
// the local CA, as `npm run test:integration` does). Each test builds its own msal client, so msal's per-instance
// token and throttle caches never leak from one scenario into the next.

const REDIRECT_URI = 'http://localhost:3978/auth/callback';
const MEETINGS = 'https://graph.microsoft.com/OnlineMeetings.ReadWrite';
const ada = LOCAL_USERS[0]!;
const grace = LOCAL_USERS[1]!;
const alan = LOCAL_USERS[2]!;

describe('Entra stand-in (msal-node contract)', function () {
  let entra: EntraEmulator;

  before(async function () {
    entra = await startEntraEmulator();
  });
  after(async function () {
    await entra.close();
  });
  beforeEach(function () {
    entra.reset();
  });

  function msal(overrides: Partial<Configuration['auth']> = {}): ConfidentialClientApplication {
    return new ConfidentialClientApplication({
      auth: {
        clientId: LOCAL_CLIENT_ID,
        clientSecret: LOCAL_CLIENT_SECRET,
        authority: entra.authority,
        knownAuthorities: [new URL(entra.url).host],
        ...overrides,
      },
    });
  }

  async function rejection(
    promise: Promise<unknown>,
  ): Promise<Error & { errorCode?: string; subError?: string; errorNo?: string; claims?: string }> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof Error);
      return error;
    }
    assert.fail('expected the call to fail');
  }

  function claimsOf(jwt: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  }

  describe('a B2B guest (issue #14 finding 6)', function () {
    it('issues resource-tenant tid/oid with a home-tenant client_info (homeAccountId) and idp, as Entra does', async function () {
      const guest = LOCAL_USERS.find((u) => u.home)!;
      const result = await msal().acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: guest.aadObjectId }),
        scopes: [MEETINGS],
      });
      assert.ok(result?.account);
      assert.equal(result.account.homeAccountId, `${guest.home!.objectId}.${guest.home!.tenantId}`);
      assert.equal(result.account.localAccountId, guest.aadObjectId);
      assert.equal(result.account.tenantId, entra.tenantId);
      const access = claimsOf(result.accessToken);
      assert.deepEqual([access.tid, access.oid], [entra.tenantId, guest.aadObjectId]);
      const id = claimsOf(result.idToken);
      assert.deepEqual(
        [id.tid, id.oid, id.iss, id.idp],
        [
          entra.tenantId,
          guest.aadObjectId,
          `${entra.url}/${entra.tenantId}/v2.0`,
          `https://sts.windows.net/${guest.home!.tenantId}/`,
        ],
      );
    });
  });

  describe('on-behalf-of', function () {
    it('exchanges a v2 SSO token for a Graph token, then answers acquireTokenSilent from the cache', async function () {
      const cca = msal();
      const result = await cca.acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: ada.aadObjectId }),
        scopes: [MEETINGS],
      });
      assert.ok(result);
      assert.equal(result.fromCache, false);
      assert.equal(result.account?.homeAccountId, `${ada.aadObjectId}.${entra.tenantId}`);
      assert.equal(result.account?.username, ada.upn);

      const token = claimsOf(result.accessToken);
      assert.equal(token.aud, 'https://graph.microsoft.com');
      assert.equal(token.iss, `https://sts.windows.net/${entra.tenantId}/`);
      assert.equal(token.tid, entra.tenantId);
      assert.equal(token.oid, ada.aadObjectId);
      assert.equal(token.upn, ada.upn);
      assert.equal(token.name, ada.name);
      assert.equal(token.appid, LOCAL_CLIENT_ID);
      assert.equal(token.scp, 'OnlineMeetings.ReadWrite');
      assert.equal(token.ver, '1.0');
      assert.equal(typeof token.uti, 'string');

      const [account] = await cca.getTokenCache().getAllAccounts();
      assert.ok(account);
      const silent = await cca.acquireTokenSilent({ account, scopes: [MEETINGS] });
      assert.equal(silent.fromCache, true);
      assert.equal(silent.accessToken, result.accessToken);
      assert.equal(entra.tokenRequests.length, 1);
      const [record] = entra.tokenRequests;
      assert.equal(record?.grantType, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      assert.equal(record?.oid, ada.aadObjectId);
      assert.deepEqual(record?.scopes, ['OnlineMeetings.ReadWrite']);
      assert.equal(record?.status, 200);
    });

    it('accepts a v1 SSO token whose audience is the app ID URI', async function () {
      const sso = entra.mintSsoToken({ oid: grace.aadObjectId, version: 'v1' });
      const claims = claimsOf(sso);
      assert.equal(claims.aud, LOCAL_APP_ID_URI);
      assert.equal(claims.iss, `https://sts.windows.net/${entra.tenantId}/`);
      assert.equal(claims.appid, TEAMS_CLIENT_IDS[0]);
      assert.equal(claims.scp, 'access_as_user');
      const result = await msal().acquireTokenOnBehalfOf({ oboAssertion: sso, scopes: [MEETINGS] });
      assert.equal(claimsOf(result?.accessToken ?? '').oid, grace.aadObjectId);
    });

    it('mints v2 SSO tokens the way Teams gets them, fresh on every call', function () {
      const a = claimsOf(entra.mintSsoToken({ oid: ada.aadObjectId }));
      const b = claimsOf(entra.mintSsoToken({ oid: ada.aadObjectId }));
      assert.equal(a.aud, LOCAL_CLIENT_ID);
      assert.equal(a.iss, `${entra.url}/${entra.tenantId}/v2.0`);
      assert.equal(a.azp, TEAMS_CLIENT_IDS[0]);
      assert.equal(a.preferred_username, ada.upn);
      assert.equal(a.ver, '2.0');
      assert.notEqual(a.uti, b.uti);
    });

    it('makes no discovery call when msal has authorityMetadata', async function () {
      const cca = msal({ authorityMetadata: entra.authorityMetadata() });
      await cca.acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: ada.aadObjectId }),
        scopes: [MEETINGS],
      });
      assert.deepEqual(
        entra.requests.map((r) => `${r.method} ${r.path}`),
        [`POST /${entra.tenantId}/oauth2/v2.0/token`],
      );
    });

    it('signs access tokens with the key published at jwksUri', async function () {
      const result = await msal().acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: ada.aadObjectId }),
        scopes: [MEETINGS],
      });
      const jwks = (await (await fetch(entra.jwksUri)).json()) as { keys: Array<{ kid: string }> };
      const [h, p, s] = (result?.accessToken ?? '').split('.') as [string, string, string];
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string; alg: string };
      assert.equal(header.alg, 'RS256');
      const jwk = jwks.keys.find((k) => k.kid === header.kid);
      assert.ok(jwk, 'the kid is published');
      const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
      assert.ok(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')));
    });
  });

  describe('authorization code + PKCE', function () {
    async function authorizeUrl(
      cca: ConfidentialClientApplication,
      challenge: string,
      extra: Record<string, string> = {},
    ): Promise<string> {
      return cca.getAuthCodeUrl({
        scopes: [MEETINGS],
        redirectUri: REDIRECT_URI,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state: 'opaque-state',
        ...extra,
      });
    }

    it('lists the users as buttons, says what the app asks for, and redeems the code with the verifier', async function () {
      const cca = msal();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const page = await loadPicker(await authorizeUrl(cca, pkce.challenge, { loginHint: grace.upn }));
      assert.equal(page.buttons.size, LOCAL_USERS.length);
      assert.equal(page.buttons.get(ada.aadObjectId), ada.name);
      assert.match(page.html, /OnlineMeetings\.ReadWrite/);
      assert.match(page.html, new RegExp(`data-oid="${grace.aadObjectId}" autofocus data-preselected="true"`));

      const back = await pressButton(page, grace.aadObjectId);
      assert.equal(back.status, 302);
      const query = new URL(back.headers.get('location') ?? '').searchParams;
      assert.equal(query.get('state'), 'opaque-state');
      const code = query.get('code');
      assert.ok(code);

      const result: AuthenticationResult = await cca.acquireTokenByCode({
        code,
        scopes: [MEETINGS],
        redirectUri: REDIRECT_URI,
        codeVerifier: pkce.verifier,
      });
      assert.equal(claimsOf(result.accessToken).oid, grace.aadObjectId);
      assert.equal(result.account?.homeAccountId, `${grace.aadObjectId}.${entra.tenantId}`);
      const silent = await cca.acquireTokenSilent({ account: result.account, scopes: [MEETINGS] });
      assert.equal(silent.fromCache, true);
    });

    it('answers response_mode=form_post with a form that also works without JavaScript', async function () {
      const pkce = await new CryptoProvider().generatePkceCodes();
      const url = await authorizeUrl(msal(), pkce.challenge, { responseMode: 'form_post' });
      const res = await pressButton(await loadPicker(url), ada.aadObjectId);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, new RegExp(`<form method="POST" name="hiddenform" action="${REDIRECT_URI}">`));
      assert.match(html, /<input type="hidden" name="code" value="[^"]+">/);
      assert.match(html, /<input type="hidden" name="state" value="opaque-state">/);
      assert.match(html, /<button type="submit">/);
    });

    it('refuses an unregistered redirect_uri with an error page (AADSTS50011), never a redirect', async function () {
      const res = await fetch(
        `${entra.authority}/oauth2/v2.0/authorize?client_id=${LOCAL_CLIENT_ID}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=openid`,
        { redirect: 'manual' },
      );
      assert.equal(res.status, 400);
      assert.match(await res.text(), /AADSTS50011/);
    });

    it('refuses the plain PKCE method', async function () {
      const res = await fetch(
        `${entra.authority}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: LOCAL_CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT_URI, scope: MEETINGS, state: 's', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`,
        { redirect: 'manual' },
      );
      assert.equal(res.status, 302);
      const query = new URL(res.headers.get('location') ?? '').searchParams;
      assert.equal(query.get('error'), 'invalid_request');
      assert.equal(query.get('state'), 's');
    });

    it('rejects a wrong PKCE verifier with invalid_grant (AADSTS501481)', async function () {
      const cca = msal();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const other = await new CryptoProvider().generatePkceCodes();
      const code = (await signIn(await authorizeUrl(cca, pkce.challenge), ada.aadObjectId)).get('code') ?? '';
      const err = await rejection(
        cca.acquireTokenByCode({ code, scopes: [MEETINGS], redirectUri: REDIRECT_URI, codeVerifier: other.verifier }),
      );
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_grant');
      assert.match(err.message, /AADSTS501481/);
    });

    it('rejects a replayed code with invalid_grant (AADSTS54005)', async function () {
      const cca = msal();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const code = (await signIn(await authorizeUrl(cca, pkce.challenge), ada.aadObjectId)).get('code') ?? '';
      const request = { code, scopes: [MEETINGS], redirectUri: REDIRECT_URI, codeVerifier: pkce.verifier };
      await cca.acquireTokenByCode(request);
      const err = await rejection(msal().acquireTokenByCode(request));
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_grant');
      assert.match(err.message, /AADSTS54005/);
    });

    it('counts signing in through the page as consent', async function () {
      entra.setUserSwitches(alan.aadObjectId, { consentMissing: true });
      const err = await rejection(
        msal().acquireTokenOnBehalfOf({
          oboAssertion: entra.mintSsoToken({ oid: alan.aadObjectId }),
          scopes: [MEETINGS],
        }),
      );
      assert.ok(err instanceof InteractionRequiredAuthError);
      const cca = msal();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const code =
        (await signIn(await authorizeUrl(cca, pkce.challenge, { prompt: 'consent' }), alan.aadObjectId)).get('code') ??
        '';
      await cca.acquireTokenByCode({
        code,
        scopes: [MEETINGS],
        redirectUri: REDIRECT_URI,
        codeVerifier: pkce.verifier,
      });
      const result = await msal().acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: alan.aadObjectId }),
        scopes: [MEETINGS],
      });
      assert.equal(claimsOf(result?.accessToken ?? '').oid, alan.aadObjectId);
    });
  });

  describe('refresh', function () {
    it('refreshes silently once the access token is near expiry, and keeps old refresh tokens valid', async function () {
      entra.setAccessTokenLifetime(60); // inside msal's 5-minute renewal window: the next silent call refreshes
      const cca = msal();
      const first = await cca.acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: ada.aadObjectId }),
        scopes: [MEETINGS],
      });
      const refreshToken = Object.values(
        JSON.parse(cca.getTokenCache().serialize()).RefreshToken as Record<string, { secret: string }>,
      )[0]?.secret;
      assert.ok(refreshToken);

      const silent = await cca.acquireTokenSilent({ account: first!.account!, scopes: [MEETINGS] });
      assert.equal(silent.fromCache, false);
      assert.notEqual(silent.accessToken, first?.accessToken);
      assert.deepEqual(
        entra.tokenRequests.map((r) => r.grantType),
        ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'refresh_token'],
      );

      // The first refresh token was rotated but, as on Entra, still works.
      const again = await msal().acquireTokenByRefreshToken({ refreshToken, scopes: [MEETINGS] });
      assert.equal(claimsOf(again?.accessToken ?? '').oid, ada.aadObjectId);
    });

    it('asks for consent per scope: a refresh for a scope not consented to answers AADSTS65001 (incremental consent)', async function () {
      const townhalls = 'https://graph.microsoft.com/VirtualEvent.ReadWrite';
      entra.setUserSwitches(ada.aadObjectId, { consentMissingScopes: ['VirtualEvent.ReadWrite'] });
      const cca = msal();
      const first = await cca.acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: ada.aadObjectId }),
        scopes: [MEETINGS],
      });
      assert.equal(claimsOf(first?.accessToken ?? '').scp, 'OnlineMeetings.ReadWrite', 'consented scopes still work');
      const err = await rejection(cca.acquireTokenSilent({ account: first!.account!, scopes: [townhalls] }));
      assert.ok(err instanceof InteractionRequiredAuthError, String(err));
      assert.match(err.message, /AADSTS65001/);
      // Consenting on the authorize page for that scope clears it; the default set (admin consent) includes it.
      entra.setUserSwitches(ada.aadObjectId, { consentMissingScopes: [] });
      const granted = await cca.acquireTokenSilent({ account: first!.account!, scopes: [townhalls] });
      assert.equal(claimsOf(granted.accessToken).scp, 'VirtualEvent.ReadWrite');
    });

    it('rejects an unknown refresh token with invalid_grant', async function () {
      const err = await rejection(
        msal().acquireTokenByRefreshToken({ refreshToken: '0.Anot-a-real-token', scopes: [MEETINGS] }),
      );
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_grant');
    });
  });

  describe('client credentials', function () {
    it('issues an application token with the granted roles', async function () {
      const result = await msal().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      const token = claimsOf(result?.accessToken ?? '');
      assert.deepEqual(token.roles, ['OnlineMeetings.ReadWrite.All']);
      assert.equal(token.idtyp, 'app');
      assert.equal(token.appid, LOCAL_CLIENT_ID);
      assert.equal(token.aud, 'https://graph.microsoft.com');
      assert.equal(token.scp, undefined);
      assert.equal(typeof token.oid, 'string');
    });
  });

  describe('conformance (design §7)', function () {
    async function obo(sso: string, scopes = [MEETINGS]): Promise<ReturnType<typeof rejection>> {
      return rejection(msal().acquireTokenOnBehalfOf({ oboAssertion: sso, scopes }));
    }

    it('rejects an expired assertion with invalid_grant AADSTS500133', async function () {
      const err = await obo(entra.mintSsoToken({ oid: ada.aadObjectId, expiresInSec: -600 }));
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_grant');
      assert.match(err.message, /AADSTS500133: Assertion is not within its valid time range/);
    });

    it('rejects a foreign-signed assertion with invalid_grant AADSTS50013', async function () {
      const err = await obo(entra.mintSsoToken({ oid: ada.aadObjectId, signedByForeignKey: true }));
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_grant');
      assert.match(err.message, /AADSTS50013: Assertion failed signature validation/);
    });

    it('rejects an assertion for another audience with invalid_grant AADSTS50013', async function () {
      const err = await obo(entra.mintSsoToken({ oid: ada.aadObjectId, audience: 'api://someone-else' }));
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_grant');
      assert.match(
        err.message,
        /AADSTS50013: Assertion audience does not match the Client app presenting the assertion/,
      );
    });

    it('turns missing consent into InteractionRequiredAuthError (consent_required, 65001)', async function () {
      entra.setUserSwitches(ada.aadObjectId, { consentMissing: true });
      const err = await obo(entra.mintSsoToken({ oid: ada.aadObjectId }));
      assert.ok(err instanceof InteractionRequiredAuthError);
      assert.equal(err.errorCode, 'invalid_grant');
      assert.equal(err.subError, 'consent_required');
      assert.match(err.message, /AADSTS65001/);
      const record = entra.tokenRequests.at(-1);
      assert.equal(record?.errorCode, 65001);
      assert.equal(record?.oid, ada.aadObjectId);
    });

    it('turns required MFA into interaction_required with claims', async function () {
      entra.setUserSwitches(grace.aadObjectId, { mfaRequired: true });
      const err = await obo(entra.mintSsoToken({ oid: grace.aadObjectId }));
      assert.ok(err instanceof InteractionRequiredAuthError);
      assert.equal(err.errorCode, 'interaction_required');
      assert.match(err.message, /AADSTS50079/);
      assert.ok(err.claims);
      const withMfa = await msal().acquireTokenOnBehalfOf({
        oboAssertion: entra.mintSsoToken({ oid: grace.aadObjectId, mfa: true }),
        scopes: [MEETINGS],
      });
      assert.ok(withMfa?.accessToken);
    });

    it('rejects a bad client secret with invalid_client (AADSTS7000215)', async function () {
      const err = await rejection(
        msal({ clientSecret: 'wrong' }).acquireTokenByClientCredential({
          scopes: ['https://graph.microsoft.com/.default'],
        }),
      );
      assert.ok(err instanceof ServerError);
      assert.equal(err.errorCode, 'invalid_client');
      assert.match(err.message, /AADSTS7000215/);
    });

    it('injects a 503 that carries Retry-After and a JSON error', async function () {
      entra.failNext({ status: 503 });
      const res = await fetch(`${entra.authority}/oauth2/v2.0/token?client-request-id=abc`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: LOCAL_CLIENT_ID,
          client_secret: LOCAL_CLIENT_SECRET,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
      assert.equal(res.headers.get('client-request-id'), 'abc');
      const body = (await res.json()) as { error: string; correlation_id: string; error_description: string };
      assert.equal(body.error, 'temporarily_unavailable');
      assert.equal(body.correlation_id, 'abc');
      assert.match(body.error_description, /\r\nTrace ID: .+\r\nCorrelation ID: abc\r\nTimestamp: /);

      // Through msal, with scopes no other test uses (msal's throttle cache is keyed by client+authority+scopes).
      entra.failNext({ status: 503, grantType: 'client_credentials' });
      const err = await rejection(
        msal().acquireTokenByClientCredential({ scopes: ['00000003-0000-0000-c000-000000000000/.default'] }),
      );
      assert.ok(err instanceof ServerError);
      assert.equal(entra.tokenRequests.at(-1)?.status, 503);
    });

    it('records token requests without secrets, and lists every token it issued', async function () {
      const sso = entra.mintSsoToken({ oid: ada.aadObjectId });
      const result = await msal().acquireTokenOnBehalfOf({ oboAssertion: sso, scopes: [MEETINGS] });
      const records = JSON.stringify(entra.tokenRequests);
      assert.ok(!records.includes(LOCAL_CLIENT_SECRET));
      assert.ok(!records.includes(sso));
      assert.ok(entra.issuedTokens().includes(sso));
      assert.ok(entra.issuedTokens().includes(result?.accessToken ?? '-'));
    });
  });

  describe('token endpoint edge cases (raw HTTP, as Entra words them)', function () {
    async function token(
      form: Record<string, string>,
      headers: Record<string, string> = {},
    ): Promise<{
      status: number;
      body: { error: string; error_codes: number[]; error_description: string } & Record<string, unknown>;
    }> {
      const res = await fetch(`${entra.authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams(form),
        headers,
      });
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      return { status: res.status, body: (await res.json()) as never };
    }
    const obo = (assertion: string): Record<string, string> => ({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: LOCAL_CLIENT_ID,
      client_secret: LOCAL_CLIENT_SECRET,
      scope: `${MEETINGS} openid profile offline_access`,
      assertion,
    });

    it('names an unknown client (AADSTS700016) and a missing secret (AADSTS7000218)', async function () {
      const unknown = await token({
        grant_type: 'client_credentials',
        client_id: 'nope',
        client_secret: 'x',
        scope: 'https://graph.microsoft.com/.default',
      });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error, 'unauthorized_client');
      assert.deepEqual(unknown.body.error_codes, [700016]);
      const missing = await token({
        grant_type: 'client_credentials',
        client_id: LOCAL_CLIENT_ID,
        scope: 'https://graph.microsoft.com/.default',
      });
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body.error_codes, [7000218]);
    });

    it('accepts client_secret_basic', async function () {
      const basic = Buffer.from(
        `${encodeURIComponent(LOCAL_CLIENT_ID)}:${encodeURIComponent(LOCAL_CLIENT_SECRET)}`,
      ).toString('base64');
      const res = await token(
        { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
        { authorization: `Basic ${basic}` },
      );
      assert.equal(res.status, 200);
      assert.equal(entra.tokenRequests.at(-1)?.clientAuth, 'client_secret_basic');
    });

    it('refuses an assertion from another tenant and one for an unknown user', async function () {
      const otherTenant = await token(
        obo(entra.mintSsoToken({ oid: ada.aadObjectId, tenantId: '00000000-0000-0000-0000-00000000beef' })),
      );
      assert.equal(otherTenant.body.error, 'invalid_grant');
      assert.deepEqual(otherTenant.body.error_codes, [50013]);
      const stranger = await token(obo(entra.mintSsoToken({ oid: '99999999-0000-4000-8000-000000000000' })));
      assert.deepEqual(stranger.body.error_codes, [50034]);
    });

    it('returns id_token and client_info only when asked, refresh_token only with offline_access', async function () {
      const full = await token({ ...obo(entra.mintSsoToken({ oid: ada.aadObjectId })), client_info: '1' });
      assert.equal(full.status, 200);
      assert.ok(full.body.id_token);
      assert.ok(full.body.refresh_token);
      assert.deepEqual(JSON.parse(Buffer.from(String(full.body.client_info), 'base64url').toString()), {
        uid: ada.aadObjectId,
        utid: entra.tenantId,
      });
      const idClaims = claimsOf(String(full.body.id_token));
      assert.equal(idClaims.aud, LOCAL_CLIENT_ID);
      assert.equal(idClaims.iss, entra.issuer);
      assert.equal(idClaims.ver, '2.0');
      const bare = await token({ ...obo(entra.mintSsoToken({ oid: ada.aadObjectId })), scope: MEETINGS });
      assert.equal(bare.status, 200);
      assert.equal(bare.body.id_token, undefined);
      assert.equal(bare.body.client_info, undefined);
      assert.equal(bare.body.refresh_token, undefined);
      assert.equal(bare.body.expires_in, 3599);
    });

    it('requires /.default for client credentials (AADSTS1002012)', async function () {
      const res = await token({
        grant_type: 'client_credentials',
        client_id: LOCAL_CLIENT_ID,
        client_secret: LOCAL_CLIENT_SECRET,
        scope: MEETINGS,
      });
      assert.equal(res.body.error, 'invalid_scope');
      assert.deepEqual(res.body.error_codes, [1002012]);
    });

    it('requires the redirect_uri of the authorize request (AADSTS500112)', async function () {
      const cca = msal();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const url = await cca.getAuthCodeUrl({
        scopes: [MEETINGS],
        redirectUri: REDIRECT_URI,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
      });
      const code = (await signIn(url, ada.aadObjectId)).get('code') ?? '';
      const res = await token({
        grant_type: 'authorization_code',
        client_id: LOCAL_CLIENT_ID,
        client_secret: LOCAL_CLIENT_SECRET,
        code,
        redirect_uri: 'http://localhost:3978/elsewhere',
        code_verifier: pkce.verifier,
        scope: MEETINGS,
      });
      assert.equal(res.body.error, 'invalid_grant');
      assert.deepEqual(res.body.error_codes, [500112]);
    });

    it('signs a hinted user in without UI on prompt=none, and says consent_required when consent is missing', async function () {
      const pkce = await new CryptoProvider().generatePkceCodes();
      const url = await msal().getAuthCodeUrl({
        scopes: [MEETINGS],
        redirectUri: REDIRECT_URI,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        prompt: 'none',
        loginHint: ada.upn,
        state: 'st',
      });
      const ok = await fetch(url, { redirect: 'manual' });
      assert.equal(ok.status, 302);
      assert.ok(new URL(ok.headers.get('location') ?? '').searchParams.get('code'));
      entra.setUserSwitches(ada.aadObjectId, { consentMissing: true });
      const refused = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '').searchParams;
      assert.equal(refused.get('error'), 'consent_required');
      assert.equal(refused.get('state'), 'st');
    });

    it('redirects with access_denied (AADSTS65004) when the user cancels', async function () {
      const pkce = await new CryptoProvider().generatePkceCodes();
      const url = await msal().getAuthCodeUrl({
        scopes: [MEETINGS],
        redirectUri: REDIRECT_URI,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        state: 'st',
      });
      const res = await pressButton(await loadPicker(url), undefined);
      const query = new URL(res.headers.get('location') ?? '').searchParams;
      assert.equal(query.get('error'), 'access_denied');
      assert.match(query.get('error_description') ?? '', /^AADSTS65004/);
    });
  });

  describe('control over HTTP', function () {
    it('mints SSO tokens, sets switches and reads records under /_control', async function () {
      const post = (path: string, body: unknown): Promise<Response> =>
        fetch(`${entra.url}/_control/${path}`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
      const { token } = (await (await post('sso-token', { oid: ada.aadObjectId, version: 'v1' })).json()) as {
        token: string;
      };
      assert.equal(claimsOf(token).aud, LOCAL_APP_ID_URI);
      assert.equal((await post(`users/${ada.aadObjectId}/switches`, { consentMissing: true })).status, 200);
      const err = await rejection(msal().acquireTokenOnBehalfOf({ oboAssertion: token, scopes: [MEETINGS] }));
      assert.ok(err instanceof InteractionRequiredAuthError);
      const records = (await (await fetch(`${entra.url}/_control/token-requests`)).json()) as Array<{
        errorCode?: number;
      }>;
      assert.equal(records.at(-1)?.errorCode, 65001);
      assert.equal((await post('reset', {})).status, 200);
      assert.equal(entra.tokenRequests.length, 0);
      const info = (await (await fetch(`${entra.url}/_control/info`)).json()) as { jwksUri: string };
      assert.equal(info.jwksUri, entra.jwksUri);
      assert.equal((await post('fail-next', { status: 'nope' })).status, 400);
    });
  });
});
interface PickerPage {
  readonly html: string;
  readonly action: string;
  readonly hidden: Record<string, string>;
  /** `data-oid` → button label (the user's display name). */
  readonly buttons: ReadonlyMap<string, string>;
}

async function loadPicker(authorizeUrl: string): Promise<PickerPage> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`authorize page answered ${res.status}: ${html.slice(0, 300)}`);
  const action = /<form method="POST" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error('no form on the authorize page');
  const hidden: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    hidden[m[1] ?? ''] = unescape(m[2] ?? '');
  const buttons = new Map<string, string>();
  for (const m of html.matchAll(
    /<button type="submit" name="oid" value="[^"]*" data-oid="([^"]+)"[^>]*>([^<]*)<\/button>/g,
  )) {
    buttons.set(unescape(m[1] ?? ''), unescape(m[2] ?? ''));
  }
  return { html, action: new URL(unescape(action), authorizeUrl).toString(), hidden, buttons };
}

/** Presses the button of `oid` (or Cancel when oid is undefined); returns the raw response. */
async function pressButton(page: PickerPage, oid: string | undefined): Promise<Response> {
  const body = new URLSearchParams({ ...page.hidden, ...(oid ? { oid } : { action: 'cancel' }) });
  return fetch(page.action, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Signs `oid` in through the picker and returns the query of the 302 back to the app. */
async function signIn(authorizeUrl: string, oid: string): Promise<URLSearchParams> {
  const res = await pressButton(await loadPicker(authorizeUrl), oid);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(location).searchParams;
}

function unescape(value: string): string {
  return value.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}
