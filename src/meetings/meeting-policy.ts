/**
 * Convene's meeting-time rules in one place: how long a meeting may last, what its default length is, when a start
 * counts as past, and how a wall-clock date and time in the user's zone becomes an instant across daylight-saving
 * changes. Used by the chat parser, the compose form, the meeting card's inputs and the card-button handlers.
 */
import { ValidationError } from './errors';
import { resolveTimeZone, resolveWallTime, type LocalResolution, type WallTime } from './time-zone';

/** A meeting without a length given lasts this long. */
export const DEFAULT_MEETING_MINUTES = 30;
/** The longest meeting Convene makes (24 h): longer spans are a typo far more often than a plan. */
export const MAX_MEETING_MINUTES = 24 * 60;
/** The shortest length the forms offer (the compose form and the card's duration inputs). */
export const MIN_FORM_MEETING_MINUTES = 5;
/** A start this little in the past still counts as now: the message took a moment to arrive and be read. */
export const PAST_TOLERANCE_IN_MS = 60_000;

export const MINUTE_IN_MS = 60_000;

/** A chat command's length is allowed when it is more than 0 and at most MAX_MEETING_MINUTES. */
export function isAllowedDuration(minutes: number): boolean {
  return minutes > 0 && minutes <= MAX_MEETING_MINUTES;
}

export function isPastStart(startMs: number, now: number): boolean {
  return startMs < now - PAST_TOLERANCE_IN_MS;
}

/**
 * The instant a wall-clock time names in `zone`, the one way Convene reads a time the user picked (forms and card
 * inputs): a time skipped by a spring-forward change reads as the same wall time after it (02:30 → 03:30), a time that
 * happens twice (fall back) as the first. The chat parser asks instead (`resolution.kind` tells it why).
 */
export function instantOfWallTime(
  zone: string,
  wall: WallTime,
): { readonly epochMs: number; readonly resolution: LocalResolution } {
  const resolution = resolveWallTime(zone, wall);
  return { epochMs: resolution.epochMs, resolution };
}

/** `yyyy-MM-dd` and `HH:mm` as numbers, or undefined when either is malformed. */
export function wallTimeOf(date: string, time: string): WallTime | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(time);
  if (!d || !t) return undefined;
  const wall = { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]) };
  const probe = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
  const valid =
    probe.getUTCFullYear() === wall.year &&
    probe.getUTCMonth() === wall.month - 1 &&
    probe.getUTCDate() === wall.day &&
    probe.getUTCHours() === wall.hour &&
    probe.getUTCMinutes() === wall.minute;
  return valid ? wall : undefined;
}

export interface Interval {
  readonly startDateTime: string;
  readonly endDateTime: string;
}

/**
 * Reads a card form's local date (yyyy-MM-dd), time (HH:mm) and duration (minutes) in `timeZone` as a UTC interval.
 * Throws ValidationError ('validation' for an impossible date/time, 'time_in_past' for a start that has passed).
 */
export function intervalFrom(
  date: string,
  time: string,
  durationMinutes: number,
  timeZone: string,
  now: number,
): Interval {
  const wall = wallTimeOf(date, time);
  if (!wall) throw new ValidationError('That date or time is not valid.', { date: 'invalid' });
  const { epochMs } = instantOfWallTime(resolveTimeZone(timeZone), wall);
  if (isPastStart(epochMs, now))
    throw new ValidationError('That time has already passed.', { date: 'past' }, 'time_in_past');
  return {
    startDateTime: new Date(epochMs).toISOString(),
    endDateTime: new Date(epochMs + durationMinutes * MINUTE_IN_MS).toISOString(),
  };
}
