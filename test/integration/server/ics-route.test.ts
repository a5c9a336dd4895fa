import assert from 'node:assert/strict';
import { SignedTokens } from '../../../src/auth/signed-token';
import { TEST_SIGNING_SECRET, startHarness, type Harness } from '../../support/harness';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server';

describe('routes that read storage, with storage down', function () {
  this.timeout(30_000);
  let redis: RedisServerHandle;
  let h: Harness;
  before(async () => {
    redis = await startRedisServer();
    h = await startHarness({ env: { REDIS_URL: redis.url, TEAMS_SSO: 'false' } });
  });
  after(async () => {
    await h.close();
    await redis.stop();
  });

  it('answers 503 with a plain retry message, no host:port, and logs neither the signed token nor the Redis address', async () => {
    const token = new SignedTokens(TEST_SIGNING_SECRET, { now: () => Date.now() }).sign(
      { ics: 'meeting:t:oid:some-meeting' },
      60_000,
    );
    const url = `${h.baseUrl}/meetings/${token}.ics`;
    assert.equal((await fetch(url)).status, 404, 'a valid link to an unknown meeting, with Redis up');

    await redis.stop();
    h.logs.length = 0;
    const res = await fetch(url);
    const body = await res.text();
    assert.equal(res.status, 503, body);
    assert.equal(res.headers.get('retry-after'), '30');
    assert.match(body, /try again/i);
    const address = `127.0.0.1:${redis.port}`;
    assert.ok(!body.includes(address) && !body.includes(String(redis.port)), `the answer names internals: ${body}`);
    const logs = h.logs.join('\n');
    assert.ok(h.logs.length >= 1, 'the failure is logged');
    assert.ok(!logs.includes(token), 'the signed token is in the logs');
    assert.ok(!logs.includes(token.split('.')[1] ?? token), 'a part of the signed token is in the logs');
    assert.ok(!logs.includes(address), `the logs name the Redis address: ${logs}`);
  });

  it('the sign-in link answers 503 with a page that says to try again, naming no host:port', async () => {
    // Runs after the test above: Redis is stopped.
    const link = new SignedTokens(TEST_SIGNING_SECRET, { now: () => Date.now() }).sign({ o: 'oid', t: 'tid' }, 60_000);
    for (const language of ['en-US', 'ja-JP']) {
      const res = await fetch(`${h.baseUrl}/auth/start?t=${encodeURIComponent(link)}`, {
        redirect: 'manual',
        headers: { 'Accept-Language': language },
      });
      const page = await res.text();
      assert.equal(res.status, 503, page);
      assert.ok(!page.includes(String(redis.port)) && !/redis/i.test(page), `${language}: the page names internals`);
    }
  });
});
