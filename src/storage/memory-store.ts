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

/** One pending expiry: the key and the etag it was set with (a later write makes it stale). */
interface Expiry {
  readonly at: number;
  readonly key: string;
  readonly etag: string;
}

export interface MemoryStoreOptions {
  /** How often expired keys nobody reads are dropped (default 60 s). Writes also drop a few as they go. */
  readonly sweepIntervalInMs?: number;
}

/** Expired keys a write drops on its way: enough to keep pace with any write rate, small enough to be free. */
const SWEEP_PER_WRITE = 16;

/**
 * In-process store for one instance and for tests. Values are copied through JSON so callers never share objects.
 * Expired keys are dropped when read, and also when nobody reads them (issue #14 finding 5: sign-in flows piled up
 * for hours): an expiry index (a min-heap by expiry time) is swept by every write (a few keys) and by a timer, so
 * eviction costs O(log n) per expiring key and nothing per request beyond a comparison.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly expiries = new ExpiryHeap();
  private readonly sweepIntervalInMs: number;
  private timer: NodeJS.Timeout | undefined;
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    options: MemoryStoreOptions = {},
  ) {
    this.sweepIntervalInMs = options.sweepIntervalInMs ?? 60_000;
  }

  /** Keys held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  /** Entries in the expiry index (stale ones for rewritten keys included); for tests of its bound. */
  get expiryIndexSize(): number {
    return this.expiries.size;
  }

  /** Drops every key whose expiry has passed (at most `limit`). */
  sweepExpired(limit = Number.POSITIVE_INFINITY): void {
    const now = this.clock.now();
    for (let n = 0; n < limit; n++) {
      const next = this.expiries.peek();
      if (!next || next.at > now) return;
      this.expiries.pop();
      if (this.entries.get(next.key)?.etag === next.etag) this.entries.delete(next.key);
    }
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const entry = this.live(key);
    if (!entry) return undefined;
    return { value: (entry.primitive ? entry.primitive.value : JSON.parse(entry.json)) as T, etag: entry.etag };
  }

  async compareAndSet<T>(
    key: string,
    value: T,
    expectedEtag: string | null,
    ttlInMs?: number,
  ): Promise<string | undefined> {
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
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.entries.clear();
    this.expiries.clear();
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
    this.sweepExpired(SWEEP_PER_WRITE);
    const etag = String(++this.counter);
    const json = JSON.stringify(value);
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    this.entries.set(key, {
      json,
      ...(primitive ? { primitive: { value: JSON.parse(json) as unknown } } : {}),
      etag,
      expiresAt: ttlInMs === undefined ? undefined : this.clock.now() + ttlInMs,
    });
    if (ttlInMs !== undefined) this.expire(key, etag, this.clock.now() + ttlInMs);
    return etag;
  }

  private expire(key: string, etag: string, at: number): void {
    this.expiries.push({ at, key, etag });
    // A key rewritten often with a long TTL leaves stale index entries behind; rebuild from the live ones when they
    // outnumber the keys (amortized O(1) per write).
    if (this.expiries.size > 2 * this.entries.size + 1024) {
      this.expiries.rebuild(
        [...this.entries].flatMap(([k, e]) =>
          e.expiresAt === undefined ? [] : [{ at: e.expiresAt, key: k, etag: e.etag }],
        ),
      );
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.sweepExpired(), this.sweepIntervalInMs);
      // The sweep never keeps a process (or a test run) alive.
      this.timer.unref();
    }
  }
}

/** A binary min-heap of expiries by time. */
class ExpiryHeap {
  private items: Expiry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Expiry | undefined {
    return this.items[0];
  }

  push(item: Expiry): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= item.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): Expiry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (!top || !last || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  rebuild(items: Expiry[]): void {
    this.items = [];
    for (const item of items) this.push(item);
  }

  clear(): void {
    this.items = [];
  }
}
