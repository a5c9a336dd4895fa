import assert from 'node:assert/strict';
import type { KeyValueStore } from '../../src/storage/storage';

export interface KeyValueStoreUnderTest {
  readonly store: KeyValueStore;
  /** Lets `ms` of store time pass: a fake clock advances, a real backend sleeps. */
  elapse(ms: number): Promise<void>;
  /** Called in afterEach; defaults to store.close(). */
  dispose?(): Promise<void>;
}

/**
 * The behaviour every KeyValueStore must share. Each test gets a fresh store from `makeStore`
 * (for shared backends, isolate with a unique key prefix).
 */
export function describeKeyValueStore(name: string, makeStore: () => Promise<KeyValueStoreUnderTest>): void {
  describe(`${name} (KeyValueStore contract)`, function () {
    let subject: KeyValueStoreUnderTest;
    let store: KeyValueStore;

    beforeEach(async function () {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async function () {
      await (subject.dispose ? subject.dispose() : subject.store.close());
    });

    describe('get() and set()', function () {
      it('returns undefined for a key that was never written', async function () {
        assert.equal(await store.get('missing'), undefined);
      });

      it('round-trips a JSON value with the etag set() returned', async function () {
        const value = { subject: 'Standup', attendees: ['a@contoso.com'], n: 3, ok: true, nested: { x: null } };
        const etag = await store.set('k', value);
        assert.equal(typeof etag, 'string');
        assert.notEqual(etag, '');
        assert.deepEqual(await store.get('k'), { value, etag });
      });

      it('round-trips strings, numbers, booleans, null and arrays', async function () {
        for (const [i, value] of (
          ['text ✓ "quoted"\n', 0, -1.5, false, null, [1, 'two', { three: 3 }]] as const
        ).entries()) {
          await store.set(`scalar-${i}`, value);
          assert.deepEqual((await store.get(`scalar-${i}`))?.value, value);
        }
      });

      it('gives every write a new etag', async function () {
        const first = await store.set('k', 1);
        const second = await store.set('k', 1);
        assert.notEqual(first, second);
        assert.equal((await store.get('k'))?.etag, second);
      });

      it('stores copies: mutating the written or the read object changes nothing stored', async function () {
        const original = { list: [1, 2], inner: { flag: true } };
        await store.set('k', original);
        original.list.push(3);
        original.inner.flag = false;
        const read = await store.get<{ list: number[]; inner: { flag: boolean } }>('k');
        assert.deepEqual(read?.value, { list: [1, 2], inner: { flag: true } });
        read?.value.list.push(99);
        assert.deepEqual((await store.get('k'))?.value, { list: [1, 2], inner: { flag: true } });
      });

      it('keeps keys independent', async function () {
        await store.set('a', 'A');
        await store.set('b', 'B');
        assert.equal((await store.get('a'))?.value, 'A');
        assert.equal((await store.get('b'))?.value, 'B');
      });
    });

    describe('compareAndSet()', function () {
      it('creates the key when expectedEtag is null and the key is absent', async function () {
        const etag = await store.compareAndSet('k', { owner: 'first' }, null);
        assert.ok(etag);
        assert.deepEqual(await store.get('k'), { value: { owner: 'first' }, etag });
      });

      it('returns undefined and leaves the value when expectedEtag is null but the key exists', async function () {
        const etag = await store.set('k', 'existing');
        assert.equal(await store.compareAndSet('k', 'other', null), undefined);
        assert.deepEqual(await store.get('k'), { value: 'existing', etag });
      });

      it('writes when expectedEtag matches and returns a new etag', async function () {
        const etag = await store.set('k', 1);
        const next = await store.compareAndSet('k', 2, etag);
        assert.ok(next);
        assert.notEqual(next, etag);
        assert.deepEqual(await store.get('k'), { value: 2, etag: next });
      });

      it('returns undefined and leaves the value when expectedEtag is stale', async function () {
        const stale = await store.set('k', 1);
        const current = await store.set('k', 2);
        assert.equal(await store.compareAndSet('k', 3, stale), undefined);
        assert.deepEqual(await store.get('k'), { value: 2, etag: current });
      });

      it('returns undefined when an etag is expected but the key is absent', async function () {
        const etag = await store.set('k', 1);
        await store.delete('k');
        assert.equal(await store.compareAndSet('k', 2, etag), undefined);
        assert.equal(await store.get('k'), undefined);
      });

      it('does not accept an etag from before a delete once the key is re-created', async function () {
        const old = await store.set('k', 'v1');
        await store.delete('k');
        const recreated = await store.compareAndSet('k', 'v2', null);
        assert.ok(recreated);
        assert.notEqual(recreated, old);
        assert.equal(await store.compareAndSet('k', 'v3', old), undefined);
        assert.equal((await store.get('k'))?.value, 'v2');
      });

      it('lets exactly one of 50 concurrent create-if-absent writers win', async function () {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.compareAndSet('race', { writer: i }, null)),
        );
        const winners = results.flatMap((etag, i) => (etag === undefined ? [] : [{ etag, i }]));
        assert.equal(winners.length, 1);
        const [winner] = winners;
        assert.deepEqual(await store.get('race'), { value: { writer: winner?.i }, etag: winner?.etag });
      });

      it('lets exactly one of 50 concurrent writers with the same expected etag win', async function () {
        const start = await store.set('race', { writer: -1 });
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.compareAndSet('race', { writer: i }, start)),
        );
        const winners = results.flatMap((etag, i) => (etag === undefined ? [] : [{ etag, i }]));
        assert.equal(winners.length, 1);
        const [winner] = winners;
        assert.deepEqual(await store.get('race'), { value: { writer: winner?.i }, etag: winner?.etag });
      });
    });

    describe('TTL', function () {
      it('expires a value written by set() after ttlInMs', async function () {
        await store.set('k', 'short-lived', 200);
        await subject.elapse(50);
        assert.equal((await store.get('k'))?.value, 'short-lived');
        await subject.elapse(250);
        assert.equal(await store.get('k'), undefined);
      });

      it('expires a value written by compareAndSet() and then lets create-if-absent succeed again', async function () {
        assert.ok(await store.compareAndSet('lock', 'holder-1', null, 200));
        assert.equal(await store.compareAndSet('lock', 'holder-2', null, 200), undefined);
        await subject.elapse(300);
        assert.ok(await store.compareAndSet('lock', 'holder-3', null, 200));
        assert.equal((await store.get('lock'))?.value, 'holder-3');
      });

      it('keeps a value forever when it is rewritten without a TTL', async function () {
        await store.set('k', 'temporary', 200);
        await store.set('k', 'permanent');
        await subject.elapse(300);
        assert.equal((await store.get('k'))?.value, 'permanent');
      });

      it('applies the TTL of the latest write', async function () {
        const etag = await store.set('k', 'v1');
        assert.ok(await store.compareAndSet('k', 'v2', etag, 200));
        await subject.elapse(300);
        assert.equal(await store.get('k'), undefined);
      });
    });

    describe('delete()', function () {
      it('removes the key', async function () {
        await store.set('k', 1);
        await store.delete('k');
        assert.equal(await store.get('k'), undefined);
      });

      it('resolves for a key that does not exist', async function () {
        await store.delete('never-written');
      });

      it('lets create-if-absent succeed afterwards', async function () {
        await store.set('k', 1);
        await store.delete('k');
        assert.ok(await store.compareAndSet('k', 2, null));
      });
    });

    describe('ping()', function () {
      it('resolves while the backend is reachable', async function () {
        await store.ping();
      });
    });
  });
}
