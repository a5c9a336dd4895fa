import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { AwaitOptions, ClaimAttempt, ClaimOptions, Clock, HeldClaim } from '../meetings/ports';

export type { AwaitOptions, ClaimAttempt, ClaimOptions, HeldClaim } from '../meetings/ports';
import type { KeyValueStore } from './storage';

/**
 * A claim's stored form. `held` names its owner (instance id + a token unique to this claim) and a lease that the
 * owner renews while its work runs; `settled` keeps the outcome for everyone who asks later; `released` frees the
 * key (the store has no compare-and-delete, so a release is a compare-and-set to this).
 */
type ClaimRecord<T> =
  | { readonly state: 'held'; readonly owner: string; readonly leaseUntil: number }
  | { readonly state: 'settled'; readonly outcome: T; readonly at: number }
  | { readonly state: 'released' };

export interface ClaimsOptions {
  readonly store: KeyValueStore;
  readonly clock: Clock;
  /** Names this process in the claims it holds (host, pid, a random part), for the log and for tests. */
  readonly instanceId: string;
  /** A holder that stops renewing loses its claim this long after the last renewal. Default 30 s. */
  readonly leaseInMs?: number;
  /** Poll interval while waiting for another holder. Default 100 ms. */
  readonly pollInMs?: number;
  /** Renewal stops after this, so a claim nobody settles can't be renewed forever. Default 10 minutes. */
  readonly maxHoldInMs?: number;
  readonly logger?: Pick<Logger, 'warn'>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_LEASE_IN_MS = 30_000;

function isClaimRecord(value: unknown): boolean {
  const state = (value as { state?: unknown } | null)?.state;
  return (
    (state === 'held' && typeof (value as { leaseUntil?: unknown }).leaseUntil === 'number') ||
    (state === 'settled' && 'outcome' in (value as object)) ||
    state === 'released'
  );
}

/**
 * Claim-once and await-settled over the store's compare-and-set (design.md §4): exactly one caller, on any
 * instance, gets `claimed` for a key; the others see it `held`, wait for its `settled` outcome, or, when the
 * holder died and its lease lapsed (within `leaseInMs`), take it over or are told it was abandoned.
 */
export class Claims {
  private readonly leaseInMs: number;
  private readonly pollInMs: number;
  private readonly maxHoldInMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ClaimsOptions) {
    this.leaseInMs = options.leaseInMs ?? DEFAULT_LEASE_IN_MS;
    this.pollInMs = options.pollInMs ?? 100;
    this.maxHoldInMs = options.maxHoldInMs ?? 10 * 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One attempt: claims a free key (absent, released, or abandoned with `abandoned: 'take'`). */
  async claim<T>(key: string, options: ClaimOptions<T>): Promise<ClaimAttempt<T>> {
    const { store } = this.options;
    for (;;) {
      // Unique per claim, once per message: randomUUID draws from a cached entropy pool (a tenth of randomBytes' cost).
      const owner = `${this.options.instanceId}:${randomUUID()}`;
      const etag = await store.compareAndSet(key, this.held(owner), null, options.ttlInMs);
      if (etag) return { kind: 'claimed', claim: this.holding<T>(key, owner, etag, options.ttlInMs) };
      const current = await store.get<ClaimRecord<T>>(key);
      if (!current) continue; // expired or released between the two calls
      const record = current.value;
      if (!isClaimRecord(record)) {
        const outcome = options.legacy?.(record);
        if (outcome !== undefined) return { kind: 'settled', outcome };
      }
      if (record.state === 'settled') return { kind: 'settled', outcome: record.outcome };
      if (record.state === 'held' && record.leaseUntil > this.options.clock.now()) {
        return { kind: 'held', owner: record.owner, leaseUntil: record.leaseUntil };
      }
      if (record.state === 'held' && options.abandoned === 'report') {
        return {
          kind: 'abandoned',
          owner: record.owner,
          settle: async (outcome) =>
            (await store.compareAndSet(key, this.settled(outcome), current.etag, options.ttlInMs)) !== undefined,
        };
      }
      const taken = await store.compareAndSet(key, this.held(owner), current.etag, options.ttlInMs);
      if (taken) return { kind: 'claimed', claim: this.holding<T>(key, owner, taken, options.ttlInMs) };
    }
  }

  /** Claims the key, or waits up to `waitInMs` for its current holder to settle (or to lose its lease). */
  async claimOrAwait<T>(key: string, options: AwaitOptions<T>): Promise<ClaimAttempt<T>> {
    const until = this.options.clock.now() + options.waitInMs;
    for (;;) {
      const attempt = await this.claim<T>(key, options);
      if (attempt.kind !== 'held' || this.options.clock.now() >= until) return attempt;
      await this.sleep(this.pollInMs);
    }
  }

  /**
   * Reads a key's outcome without claiming it, waiting up to `waitInMs` while a live holder works on it.
   * `free`: nobody holds it (never claimed, released, expired, or the holder's lease lapsed).
   */
  async awaitSettled<T>(
    key: string,
    waitInMs: number,
  ): Promise<
    { readonly kind: 'settled'; readonly outcome: T } | { readonly kind: 'held' } | { readonly kind: 'free' }
  > {
    const until = this.options.clock.now() + waitInMs;
    for (;;) {
      const record = (await this.options.store.get<ClaimRecord<T>>(key))?.value;
      if (record?.state === 'settled') return { kind: 'settled', outcome: record.outcome };
      if (record?.state !== 'held' || record.leaseUntil <= this.options.clock.now()) return { kind: 'free' };
      if (this.options.clock.now() >= until) return { kind: 'held' };
      await this.sleep(this.pollInMs);
    }
  }

  private held(owner: string): ClaimRecord<never> {
    return { state: 'held', owner, leaseUntil: this.options.clock.now() + this.leaseInMs };
  }

  private settled<T>(outcome: T): ClaimRecord<T> {
    return { state: 'settled', outcome, at: this.options.clock.now() };
  }

  /** Renewed well inside the lease; unref'd so a claim never keeps a stopping process alive. */
  private renewEvery(key: string, renew: () => Promise<boolean>): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        renew().catch((error: unknown) => {
          // The next tick tries again; the lease only lapses if renewals keep failing for a whole lease.
          this.options.logger?.warn(
            { key, err: error instanceof Error ? { name: error.name, message: error.message } : undefined },
            'claim renewal failed',
          );
        });
      },
      Math.max(10, Math.floor(this.leaseInMs / 3)),
    );
    timer.unref();
    return timer;
  }

  private holding<T>(key: string, owner: string, firstEtag: string, ttlInMs: number): HeldClaim<T> {
    const { store, clock } = this.options;
    let etag: string | undefined = firstEtag;
    let lost = false;
    let finished = false;
    const startedAt = clock.now();
    // Renewal, settle and release each compare-and-set on the etag the previous one wrote: one at a time.
    const serial = oneAtATime();
    const stop = (): void => {
      finished = true;
      clearInterval(timer);
    };
    const write = async (record: ClaimRecord<T>, ttl: number): Promise<boolean> => {
      if (etag === undefined) return false;
      etag = await store.compareAndSet(key, record, etag, ttl);
      if (etag === undefined) lost = true;
      return etag !== undefined;
    };
    const renew = (): Promise<boolean> =>
      serial(async () => {
        if (finished) return false;
        if (clock.now() - startedAt > this.maxHoldInMs) {
          stop();
          return false;
        }
        const renewed = await write(this.held(owner), ttlInMs);
        if (!renewed) stop();
        return renewed;
      });
    const timer = this.renewEvery(key, renew);
    return {
      key,
      owner,
      get lost() {
        return lost;
      },
      renew,
      settle: (outcome, keepInMs = ttlInMs) =>
        serial(async () => {
          stop();
          return write(this.settled(outcome), keepInMs);
        }),
      release: () =>
        serial(async () => {
          stop();
          // Kept briefly as `released` (not deleted): only the owner's current etag may free the key.
          await write({ state: 'released' }, Math.min(ttlInMs, 60_000));
          etag = undefined;
        }),
    };
  }
}

/** Runs the steps given to it one after another, in the order given; a failed step does not stop the next. */
function oneAtATime(): <R>(step: () => Promise<R>) => Promise<R> {
  let queue: Promise<unknown> = Promise.resolve();
  return <R>(step: () => Promise<R>): Promise<R> => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };
}
