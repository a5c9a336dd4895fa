/**
 * Wall-clock ↔ instant conversion in an IANA zone, done with luxon for the offset *of the referenced date*
 * (never the offset in force "now"), so a phrase on the far side of a DST change still lands on the wall-clock
 * time the user typed. Pure: no clock, no I/O.
 */
import { IANAZone } from 'luxon';

/**
 * Zone names come from clients (Teams' clientInfo), so they are checked before anything keeps them: IANA names are
 * at most ~32 characters ("America/Argentina/ComodRivadavia") made of letters, digits, `_ + -` and `/`. A name that
 * passes is put into the runtime's spelling (Intl ignores case, so "aMeRiCa/lOs_AnGeLeS" would otherwise be one more
 * key in every zone cache here and in luxon's, which never evicts). Answers are kept, bounded in count and size.
 */
const MAX_ZONE_NAME_LENGTH = 64;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const ZONE_CACHE_LIMIT = 2000;
const canonicalZones = new Map<string, string | null>();

/** The zone to use: the given IANA name (in the runtime's spelling) when it is one luxon knows, else UTC. */
export function resolveTimeZone(timeZone: string): string {
  return parseTimeZone(timeZone) ?? 'UTC';
}

/** A client-supplied zone (any JSON value) as the zone to use: a known IANA name, else UTC (the contract's fallback). */
export function clientTimeZone(value: unknown): string {
  return parseTimeZone(value) ?? 'UTC';
}

/** The runtime's spelling of a known IANA zone name, or undefined for anything else. */
export function parseTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_ZONE_NAME_LENGTH || !ZONE_NAME.test(value)) return undefined;
  let canonical = canonicalZones.get(value);
  if (canonical === undefined) {
    canonical = canonicalZoneName(value);
    if (canonicalZones.size >= ZONE_CACHE_LIMIT) canonicalZones.delete(canonicalZones.keys().next().value as string);
    canonicalZones.set(value, canonical);
  }
  return canonical ?? undefined;
}

function canonicalZoneName(zone: string): string | null {
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  return IANAZone.isValidZone(canonical) ? canonical : null;
}

export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface WallTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
}

/**
 * How a wall-clock time maps to instants:
 * - `exact`: one instant;
 * - `gap`: the time does not exist (spring forward); `epochMs` is the wall time read with the offset in force
 *   before the change, i.e. shifted forward by the gap (02:30 → 03:30);
 * - `overlap`: the time happens twice (fall back); `epochMs` is the earlier one, `laterEpochMs` the later.
 */
export type LocalResolution =
  | { readonly kind: 'exact'; readonly epochMs: number }
  | { readonly kind: 'gap'; readonly epochMs: number }
  | {
      readonly kind: 'overlap';
      readonly epochMs: number;
      readonly laterEpochMs: number;
    };

const HOUR_MS = 3_600_000;

export function resolveWallTime(zone: string, t: WallTime): LocalResolution {
  // The wall time read as if it were UTC; the real instant is this minus the zone's offset at that instant.
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  // Transitions are at most a few hours wide, so the offsets a day either side cover both candidates even at UTC±14.
  const before = offsetMinutesAt(zone, asUtc - 24 * HOUR_MS);
  const after = offsetMinutesAt(zone, asUtc + 24 * HOUR_MS);
  const valid = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((ms) => asUtc - offsetMinutesAt(zone, ms) * 60_000 === ms)
    .sort((a, b) => a - b);
  const [first, second] = valid;
  if (first === undefined) return { kind: 'gap', epochMs: asUtc - before * 60_000 };
  if (second === undefined) return { kind: 'exact', epochMs: first };
  return { kind: 'overlap', epochMs: first, laterEpochMs: second };
}

/** The calendar date at `epochMs` in `zone`. */
export function localDateAt(zone: string, epochMs: number): LocalDate {
  // What luxon's DateTime.fromMillis(epochMs, { zone }) computes (the instant shifted by the zone's offset at that
  // instant, read as UTC fields) without building a DateTime: that was a third of the parser's time outside chrono.
  const local = new Date(epochMs + offsetMinutesAt(zone, epochMs) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** The date `days` calendar days after `date` (calendar arithmetic, independent of DST). */
export function addDays(date: LocalDate, days: number): LocalDate {
  // UTC has no DST, so a UTC date's day arithmetic is the calendar's; a luxon DateTime was a tenth of a parse.
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Offsets already computed, by zone and UTC minute, bounded. Each luxon lookup is an Intl formatToParts call (a sixth
 * of a parse), one parse asks for the same few instants several times, and commands within a minute share `now`'s.
 * Keyed by minute, not instant: zone transitions happen on whole minutes (tzdata has had no sub-minute offset since
 * 1972), so every instant of a minute has the same offset.
 */
const OFFSET_CACHE_LIMIT = 512;
const offsets = new Map<string, number>();

/** The zone's UTC offset in minutes at `epochMs` (the form chrono-node's reference wants). */
export function offsetMinutesAt(zone: string, epochMs: number): number {
  const key = `${zone}|${Math.floor(epochMs / 60_000)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(epochMs);
    if (offsets.size >= OFFSET_CACHE_LIMIT) offsets.delete(offsets.keys().next().value as string);
    offsets.set(key, offset);
  }
  return offset;
}
