import type { Clock } from '../meetings/ports';
import type { KeyValueStore, Versioned } from './storage';

interface Entry {
  readonly json: string;
  /**
   * The value as read back, kept when it is a primitive (a string, such as a user's token cache partition, can't be
   * mutated by a caller, so one parse at write time serves every read). Objects are parsed afresh on each get.
   */
  readonly primitive?: { readonly value: unknown };
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
    if (!entry) return undefined;
    return { value: (entry.primitive ? entry.primitive.value : JSON.parse(entry.json)) as T, etag: entry.etag };
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
    const json = JSON.stringify(value);
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    this.entries.set(key, {
      json,
      ...(primitive ? { primitive: { value: JSON.parse(json) as unknown } } : {}),
      etag,
      expiresAt: ttlInMs === undefined ? undefined : this.clock.now() + ttlInMs,
    });
    return etag;
  }
}
