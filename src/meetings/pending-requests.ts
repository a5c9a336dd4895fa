import type { ClaimsPort, Clock, HeldClaim, IdGenerator, KeyValueStore } from './ports';
import type { MeetingRequest, UserRef } from './types';

/** How long a request waits for its user to sign in (design.md §2). */
export const PENDING_TTL_IN_MS = 15 * 60 * 1000;
/** Kept a while past expiry so a late sign-in can tell the user their request expired. */
const RETENTION_IN_MS = 24 * 60 * 60 * 1000;

export interface PendingRequest {
  readonly id: string;
  readonly user: UserRef;
  readonly userName: string;
  readonly request: MeetingRequest;
  readonly idempotencyKey: string;
  /** What the user typed, shown back on error cards. */
  readonly commandText: string;
  /** Where to complete it (opaque here: a Bot Framework conversation reference). */
  readonly conversation: unknown;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** `completing` is no longer written (the claim says who is completing it); old records may still carry it. */
  readonly state: 'waiting' | 'completing' | 'completed';
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly pending: PendingRequest; readonly claim: HeldClaim<'completed'> }
  | { readonly outcome: 'expired'; readonly pending: PendingRequest }
  | { readonly outcome: 'gone' };

/** Requests that wait for a sign-in and are completed exactly once afterwards, by whichever path gets there first. */
export class PendingRequests {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly claims: Pick<ClaimsPort, 'claim'>,
  ) {}

  async add(input: Omit<PendingRequest, 'id' | 'createdAt' | 'expiresAt' | 'state'>): Promise<PendingRequest> {
    const now = this.clock.now();
    const pending: PendingRequest = {
      ...input,
      id: this.ids.newId(),
      createdAt: now,
      expiresAt: now + PENDING_TTL_IN_MS,
      state: 'waiting',
    };
    await this.store.set(pendingKey(pending.id), pending, RETENTION_IN_MS);
    for (let attempt = 0; attempt < 10; attempt++) {
      const index = await this.store.get<string[]>(userIndexKey(input.user));
      const ids = [pending.id, ...(index?.value ?? [])].slice(0, 10);
      if (await this.store.compareAndSet(userIndexKey(input.user), ids, index?.etag ?? null, RETENTION_IN_MS)) break;
    }
    return pending;
  }

  async get(id: string): Promise<PendingRequest | undefined> {
    return (await this.store.get<PendingRequest>(pendingKey(id)))?.value;
  }

  /** The user's requests still waiting (newest first). */
  async waitingFor(user: UserRef): Promise<PendingRequest[]> {
    const index = await this.store.get<string[]>(userIndexKey(user));
    const all = await Promise.all((index?.value ?? []).map((id) => this.get(id)));
    return all.filter((p): p is PendingRequest => p !== undefined && p.state === 'waiting');
  }

  /**
   * Only one caller (instance, path) gets 'claimed' (storage/claims.ts: owner + lease). If its instance dies before
   * completing, the request can be claimed again one lease later, so a sign-in never leaves it stuck.
   */
  async claim(id: string): Promise<ClaimResult> {
    const current = await this.get(id);
    if (!current || current.state === 'completed') return { outcome: 'gone' };
    const attempt = await this.claims.claim<'completed'>(claimKey(id), { ttlInMs: RETENTION_IN_MS });
    if (attempt.kind !== 'claimed') return { outcome: 'gone' };
    if (current.expiresAt <= this.clock.now()) {
      await this.complete(id, attempt.claim);
      return { outcome: 'expired', pending: current };
    }
    return { outcome: 'claimed', pending: current, claim: attempt.claim };
  }

  /** Marks the request completed (nobody completes it again) and settles the claim that completed it. */
  async complete(id: string, claim: HeldClaim<'completed'>): Promise<void> {
    const current = await this.store.get<PendingRequest>(pendingKey(id));
    if (current) await this.store.set(pendingKey(id), { ...current.value, state: 'completed' }, RETENTION_IN_MS);
    await claim.settle('completed');
  }
}

function claimKey(id: string): string {
  return `pending-claim:${id}`;
}

function pendingKey(id: string): string {
  return `pending:${id}`;
}

function userIndexKey(user: UserRef): string {
  return `pending-by-user:${user.tenantId}:${user.aadObjectId}`;
}
