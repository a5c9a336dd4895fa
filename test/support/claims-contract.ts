import assert from 'node:assert/strict';
import { Claims } from '../../src/storage/claims';
import type { KeyValueStore } from '../../src/storage/storage';

/** A clock that only moves when the test says so: leases are compared against it, whatever the store. */
export class ManualClock {
  constructor(private time = Date.UTC(2026, 0, 6, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const LEASE = 30_000;
const TTL = 24 * 60 * 60 * 1000;

/** Claims over a given store, with an injected clock; `makeStore` gives each test a fresh (or freshly prefixed) store. */
export function describeClaims(
  name: string,
  makeStore: () => Promise<{ store: KeyValueStore; dispose(): Promise<void> }>,
): void {
  describe(`Claims over ${name}`, function () {
    let subject: { store: KeyValueStore; dispose(): Promise<void> };
    let clock: ManualClock;
    const claimsAs = (instanceId: string, extra: { maxHoldInMs?: number } = {}) =>
      new Claims({
        store: subject.store,
        clock,
        instanceId,
        leaseInMs: LEASE,
        pollInMs: 1,
        // Waiting moves the fake clock, so a wait ends without real time passing.
        sleep: async (ms) => clock.advance(ms * 100),
        ...extra,
      });

    beforeEach(async function () {
      subject = await makeStore();
      clock = new ManualClock();
    });
    afterEach(async function () {
      await subject.dispose();
    });

    it('gives a key to exactly one of several concurrent claimants, on any instance', async function () {
      const attempts = await Promise.all(
        ['a', 'b', 'c', 'd'].map((id) => claimsAs(id).claim<string>('k', { ttlInMs: TTL })),
      );
      const claimed = attempts.filter((a) => a.kind === 'claimed');
      assert.equal(claimed.length, 1);
      assert.ok(attempts.every((a) => a.kind === 'claimed' || a.kind === 'held'));
      const held = attempts.find((a) => a.kind === 'held');
      assert.ok(held && held.kind === 'held');
      assert.match(held.owner, /^[abcd]:/, 'the owner names the instance that holds it');
      if (claimed[0]?.kind === 'claimed') await claimed[0].claim.release();
    });

    it('answers every later claimant with the settled outcome', async function () {
      const first = await claimsAs('a').claim<{ meetingId: string }>('k', { ttlInMs: TTL });
      assert.equal(first.kind, 'claimed');
      if (first.kind !== 'claimed') return;
      assert.equal(await first.claim.settle({ meetingId: 'm1' }), true);
      clock.advance(LEASE * 10);
      assert.deepEqual(await claimsAs('b').claim('k', { ttlInMs: TTL }), {
        kind: 'settled',
        outcome: { meetingId: 'm1' },
      });
      assert.deepEqual(await claimsAs('b').awaitSettled('k', 0), { kind: 'settled', outcome: { meetingId: 'm1' } });
    });

    it('a released key is claimed again at once', async function () {
      const first = await claimsAs('a').claim('k', { ttlInMs: TTL });
      if (first.kind !== 'claimed') return assert.fail(first.kind);
      await first.claim.release();
      assert.deepEqual(await claimsAs('b').awaitSettled('k', 0), { kind: 'free' });
      const second = await claimsAs('b').claim('k', { ttlInMs: TTL });
      assert.equal(second.kind, 'claimed');
      if (second.kind === 'claimed') await second.claim.release();
    });

    it('a holder that stops renewing (crashed) loses the key when its lease lapses, not a day later', async function () {
      const dead = await claimsAs('dead').claim('k', { ttlInMs: TTL });
      if (dead.kind !== 'claimed') return assert.fail(dead.kind);
      // A killed process renews nothing (the renewal timer runs every lease/3 of real time: not within this test).
      clock.advance(LEASE - 1);
      assert.equal((await claimsAs('b').claim('k', { ttlInMs: TTL })).kind, 'held');
      clock.advance(2);
      const next = await claimsAs('b').claim('k', { ttlInMs: TTL });
      assert.equal(next.kind, 'claimed');
      // The dead holder's late settle must not overwrite the new owner's claim.
      assert.equal(await dead.claim.settle('late'), false);
      assert.equal(dead.claim.lost, true);
      if (next.kind === 'claimed') await next.claim.settle('mine');
      assert.deepEqual(await claimsAs('c').awaitSettled('k', 0), { kind: 'settled', outcome: 'mine' });
    });

    it('a live holder keeps the key past one lease by renewing it', async function () {
      const live = await claimsAs('a').claim('k', { ttlInMs: TTL });
      if (live.kind !== 'claimed') return assert.fail(live.kind);
      for (let i = 0; i < 5; i++) {
        clock.advance(LEASE / 2);
        assert.equal(await live.claim.renew(), true);
      }
      assert.equal((await claimsAs('b').claim('k', { ttlInMs: TTL })).kind, 'held');
      await live.claim.settle('done');
    });

    it('renewal stops after maxHoldInMs, so a claim nobody settles frees itself', async function () {
      const stuck = await claimsAs('a', { maxHoldInMs: LEASE * 2 }).claim('k', { ttlInMs: TTL });
      if (stuck.kind !== 'claimed') return assert.fail(stuck.kind);
      clock.advance(LEASE * 2 + 1);
      assert.equal(await stuck.claim.renew(), false);
      clock.advance(LEASE);
      assert.equal((await claimsAs('b').claim('k', { ttlInMs: TTL })).kind, 'claimed');
    });

    it("with abandoned: 'report', a lapsed claim is reported (not taken) and can be settled in the holder's place", async function () {
      const dead = await claimsAs('dead').claim('k', { ttlInMs: TTL });
      if (dead.kind !== 'claimed') return assert.fail(dead.kind);
      clock.advance(LEASE + 1);
      const seen = await claimsAs('b').claim<string>('k', { ttlInMs: TTL, abandoned: 'report' });
      assert.equal(seen.kind, 'abandoned');
      if (seen.kind !== 'abandoned') return;
      assert.match(seen.owner, /^dead:/);
      assert.equal(await seen.settle('uncertain'), true);
      assert.equal(await seen.settle('again'), false, 'only one caller records the outcome');
      assert.deepEqual(await claimsAs('c').claim('k', { ttlInMs: TTL }), { kind: 'settled', outcome: 'uncertain' });
    });

    it('claimOrAwait() waits for the holder and returns its outcome; gives up with `held` after waitInMs', async function () {
      const first = await claimsAs('a').claim<string>('k', { ttlInMs: TTL });
      if (first.kind !== 'claimed') return assert.fail(first.kind);
      const waiting = claimsAs('b').claimOrAwait<string>('k', { ttlInMs: TTL, waitInMs: 4_000 });
      await first.claim.settle('done');
      const outcome = await waiting;
      assert.ok(outcome.kind === 'settled' || outcome.kind === 'held');
      if (outcome.kind === 'settled') assert.equal(outcome.outcome, 'done');

      const other = await claimsAs('a').claim<string>('k2', { ttlInMs: TTL });
      if (other.kind !== 'claimed') return assert.fail(other.kind);
      const gaveUp = await claimsAs('b').claimOrAwait<string>('k2', { ttlInMs: TTL, waitInMs: 1_000 });
      assert.equal(gaveUp.kind, 'held');
      assert.deepEqual(await claimsAs('b').awaitSettled('k2', 0), { kind: 'held' });
      await other.claim.release();
    });
  });
}
