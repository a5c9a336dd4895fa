/**
 * Graph times carry 100 ns "ticks" (7 fractional digits, as in the seed: `2019-07-12T14:30:34.2444915-07:00`).
 * JavaScript dates stop at milliseconds, so times are kept as bigint ticks since the epoch to echo the precision
 * a caller sent instead of silently rounding it.
 */
export type Ticks = bigint;

const ISO_8601 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})$/;

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_HOUR = 3_600_000n * TICKS_PER_MS;

/** Parses ISO 8601 with an explicit offset (Z or ±hh:mm) and up to 7 fractional digits; undefined if malformed. */
export function parseGraphDateTime(value: string): Ticks | undefined {
  const match = ISO_8601.exec(value);
  if (!match) return undefined;
  const [, minutes, seconds = '00', fraction = '', offset] = match;
  const ms = Date.parse(`${minutes}:${seconds}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * TICKS_PER_MS + BigInt(fraction.padEnd(7, '0'));
}

export function ticksFromMs(ms: number): Ticks {
  return BigInt(Math.trunc(ms)) * TICKS_PER_MS;
}

/** UTC with a 7-digit fraction and `Z`, the way Graph answers (`2019-07-11T02:17:17.6491364Z`). */
export function formatGraphDateTime(ticks: Ticks): string {
  const seconds = ticks / 10_000_000n;
  const fraction = (ticks % 10_000_000n).toString().padStart(7, '0');
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction}Z`;
}
