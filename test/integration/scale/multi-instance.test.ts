import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import {
  ADA,
  ALAN,
  GRACE,
  KATHERINE,
  invokeActivity,
  messageActivity,
  signIn,
  signInLinkFrom,
  startHarness,
  type Harness,
} from '../../support/harness';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server';

const isMeetingCard = (a: Record<string, unknown>) => JSON.stringify(a).includes('meetup-join');
const isPrompt = (a: Record<string, unknown>) =>
  signInLinkFrom(a) !== undefined || JSON.stringify(a).includes('card.oauth');

/**
 * Two Convene instances behind one bot registration: each has its own HTTP server, msal clients, adapter and
 * in-process state; they share only Redis (REDIS_URL), the signing secret and the stand-ins (Entra, Graph, the
 * Bot Connector), as two pods behind a load balancer would. Instance 2's BOT_ENDPOINT is instance 1's URL: the
 * public URL both sit behind, so the redirect_uri is the same whichever instance serves the callback.
 */
describe('two instances on one Redis', function () {
  this.timeout(30_000);
  let redis: RedisServerHandle;
  let inspect: Redis;
  let h1: Harness;
  let h2: Harness;

  before(async () => {
    redis = await startRedisServer();
    inspect = new Redis(redis.url);
    h1 = await startHarness({ env: { REDIS_URL: redis.url, TEAMS_SSO: 'false' } });
    h2 = await startHarness({
      entra: h1.entra,
      graph: h1.graph,
      connector: h1.connector,
      env: { REDIS_URL: redis.url, TEAMS_SSO: 'false', BOT_ENDPOINT: h1.baseUrl },
    });
  });
  after(async () => {
    await h2?.close();
    await h1?.close();
    inspect?.disconnect();
    await redis?.stop();
  });
  beforeEach(() => {
    h1.connector.reset();
    h1.graph.reset();
  });
  const idle = () => Promise.all([h1.app.background.idle(), h2.app.background.idle()]);

  it('a user who signed in through instance 1 needs no prompt for their next command on instance 2', async () => {
    await signIn(h1, ADA);
    const tokenCallsBefore = h1.entra.tokenRequests.length;
    const res = await h2.post(messageActivity(h2, 'meet cross-instance tomorrow 3pm', { user: ADA }));
    assert.equal(res.status, 200);
    await h1.connector.waitForMessage((c) => isMeetingCard(c.activity));
    assert.equal(h1.connector.messages().filter((c) => isPrompt(c.activity)).length, 0, 'no sign-in prompt');
    assert.equal(h1.entra.tokenRequests.length - tokenCallsBefore, 0, 'the access token came from the shared cache');
    assert.equal(h1.graph.meetings.length, 1);
  });

  it('the same activity delivered to both at once creates one meeting and posts one card', async () => {
    await signIn(h1, GRACE);
    const activity = messageActivity(h1, 'meet both instances tomorrow 10am', { user: GRACE });
    const results = await Promise.all([h1.post(activity), h2.post(activity), h1.post(activity), h2.post(activity)]);
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200],
    );
    await idle();
    assert.equal(h1.graph.meetings.length, 1);
    // One delivery claims the activity (on either instance); the others wait for its answer and post nothing (issue
    // #14 finding 10). createOrGet's externalId is the second line of defence (the crash tests take that path).
    const createOrGets = h1.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/createOrGet'));
    assert.equal(createOrGets.length, 1, 'one delivery went to Graph');
    const cards = h1.connector.messages().filter((c) => c.method === 'POST');
    assert.equal(cards.length, 1, 'one card for the four deliveries');
    assert.ok(isMeetingCard(cards[0]!.activity));
  });

  it('the same passcode activity delivered to both at once creates one meeting (compare-and-set claim in Redis)', async () => {
    await signIn(h1, GRACE);
    const activity = messageActivity(h1, 'meet passcode both tomorrow 11am passcode', { user: GRACE });
    const results = await Promise.all([h1.post(activity), h2.post(activity), h1.post(activity), h2.post(activity)]);
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200],
    );
    await idle();
    const posts = h1.graph.requests.filter((r) => r.method === 'POST' && !r.path.endsWith('/createOrGet'));
    assert.equal(posts.length, 1, 'one plain POST to Graph');
    assert.equal(h1.graph.meetings.length, 1);
    const passcode = h1.graph.meetings[0]!.passcode!;
    const cards = h1.connector.messages().filter((c) => isMeetingCard(c.activity));
    assert.ok(cards.length >= 1 && cards.every((c) => JSON.stringify(c.activity).includes(passcode)));
  });

  it('a sign-in link produced by instance 1 completes on instance 2, and the pending request completes once', async () => {
    const post = messageActivity(h1, 'meet link on two tomorrow 4pm', { user: ALAN });
    await h1.post(post);
    const prompt = await h1.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
    const link = signInLinkFrom(prompt.activity)!;
    assert.ok(link.startsWith(`${h1.baseUrl}/auth/start`));
    const pendingKeys = await inspect.keys('convene:pending:*');
    assert.ok(pendingKeys.length >= 1);

    // Browser: /auth/start on instance 1 → Entra → the callback, which the load balancer sends to instance 2.
    const start = await fetch(link, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location')!);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('oid', ALAN.aadObjectId);
    const picked = await fetch(`${authorize.origin}${authorize.pathname}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const callback = new URL(picked.headers.get('location')!);
    assert.equal(callback.origin, h1.baseUrl);
    const onInstance2 = `${h2.baseUrl}${callback.pathname}${callback.search}`;
    // Meanwhile Teams sends signin/verifyState to instance 1: both paths race to complete the same request.
    const verify = invokeActivity(h1, 'signin/verifyState', { state: '123456' }, { user: ALAN });
    const [done, verified] = await Promise.all([fetch(onInstance2, { redirect: 'manual' }), h1.post(verify)]);
    assert.equal(done.status, 200, await done.text());
    assert.equal(verified.status, 200);
    await h1.connector.waitForMessage((c) => isMeetingCard(c.activity));
    // More late completions on both instances change nothing.
    await Promise.all([h1.post(verify), h2.post(verify)]);
    await idle();
    const cards = h1.connector.messages().filter((c) => isMeetingCard(c.activity));
    assert.equal(cards.length, 1, 'one meeting card');
    assert.equal(cards[0]!.conversationId, `a:personal-${ALAN.id}`);
    assert.equal(h1.graph.meetings.length, 1);
  });

  it('concurrent SSO exchanges for one prompt on both instances make one on-behalf-of call and one meeting', async () => {
    const sso = await startHarness({
      entra: h1.entra,
      graph: h1.graph,
      connector: h1.connector,
      env: { REDIS_URL: redis.url },
    });
    const sso2 = await startHarness({
      entra: h1.entra,
      graph: h1.graph,
      connector: h1.connector,
      env: { REDIS_URL: redis.url },
    });
    try {
      await sso.post(messageActivity(sso, 'meet exchange twice tomorrow 9am', { user: KATHERINE }));
      const prompt = await h1.connector.waitForMessage((c) =>
        JSON.stringify(c.activity).includes('tokenExchangeResource'),
      );
      const id = /"tokenExchangeResource":\{"id":"([^"]+)"/.exec(JSON.stringify(prompt.activity))![1]!;
      const token = h1.entra.mintSsoToken({ oid: KATHERINE.aadObjectId });
      const oboBefore = h1.entra.tokenRequests.filter((r) => r.grantType.includes('jwt-bearer')).length;
      const exchange = invokeActivity(
        sso,
        'signin/tokenExchange',
        { id, connectionName: '', token },
        { user: KATHERINE },
      );
      const results = await Promise.all([
        sso.post(exchange),
        sso2.post(exchange),
        sso.post(exchange),
        sso2.post(exchange),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        [200, 200, 200, 200],
      );
      await h1.connector.waitForMessage((c) => isMeetingCard(c.activity));
      await Promise.all([sso.app.background.idle(), sso2.app.background.idle()]);
      assert.equal(h1.entra.tokenRequests.filter((r) => r.grantType.includes('jwt-bearer')).length - oboBefore, 1);
      assert.equal(h1.graph.meetings.length, 1);
      assert.equal(h1.connector.messages().filter((c) => isMeetingCard(c.activity)).length, 1);
    } finally {
      await sso2.close();
      await sso.close();
    }
  });

  it('keeps the token cache, pending requests, de-dup claims, exchanges and meetings in Redis; short-lived keys have TTLs', async () => {
    const keys = await inspect.keys('convene:*');
    const families = new Set(keys.map((k) => k.split(':')[1]));
    for (const family of ['msal', 'pending', 'pending-by-user', 'dedup', 'exchange', 'meeting', 'signin-flow']) {
      assert.ok(families.has(family), `a ${family}:* key in Redis (got ${[...families].join(', ')})`);
    }
    const day = 24 * 60 * 60 * 1000;
    for (const key of keys) {
      const family = key.split(':')[1]!;
      const ttl = await inspect.pttl(key);
      if (['pending', 'pending-by-user', 'dedup', 'exchange', 'signin-flow'].includes(family)) {
        assert.ok(ttl > 0 && ttl <= day, `${key} expires within a day (pttl ${ttl})`);
      }
      if (family === 'msal') assert.ok(ttl > day, `${key} expires (90 days of inactivity), pttl ${ttl}`);
    }
  });
});
