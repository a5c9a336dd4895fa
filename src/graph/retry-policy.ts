/** Statuses Graph asks clients to retry (throttling and transient unavailability). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * What may be retried of a request that is not idempotent (a plain `POST …/onlineMeetings`): only 429, which
 * Graph answers instead of doing the work (https://learn.microsoft.com/en-us/graph/throttling). A 503/504 may come
 * from a gateway after the service acted, so repeating it can create a second meeting (issue #14, finding 2).
 */
export const RETRYABLE_STATUSES_NOT_IDEMPOTENT: ReadonlySet<number> = new Set([429]);

/** Answers to a non-idempotent request that say nothing about whether it was carried out. */
export const OUTCOME_UNKNOWN_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export interface RetryPolicyOptions {
  readonly maxRetries: number;
  readonly maxRetryDelayInMs: number;
  /** First backoff step when no Retry-After is given; doubles per attempt. */
  readonly baseDelayInMs: number;
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds from `nowMs`; undefined if absent/invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export type RetryDecision =
  | { readonly retry: true; readonly delayInMs: number }
  | { readonly retry: false; readonly reason: 'max_retries' | 'deadline' | 'retry_after_too_long' };

/**
 * Whether attempt `attempt` (0-based count of retries already made) may be retried, and after how long.
 * Never starts a wait that would end after `deadline` (absolute ms on the same clock as `nowMs`).
 */
export function decideRetry(
  attempt: number,
  retryAfterInMs: number | undefined,
  nowMs: number,
  deadline: number | undefined,
  options: RetryPolicyOptions,
): RetryDecision {
  if (attempt >= options.maxRetries) return { retry: false, reason: 'max_retries' };
  let delayInMs: number;
  if (retryAfterInMs !== undefined) {
    // Graph's Retry-After is a promise of refusal until then: retrying earlier only burns quota.
    if (retryAfterInMs > options.maxRetryDelayInMs) return { retry: false, reason: 'retry_after_too_long' };
    delayInMs = retryAfterInMs;
  } else {
    delayInMs = Math.min(options.baseDelayInMs * 2 ** attempt, options.maxRetryDelayInMs);
  }
  if (deadline !== undefined && nowMs + delayInMs > deadline) return { retry: false, reason: 'deadline' };
  return { retry: true, delayInMs };
}
