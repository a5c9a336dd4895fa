import assert from 'node:assert/strict';
import { LOCAL_CLIENT_SECRET } from '../../../emulators/fixtures';
import {
  ADA,
  GRACE,
  TEST_SIGNING_SECRET,
  completeSignInLink,
  invokeActivity,
  messageActivity,
  signIn,
  signInLinkFrom,
  startHarness,
} from '../../support/harness';

const isMeetingCard = (a: Record<string, unknown>) => JSON.stringify(a).includes('meetup-join');

describe('no secrets in logs', function () {
  this.timeout(30_000);

  it('after SSO exchange, link sign-in, meetings and errors, no issued token/code, secret or Authorization value is logged', async () => {
    const h = await startHarness();
    try {
      // SSO + on-behalf-of in a personal chat.
      await h.post(messageActivity(h, 'meet sso tomorrow 3pm', { user: GRACE }));
      const prompt = await h.connector.waitForMessage((c) =>
        JSON.stringify(c.activity).includes('tokenExchangeResource'),
      );
      const id = /"tokenExchangeResource":\{"id":"([^"]+)"/.exec(JSON.stringify(prompt.activity))![1]!;
      await h.post(
        invokeActivity(
          h,
          'signin/tokenExchange',
          { id, connectionName: '', token: h.entra.mintSsoToken({ oid: GRACE.aadObjectId }) },
          { user: GRACE },
        ),
      );
      await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
      // A refused SSO token (another user's) and a foreign-signed one.
      await h.post(
        invokeActivity(
          h,
          'signin/tokenExchange',
          { id: 'x', connectionName: '', token: h.entra.mintSsoToken({ oid: GRACE.aadObjectId }) },
          { user: ADA },
        ),
      );
      await h.post(
        invokeActivity(
          h,
          'signin/tokenExchange',
          {
            id: 'y',
            connectionName: '',
            token: h.entra.mintSsoToken({ oid: ADA.aadObjectId, signedByForeignKey: true }),
          },
          { user: ADA },
        ),
      );
      // Link sign-in (authorization code + PKCE), then a replayed callback.
      h.connector.reset();
      await h.post(messageActivity(h, 'meet link tomorrow 4pm passcode', { user: ADA, kind: 'channel' }));
      const linkPrompt = await h.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      const outcome = await completeSignInLink(signInLinkFrom(linkPrompt.activity)!, ADA);
      assert.equal(outcome.status, 200, outcome.page);
      await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
      await fetch(outcome.callbackUrl!, { redirect: 'manual' });
      // Errors: Graph 500, Graph 429 exhausted, Entra 503 on a refresh, an SSO exchange during an Entra outage.
      h.graph.injectFaults({ status: 500, count: 1, method: 'POST' });
      await h.post(messageActivity(h, 'meet graph error tomorrow 5pm', { user: ADA }));
      h.graph.injectFaults({ status: 429, retryAfter: 0, count: 4, method: 'POST' });
      await h.post(messageActivity(h, 'meet throttled tomorrow 5pm', { user: ADA }));
      h.entra.failNext({ status: 503, retryAfter: 1, count: 1 });
      await h.post(
        invokeActivity(
          h,
          'signin/tokenExchange',
          { id: 'z', connectionName: '', token: h.entra.mintSsoToken({ oid: ADA.aadObjectId }) },
          { user: ADA },
        ),
      );
      await h.post(messageActivity(h, 'signout', { user: ADA }));
      await h.app.background.idle();

      const issued = h.entra.issuedTokens();
      assert.ok(issued.length >= 5, `the stand-in issued tokens and codes (${issued.length})`);
      // The Graph stand-in records only whether Authorization was present; its values are the issued access tokens.
      const authorizations = h.graph.requests
        .map((r) => r.headers['authorization'])
        .filter((v): v is string => typeof v === 'string');
      const secrets = [...issued, LOCAL_CLIENT_SECRET, TEST_SIGNING_SECRET, ...authorizations];
      const logs = h.logs.join('\n');
      assert.ok(h.logs.length > 5, `the scenario logged (${h.logs.length} lines)`);
      for (const secret of secrets) {
        assert.ok(!logs.includes(secret), `a secret (${secret.slice(0, 12)}…) is in the logs`);
        // A JWT's signature alone would also be a leak.
        const signature = secret.split('.')[2];
        if (signature && signature.length > 20)
          assert.ok(!logs.includes(signature), 'a token signature is in the logs');
      }
      assert.doesNotMatch(logs, /Bearer\s+[A-Za-z0-9._-]{20,}/);
      assert.doesNotMatch(logs, /eyJ[A-Za-z0-9_-]{10,}\.eyJ/, 'no JWT-looking string');
    } finally {
      await h.close();
    }
  });

  it('names the error code of a failed Graph call (a Graph 429 logs graph_throttled)', async () => {
    const h = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      await signIn(h, ADA);
      h.graph.injectFaults({ status: 429, retryAfter: 0, count: 10, method: 'POST' });
      await h.post(messageActivity(h, 'meet throttled tomorrow 5pm', { user: ADA }));
      await h.connector.waitForMessage((c) => /busy/i.test(JSON.stringify(c.activity)));
      const failed = h.logs
        .map((l) => JSON.parse(l) as { msg?: string; code?: unknown })
        .filter((l) => l.msg === 'request failed');
      assert.ok(failed.length >= 1, 'the failure was logged');
      assert.deepEqual(
        failed.map((l) => l.code),
        failed.map(() => 'graph_throttled'),
      );
    } finally {
      await h.close();
    }
  });
});
