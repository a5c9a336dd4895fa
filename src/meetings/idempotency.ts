import { hash } from 'node:crypto';
import type { UserRef } from './types';

/**
 * Idempotency keys (design.md §3): tenant + user + what identifies the user's intent, so a retried or
 * duplicated delivery maps to the same key and therefore the same meeting.
 */
export function messageKey(user: UserRef, activityId: string): string {
  return `${user.tenantId}:${user.aadObjectId}:msg:${activityId}`;
}

export function cardActionKey(user: UserRef, cardMessageId: string, verb: string, values: unknown): string {
  return `${user.tenantId}:${user.aadObjectId}:card:${cardMessageId}:${verb}:${stableHash(values)}`;
}

export function composeKey(user: UserRef, nonce: string): string {
  return `${user.tenantId}:${user.aadObjectId}:compose:${nonce}`;
}

/** Graph's externalId: short, opaque, derived from the key (the key itself may be long). */
export function externalIdFor(key: string): string {
  return sha256(key).slice(0, 40);
}

/** Short stable id used in storage keys and card data for a Graph meeting id. */
export function meetingKeyFor(meetingId: string): string {
  return sha256(meetingId).slice(0, 22);
}

export function stableHash(value: unknown): string {
  return sha256(stableStringify(value)).slice(0, 16);
}

/** One-shot hashing (Node ≥ 21.7): no Hash object per call, which a message paid three times over. */
function sha256(text: string): string {
  return hash('sha256', text, 'base64url');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
