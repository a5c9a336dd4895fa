import { MemoryStore } from '../../../src/storage/memory-store';
import type { Clock } from '../../../src/meetings/ports';
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
