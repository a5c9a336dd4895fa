import { strict as assert } from 'node:assert';
import { MemoryStore } from '../../../src/storage/memory-store';
import type { Clock } from '../../../src/meetings/ports';
import { describeClaims } from '../../support/claims-contract';
import { describeKeyValueStore } from '../../support/key-value-store-contract';

/** A clock that only moves when the test says so. */
class FakeClock implements Clock {
  constructor(private time = Date.UTC(2025, 0, 6, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

describeKeyValueStore('MemoryStore', async () => {
  const clock = new FakeClock();
  return {
    store: new MemoryStore(clock),
    elapse: async (ms) => clock.advance(ms),
  };
});

describe('MemoryStore', () => {
  it('reads primitives back as JSON would, like the Redis store (NaN and Infinity become null)', async () => {
    const store = new MemoryStore(new FakeClock());
    await store.set('nan', Number.NaN);
    await store.set('inf', Number.POSITIVE_INFINITY);
    await store.set('text', 'partition "quoted" ✓');
    assert.equal((await store.get<number>('nan'))?.value, null);
    assert.equal((await store.get<number>('inf'))?.value, null);
    assert.equal((await store.get<string>('text'))?.value, 'partition "quoted" ✓');
  });
});

describeClaims('MemoryStore', async () => {
  const store = new MemoryStore(new FakeClock());
  return { store, dispose: () => store.close() };
});

describe('MemoryStore eviction', () => {
  it('drops expired keys nobody reads again: size returns to its baseline once their time has passed', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    await store.set('kept', 'no expiry');
    for (let i = 0; i < 2000; i++) await store.set(`flow:${i}`, { i }, 15 * 60_000);
    assert.equal(store.size, 2001);
    clock.advance(15 * 60_000 - 1);
    store.sweepExpired();
    assert.equal(store.size, 2001, 'nothing before its time');
    clock.advance(1);
    store.sweepExpired();
    assert.equal(store.size, 1);
    assert.deepEqual((await store.get('kept'))?.value, 'no expiry');
  });

  it('sweeps on its own, from a timer, with no further reads or writes', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock, { sweepIntervalInMs: 5 });
    try {
      for (let i = 0; i < 100; i++) await store.set(`k${i}`, i, 1000);
      clock.advance(1000);
      const until = Date.now() + 2000;
      while (store.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      assert.equal(store.size, 0);
    } finally {
      await store.close();
    }
  });

  it('keeps a key rewritten with a later expiry, and a key rewritten without one', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    await store.set('a', 1, 1000);
    await store.set('b', 1, 1000);
    clock.advance(500);
    await store.set('a', 2, 1000);
    await store.set('b', 2);
    clock.advance(600);
    store.sweepExpired();
    assert.equal((await store.get('a'))?.value, 2);
    assert.equal((await store.get('b'))?.value, 2);
    clock.advance(1000);
    store.sweepExpired();
    assert.equal(store.size, 1);
  });

  it('keeps its expiry index bounded when one key is rewritten many times with a long TTL', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    for (let i = 0; i < 50_000; i++) await store.set('hot', i, 24 * 60 * 60_000);
    assert.ok(store.expiryIndexSize < 5000, `${store.expiryIndexSize} index entries for one key`);
  });
});
