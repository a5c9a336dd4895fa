import type { Clock } from '../meetings/ports';
import type { KeyValueStore, Versioned } from './storage';

interface Entry {
  readonly json: string;
  readonly etag: string;
  readonly expiresAt: number | undefined;
}

/** In-process store for one instance and for tests. Values are copied through JSON so callers never share objects. */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private counter = 0;

  constructor(private readonly clock: Clock) {}

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const entry = this.live(key);
    return entry ? { value: JSON.parse(entry.json) as T, etag: entry.etag } : undefined;
  }

  async compareAndSet<T>(key: string, value: T, expectedEtag: string | null, ttlInMs?: number): Promise<string | undefined> {
    const current = this.live(key);
    if ((current?.etag ?? null) !== expectedEtag) return undefined;
    return this.write(key, value, ttlInMs);
  }

  async set<T>(key: string, value: T, ttlInMs?: number): Promise<string> {
    return this.write(key, value, ttlInMs);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write<T>(key: string, value: T, ttlInMs?: number): string {
    const etag = String(++this.counter);
    this.entries.set(key, {
      json: JSON.stringify(value),
      etag,
      expiresAt: ttlInMs === undefined ? undefined : this.clock.now() + ttlInMs,
    });
    return etag;
  }
}
