import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import { SignedTokens } from '../../../src/auth/signed-token';
import type { MemoryStore } from '../../../src/storage/memory-store';
import { ADA, TEST_SIGNING_SECRET, completeSignInLink, startHarness, type Harness } from '../../support/harness';

/** A clock the test moves (Convene's store, links and flows all read it). */
const clock = {
  time: Date.now(),
  now(): number {
    return this.time;
  },
};

function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/auth/start state in the in-memory store', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' }, clock });
  });
  after(async () => h.close());

  it('2,000 hits on one link keep one sign-in flow, and once it expires the store is back to its baseline', async () => {
    const store = h.app.store as MemoryStore;
    const baseline = store.size;
    const link = new SignedTokens(TEST_SIGNING_SECRET, clock).sign(
      { o: ADA.aadObjectId, t: LOCAL_TENANT_ID },
      15 * 60_000,
    );
    const url = `${h.baseUrl}/auth/start?t=${encodeURIComponent(link)}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      for (let i = 0; i < 2000; i += 20) {
        const statuses = await Promise.all(Array.from({ length: 20 }, () => get(agent, url)));
        assert.ok(
          statuses.every((s) => s === 302),
          statuses.join(),
        );
      }
    } finally {
      agent.destroy();
    }
    assert.ok(store.size <= baseline + 1, `${store.size - baseline} records for one link`);

    clock.time += 16 * 60_000;
    store.sweepExpired();
    assert.equal(store.size, baseline);
  });

  it('a link opened twice (two tabs) still signs in from either', async () => {
    const link = new SignedTokens(TEST_SIGNING_SECRET, clock).sign(
      { o: ADA.aadObjectId, t: LOCAL_TENANT_ID },
      15 * 60_000,
    );
    const url = `${h.baseUrl}/auth/start?t=${encodeURIComponent(link)}`;
    const first = await fetch(url, { redirect: 'manual' });
    assert.equal(first.status, 302);
    const outcome = await completeSignInLink(url, ADA);
    assert.equal(outcome.status, 200, outcome.page.slice(0, 300));
    // The first tab's authorize URL carries the same PKCE challenge, so it would have worked as well.
    const challenge = (u: string | null) => new URL(u ?? 'http://x').searchParams.get('code_challenge');
    const again = await fetch(url, { redirect: 'manual' });
    assert.notEqual(
      challenge(again.headers.get('location')),
      challenge(first.headers.get('location')),
      'a used flow is not reused',
    );
  });
});
