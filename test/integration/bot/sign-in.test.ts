import assert from 'node:assert/strict';
import { LOCAL_TEAM, LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import {
  ADA,
  ALAN,
  GRACE,
  KATHERINE,
  completeSignInLink,
  invokeActivity,
  messageActivity,
  signInLinkFrom,
  startHarness,
  type Harness,
} from '../../support/harness';

const isMeetingCard = (a: Record<string, unknown>) => JSON.stringify(a).includes('meetup-join');

function oauthCard(
  activity: Record<string, unknown>,
): { tokenExchangeResource?: { id: string; uri: string }; buttons: { value: string }[] } | undefined {
  const attachments = (activity.attachments as { contentType: string; content: unknown }[] | undefined) ?? [];
  return attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.oauth')?.content as never;
}

describe('sign-in in every scope (Teams SSO + on-behalf-of, sign-in link)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());
  beforeEach(() => {
    h.connector.reset();
    h.graph.reset();
  });

  it('personal chat: OAuth card with tokenExchangeResource; the token exchange completes the command without retyping', async () => {
    await h.post(messageActivity(h, 'meet SSO check tomorrow 3pm', { user: GRACE }));
    const prompt = await h.connector.waitForMessage((c) => oauthCard(c.activity) !== undefined);
    const card = oauthCard(prompt.activity)!;
    assert.equal(card.tokenExchangeResource?.uri, 'api://2d9a7c41-6f3e-4b8a-a1c5-c0ffee000002');
    assert.match(card.buttons[0]!.value, /\/auth\/start\?t=/);
    const token = h.entra.mintSsoToken({ oid: GRACE.aadObjectId });
    const res = await h.post(
      invokeActivity(
        h,
        'signin/tokenExchange',
        { id: card.tokenExchangeResource.id, connectionName: '', token },
        { user: GRACE },
      ),
    );
    assert.equal(res.status, 200);
    const meeting = await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
    assert.equal(meeting.conversationId, `a:personal-${GRACE.id}`);
    assert.equal(h.graph.meetings.length, 1);
  });

  it('group chat: five concurrent identical token exchanges → one on-behalf-of call and one meeting', async () => {
    await h.post(messageActivity(h, 'meet team sync tomorrow 4pm', { user: ALAN, kind: 'groupChat' }));
    const prompt = await h.connector.waitForMessage((c) => oauthCard(c.activity) !== undefined);
    const id = oauthCard(prompt.activity)!.tokenExchangeResource!.id;
    const token = h.entra.mintSsoToken({ oid: ALAN.aadObjectId, version: 'v1' });
    const oboBefore = h.entra.tokenRequests.filter((r) => r.grantType.includes('jwt-bearer')).length;
    const exchange = invokeActivity(
      h,
      'signin/tokenExchange',
      { id, connectionName: '', token },
      { user: ALAN, kind: 'groupChat' },
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => h.post(exchange)));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
    await h.app.background.idle();
    const obo = h.entra.tokenRequests.filter((r) => r.grantType.includes('jwt-bearer')).length - oboBefore;
    assert.equal(obo, 1);
    assert.equal(h.graph.meetings.length, 1);
  });

  it('consent missing: 412 to the exchange, then the link flow (prompt=consent) completes the original command', async () => {
    h.entra.setUserSwitches(KATHERINE.aadObjectId, { consentMissing: true });
    await h.post(messageActivity(h, 'meet consent check tomorrow 2pm', { user: KATHERINE }));
    const prompt = await h.connector.waitForMessage((c) => oauthCard(c.activity) !== undefined);
    const card = oauthCard(prompt.activity)!;
    const token = h.entra.mintSsoToken({ oid: KATHERINE.aadObjectId });
    const res = await h.post(
      invokeActivity(
        h,
        'signin/tokenExchange',
        { id: card.tokenExchangeResource!.id, connectionName: '', token },
        { user: KATHERINE },
      ),
    );
    assert.equal(res.status, 412);
    assert.ok((res.body as { failureDetail?: string }).failureDetail);
    // Teams now shows the card's sign-in button: the link flow.
    const outcome = await completeSignInLink(card.buttons[0]!.value, KATHERINE);
    assert.equal(outcome.status, 200, outcome.page);
    const meeting = await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
    assert.equal(meeting.conversationId, `a:personal-${KATHERINE.id}`);
    assert.equal(h.graph.meetings.length, 1);
  });

  it('channel, never signed in: a neutral note in the thread and the SSO prompt in the 1:1 chat; completes in the channel', async () => {
    const fresh = await startHarness();
    try {
      const channel = LOCAL_TEAM.channels[1].id;
      const post = messageActivity(fresh, 'meet channel sign-in tomorrow 10am', {
        user: ADA,
        kind: 'channel',
        channelId: channel,
      });
      await fresh.post(post);
      const note = await fresh.connector.waitForMessage(
        (c) => c.conversationId === channel && /1:1 chat/.test(JSON.stringify(c.activity)),
      );
      assert.equal(signInLinkFrom(note.activity), undefined, 'no sign-in link in the channel');
      const privatePrompt = await fresh.connector.waitForMessage(
        (c) => c.conversationId.startsWith('a:personal-') && oauthCard(c.activity) !== undefined,
      );
      assert.equal(fresh.connector.createdConversations.length, 1);
      const id = oauthCard(privatePrompt.activity)!.tokenExchangeResource!.id;
      const token = fresh.entra.mintSsoToken({ oid: ADA.aadObjectId });
      const res = await fresh.post(
        invokeActivity(fresh, 'signin/tokenExchange', { id, connectionName: '', token }, { user: ADA }),
      );
      assert.equal(res.status, 200);
      const meeting = await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
      assert.equal(meeting.conversationId, `${channel};messageid=${post.id as string}`);
      const body = fresh.graph.requests.find((r) => r.method === 'POST')!.body as { chatInfo?: { threadId: string } };
      assert.equal(body.chatInfo?.threadId, channel);
    } finally {
      await fresh.close();
    }
  });

  it("a different account finishing someone else's link is refused, and no meeting is made", async () => {
    const fresh = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      await fresh.post(messageActivity(fresh, 'meet hijack tomorrow 1pm', { user: ADA }));
      const prompt = await fresh.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      const outcome = await completeSignInLink(signInLinkFrom(prompt.activity)!, GRACE);
      assert.equal(outcome.status, 403);
      assert.match(outcome.page, /isn&#39;t the one you use in Teams/);
      await fresh.app.background.idle();
      assert.equal(fresh.graph.meetings.length, 0);
      // The right person can still use their link; replaying that callback afterwards is refused.
      const again = await completeSignInLink(signInLinkFrom(prompt.activity)!, ADA);
      assert.equal(again.status, 200, again.page);
      await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
      const replay = await fetch(again.callbackUrl!, { redirect: 'manual' });
      assert.equal(replay.status, 400);
      const tampered = await fetch(again.callbackUrl!.replace(/state=([^&]+)/, 'state=x$1'), { redirect: 'manual' });
      assert.equal(tampered.status, 400);
    } finally {
      await fresh.close();
    }
  });

  it('after one sign-in, commands in personal, group and channel scopes need no prompt and make no token-endpoint call', async () => {
    await h.post(messageActivity(h, 'meet warm-up tomorrow 9am', { user: ADA }));
    const prompt = await h.connector.waitForMessage((c) => oauthCard(c.activity) !== undefined);
    await completeSignInLink(oauthCard(prompt.activity)!.buttons[0]!.value, ADA);
    await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
    await h.app.background.idle();
    const tokenCallsBefore = h.entra.tokenRequests.length;
    h.connector.reset();
    for (const kind of ['personal', 'groupChat', 'channel'] as const) {
      await h.post(messageActivity(h, `meet no prompt ${kind} tomorrow 5pm`, { user: ADA, kind }));
    }
    await h.connector.waitForMessage(
      () => h.connector.messages().filter((c) => isMeetingCard(c.activity)).length === 3,
    );
    assert.equal(h.connector.messages().filter((c) => oauthCard(c.activity) || signInLinkFrom(c.activity)).length, 0);
    assert.equal(
      h.entra.tokenRequests.length - tokenCallsBefore,
      0,
      'token-endpoint calls per command for a signed-in user',
    );
  });

  it('an expired access token is refreshed silently (refresh_token grant), no prompt', async () => {
    const fresh = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      // Inside msal's 5-minute renewal window, so the next command refreshes; long enough that the first meeting's
      // Graph call still has a valid token on a loaded machine (1 s made this test flaky).
      fresh.entra.setAccessTokenLifetime(60);
      await fresh.post(messageActivity(fresh, 'meet first tomorrow 9am', { user: GRACE }));
      const prompt = await fresh.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      await completeSignInLink(signInLinkFrom(prompt.activity)!, GRACE);
      await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
      fresh.entra.setAccessTokenLifetime(3599);
      fresh.connector.reset();
      await fresh.post(messageActivity(fresh, 'meet second tomorrow 10am', { user: GRACE }));
      await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
      assert.equal(fresh.connector.messages().filter((c) => signInLinkFrom(c.activity)).length, 0);
      assert.ok(fresh.entra.tokenRequests.some((r) => r.grantType === 'refresh_token' && r.status === 200));
    } finally {
      await fresh.close();
    }
  });

  it("signout forgets the user's tokens: the next command asks again", async () => {
    const fresh = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      await fresh.post(messageActivity(fresh, 'meet before signout tomorrow 9am', { user: ALAN }));
      const prompt = await fresh.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      await completeSignInLink(signInLinkFrom(prompt.activity)!, ALAN);
      await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
      await fresh.post(messageActivity(fresh, 'signout', { user: ALAN }));
      await fresh.connector.waitForMessage((c) => /signed out/.test(JSON.stringify(c.activity)));
      fresh.connector.reset();
      await fresh.post(messageActivity(fresh, 'meet after signout tomorrow 9am', { user: ALAN }));
      await fresh.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
    } finally {
      await fresh.close();
    }
  });

  it('a request left waiting for more than 15 minutes is not created after sign-in; the user is told it expired', async () => {
    let offset = 0;
    const fresh = await startHarness({ clock: { now: () => Date.now() + offset } });
    try {
      await fresh.post(messageActivity(fresh, 'meet too late tomorrow 3pm', { user: GRACE }));
      const prompt = await fresh.connector.waitForMessage((c) => oauthCard(c.activity) !== undefined);
      offset = 16 * 60 * 1000;
      const token = fresh.entra.mintSsoToken({ oid: GRACE.aadObjectId });
      const id = oauthCard(prompt.activity)!.tokenExchangeResource!.id;
      const res = await fresh.post(
        invokeActivity(fresh, 'signin/tokenExchange', { id, connectionName: '', token }, { user: GRACE }),
      );
      assert.equal(res.status, 200);
      await fresh.connector.waitForMessage((c) => /expired/.test(JSON.stringify(c.activity)));
      await fresh.app.background.idle();
      assert.equal(fresh.graph.meetings.length, 0);
    } finally {
      await fresh.close();
    }
  });

  it("the link completes the very request it was sent for, even when the user's pending index lost it", async () => {
    const fresh = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      await fresh.post(messageActivity(fresh, 'meet by link id tomorrow 10am', { user: ALAN }));
      const prompt = await fresh.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      // The per-user index is best effort (it keeps the 10 newest and gives up after 10 compare-and-set attempts);
      // the link carries the request's id, so completion must not depend on the index.
      await fresh.app.store.delete(`pending-by-user:${LOCAL_TENANT_ID}:${ALAN.aadObjectId}`);
      const outcome = await completeSignInLink(signInLinkFrom(prompt.activity)!, ALAN);
      assert.equal(outcome.status, 200, outcome.page);
      const meeting = await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
      assert.equal(meeting.conversationId, `a:personal-${ALAN.id}`);
      assert.equal(fresh.graph.meetings.length, 1);
      assert.equal(fresh.graph.meetings[0]!.subject, 'by link id');
    } finally {
      await fresh.close();
    }
  });

  it('the callback also accepts response_mode=form_post (a POSTed form), server-side', async () => {
    const fresh = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      await fresh.post(messageActivity(fresh, 'meet form post tomorrow 11am', { user: KATHERINE }));
      const prompt = await fresh.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      const start = await fetch(signInLinkFrom(prompt.activity)!, { redirect: 'manual' });
      const authorize = new URL(start.headers.get('location')!);
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(authorize.searchParams.get('redirect_uri'), `${fresh.baseUrl}/auth/callback`);
      const form = new URLSearchParams(authorize.searchParams);
      form.set('response_mode', 'form_post');
      form.set('oid', KATHERINE.aadObjectId);
      const page = await (
        await fetch(`${authorize.origin}${authorize.pathname}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        })
      ).text();
      const action = /action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
      const fields = new URLSearchParams(
        [...page.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
      );
      const callback = await fetch(action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      });
      assert.equal(callback.status, 200, await callback.clone().text());
      await fresh.connector.waitForMessage((c) => isMeetingCard(c.activity));
    } finally {
      await fresh.close();
    }
  });

  it('refuses an SSO token for another user (412) and a malformed exchange (400)', async () => {
    const token = h.entra.mintSsoToken({ oid: GRACE.aadObjectId });
    const res = await h.post(
      invokeActivity(h, 'signin/tokenExchange', { id: 'x-1', connectionName: '', token }, { user: KATHERINE }),
    );
    assert.equal(res.status, 412);
    const bad = await h.post(invokeActivity(h, 'signin/tokenExchange', { id: 5 }, { user: KATHERINE }));
    assert.equal(bad.status, 400);
    const failure = await h.post(
      invokeActivity(h, 'signin/failure', { code: 'resourcematchfailed', message: 'Resource match failed' }),
    );
    assert.equal(failure.status, 200);
  });
});
