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
  /** For `clarify`: what was asked, so a wrong answer (a past time in the picker) asks again instead of failing. */
  readonly question?: KeptQuestion;
}

/** A clarify card's question (issue #17: every question has real answers, and keeps offering them). */
export interface KeptQuestion {
  readonly reason: 'past' | 'ambiguous' | 'unreadable';
  /** Offered starts, ISO UTC. */
  readonly suggestions: readonly string[];
  /** For `unreadable`: the words that could not be read. */
  readonly unreadable?: readonly string[];
  /** For `past`: the start as understood. */
  readonly requestedStart?: string;
  /** The local date (yyyy-MM-dd) the text named. */
  readonly day?: string;
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
