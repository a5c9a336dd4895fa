import type { KeyValueStore } from './ports';
import type { MeetingRequest, UserRef } from './types';

/** How long a Retry or a clarify answer can still complete its request. */
export const KEPT_TTL_IN_MS = 24 * 60 * 60 * 1000;

/**
 * A request a card can still complete, by its idempotency key (the card's `requestKey`):
 * `failed` behind an error card's Retry, `clarify` behind a clarify card's time buttons.
 */
export interface KeptRequest {
  readonly kind: 'failed' | 'clarify';
  readonly user: UserRef;
  readonly userName: string;
  readonly request: MeetingRequest;
  /** For `clarify`: the chosen start gets this duration. */
  readonly durationMinutes?: number;
  readonly commandText: string;
}

/** Requests kept behind error and clarify cards (design.md §3: "A Retry button on an error card reuses its request's key"). */
export class KeptRequests {
  constructor(private readonly store: Pick<KeyValueStore, 'get' | 'set' | 'delete'>) {}

  async keep(requestKey: string, kept: KeptRequest): Promise<void> {
    await this.store.set(keptKey(requestKey), kept, KEPT_TTL_IN_MS);
  }

  async get(requestKey: string): Promise<KeptRequest | undefined> {
    return (await this.store.get<KeptRequest>(keptKey(requestKey)))?.value;
  }

  async drop(requestKey: string): Promise<void> {
    await this.store.delete(keptKey(requestKey));
  }
}

function keptKey(requestKey: string): string {
  return `kept:${requestKey}`;
}
