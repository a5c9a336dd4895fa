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
