import type { Clock, IdGenerator, KeyValueStore } from './ports';
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
  readonly state: 'waiting' | 'completing' | 'completed';
}

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly pending: PendingRequest }
  | { readonly outcome: 'expired'; readonly pending: PendingRequest }
  | { readonly outcome: 'gone' };

/** Requests that wait for a sign-in and are completed exactly once afterwards, by whichever path gets there first. */
export class PendingRequests {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async add(input: Omit<PendingRequest, 'id' | 'createdAt' | 'expiresAt' | 'state'>): Promise<PendingRequest> {
    const now = this.clock.now();
    const pending: PendingRequest = { ...input, id: this.ids.newId(), createdAt: now, expiresAt: now + PENDING_TTL_IN_MS, state: 'waiting' };
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

  /** Compare-and-set from waiting to completing: only one caller (instance, path) gets 'claimed'. */
  async claim(id: string): Promise<ClaimResult> {
    const current = await this.store.get<PendingRequest>(pendingKey(id));
    if (!current || current.value.state !== 'waiting') return { outcome: 'gone' };
    const expired = current.value.expiresAt <= this.clock.now();
    const next: PendingRequest = { ...current.value, state: expired ? 'completed' : 'completing' };
    if (!(await this.store.compareAndSet(pendingKey(id), next, current.etag, RETENTION_IN_MS))) return { outcome: 'gone' };
    return { outcome: expired ? 'expired' : 'claimed', pending: next };
  }

  async complete(id: string): Promise<void> {
    const current = await this.store.get<PendingRequest>(pendingKey(id));
    if (!current) return;
    await this.store.set(pendingKey(id), { ...current.value, state: 'completed' }, RETENTION_IN_MS);
  }
}

function pendingKey(id: string): string {
  return `pending:${id}`;
}

function userIndexKey(user: UserRef): string {
  return `pending-by-user:${user.tenantId}:${user.aadObjectId}`;
}
