import { createHash } from 'node:crypto';
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
  return createHash('sha256').update(key).digest('base64url').slice(0, 40);
}

/** Short stable id used in storage keys and card data for a Graph meeting id. */
export function meetingKeyFor(meetingId: string): string {
  return createHash('sha256').update(meetingId).digest('base64url').slice(0, 22);
}

export function stableHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('base64url').slice(0, 16);
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
