import assert from 'node:assert/strict';
import { ADA, invokeActivity, messageActivity, startHarness, type Harness } from '../../support/harness';

describe('/api/messages and /healthz runtime contract', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' } });
  });
  after(async () => h.close());

  it('GET /healthz answers 200 when ready', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    assert.equal(res.status, 200);
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await h.postRaw('{"type": "message", ');
    assert.equal(res.status, 400);
  });

  it('answers JSON without a type with 400 (botbuilder would say 500)', async () => {
    assert.equal((await h.postRaw('{"text":"hi"}')).status, 400);
    assert.equal((await h.postRaw('[1,2]')).status, 400);
    assert.equal((await h.postRaw('"message"')).status, 400);
  });

  it('answers a body over 256 KB with 413', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
    assert.equal((await h.postRaw(big)).status, 413);
  });

  it('answers an invoke it does not handle with 501 and an ignored activity type with 200', async () => {
    assert.equal((await h.post(invokeActivity(h, 'some/unknownInvoke', {}))).status, 501);
    const typing = { ...messageActivity(h, 'x'), type: 'typing' };
    assert.equal((await h.post(typing)).status, 200);
  });

  it('welcomes once per conversation on install, even when Teams sends both updates', async () => {
    h.connector.reset();
    const install = {
      ...messageActivity(h, '', { user: ADA, kind: 'groupChat' }),
      type: 'installationUpdate',
      action: 'add',
    };
    const update = {
      ...messageActivity(h, '', { user: ADA, kind: 'groupChat' }),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:convene-local-bot' }],
    };
    await h.post(install);
    await h.post(update);
    await h.post(install);
    const welcomes = h.connector.messages().filter((c) => /Hi, I'm Convene/.test(JSON.stringify(c.activity)));
    assert.equal(welcomes.length, 1);
  });

  it('serves teams-js locally for the sign-in pages', async () => {
    const res = await fetch(`${h.baseUrl}/public/teams-js.min.js`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /microsoftTeams|authentication/);
  });

  it('refuses a tampered or missing sign-in link with a clear page', async () => {
    const res = await fetch(`${h.baseUrl}/auth/start?t=abc.def`, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /invalid, expired or was already used/);
    const cb = await fetch(`${h.baseUrl}/auth/callback?error=access_denied`, { redirect: 'manual' });
    assert.equal(cb.status, 400);
    const ja = await fetch(`${h.baseUrl}/auth/start?t=abc.def`, {
      redirect: 'manual',
      headers: { 'Accept-Language': 'ja-JP,ja;q=0.9,en;q=0.8' },
    });
    const page = await ja.text();
    assert.match(page, /lang="ja"/);
    assert.match(page, /サインイン リンクは無効/);
  });
});
