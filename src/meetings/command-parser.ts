/**
 * Parses the chat command language (design §6): `help`, `signout`, and
 * `meet|new|create [subject] [when] [for <duration>] [passcode] [live]`, in English, Simplified Chinese and
 * Japanese. Pure: the clock and the user's zone come in through `context`, so the same text always gives the same
 * result under a fixed clock.
 *
 * Time rules (the ones that decide between creating and asking):
 * - Wall-clock times are read in the user's IANA zone with the offset of the *referenced date* (luxon), so
 *   `tomorrow 3pm` is 15:00 local whatever DST does in between. An invalid zone falls back to UTC.
 * - No time given → start now. A date with no clock time (`tomorrow`, `friday morning`) → `clarify/ambiguous`,
 *   suggesting 09:00 (morning 09:00, afternoon 14:00, evening/tonight 18:00) on that date; `today` alone → now.
 * - A clock hour 1–12 written without am/pm (or 上午/下午, 午前/午後), not in 24-hour form (hour ≥ 13, 0, or a
 *   leading zero like `07:00`) and not fixed by a range's end (`from 9 to 11am`) has two readings, h and h+12.
 *   A reading is *plausible* when it is not in the past and starts between 07:00 and 21:59 local. One plausible
 *   reading → use it (`at 3` → 15:00, `at 10:30` → 10:30, `at 7` at 09:00 → 19:00). Two → `clarify/ambiguous`
 *   suggesting the earlier (`at 7`, `at 8`, `at 9` early in the day). None but some future → `ambiguous` with the
 *   earliest future one. None in the future → `past`, as below.
 * - A start more than 1 minute before now → `clarify/past`; when only a time of day was given, the suggestion is
 *   the same wall-clock time on the next day. With an explicit date or weekday there is no suggestion.
 * - A wall time that does not exist (spring-forward gap) → `ambiguous`, suggesting it shifted forward by the gap
 *   (02:30 → 03:30); one that happens twice (fall-back overlap) → `ambiguous`, suggesting the earlier instant.
 * - An explicit end (`3pm-4pm`, `from 3 to 4pm`, `until 5pm`, `到4点`, `16時まで`) is the first reading after the
 *   start, on the start's date or, if it has no date, the next day when that keeps the meeting ≤ 12 h
 *   (`10pm-1am`); otherwise `invalid/end`. An end and a differing `for` duration → `invalid/conflict`.
 * - Durations must be > 0 and ≤ 24 h (`invalid/duration`).
 *
 * Text rules: mentions (`<at>Name</at>`, optionally followed by a presenter marker) and the used time and duration
 * phrases are removed wherever they are; the option words (passcode, live) are recognised only at the end of what
 * is left, so a subject such as `Live demo` stays intact. What remains, trimmed, is the subject.
 */
import type * as chrono from 'chrono-node';
// The three locales by their own entry points: chrono-node's index loads all 16 of its languages (~0.4 s of start-up).
import * as chronoEn from 'chrono-node/en';
import * as chronoJa from 'chrono-node/ja';
import * as chronoZhHans from 'chrono-node/zh/hans';
import { DateTime } from 'luxon';
import { findDuration } from './command-duration';
import { findUnreadableTimes } from './unreadable-times';
import {
  CREATE_WORDS_CJK,
  CREATE_WORDS_LATIN,
  greetingTopic,
  HELP_WORDS,
  LIVE_PATTERN,
  PASSCODE_PATTERN,
  PRESENTER_MARKER,
  SIGNOUT_WORDS,
  type GreetingTopic,
} from './command-words';
import {
  DEFAULT_MEETING_MINUTES,
  isAllowedDuration,
  isPastStart,
  MAX_MEETING_MINUTES,
  MINUTE_IN_MS,
} from './meeting-policy';
import {
  addDays,
  localDateAt,
  offsetMinutesAt,
  resolveTimeZone,
  resolveWallTime,
  type LocalDate,
  type LocalResolution,
} from './time-zone';
import { extractWholeChatWords } from './meeting-options-words';
import type { MeetingOptions } from './types';

export interface ParseCommandContext {
  /** The current instant, epoch ms. */
  readonly now: number;
  /** IANA zone of the user (Teams `clientInfo.timezone`); invalid or empty means UTC. */
  readonly timeZone: string;
  /** BCP 47 locale (`en-US`, `zh-CN`, `ja-JP`); only a tie-breaker between languages. */
  readonly locale: string;
}

export interface CommandMention {
  readonly name: string;
  readonly role: 'attendee' | 'presenter';
}

export interface CreateCommand {
  readonly kind: 'create';
  /** '' when none was given; the caller fills a localized default. */
  readonly subject: string;
  /** ISO 8601 UTC. */
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly durationMinutes: number;
  readonly startWasGiven: boolean;
  readonly passcode: boolean;
  readonly live: boolean;
  readonly mentions: readonly CommandMention[];
  /** `with everyone`: invite the chat's members (meeting-options-words.ts). */
  readonly everyone?: boolean;
  readonly options?: MeetingOptions;
}

export interface ClarifyCommand {
  readonly kind: 'clarify';
  /**
   * `past`: the time asked for has passed; `ambiguous`: the words have several readings; `unreadable`: words that
   * look like a time could not be read (`25:00`, `December 32`), named in `unreadable`.
   */
  readonly reason: 'past' | 'ambiguous' | 'unreadable';
  readonly subject: string;
  /** For `past`: the start as understood (in the past). Absent when the text has several readings. */
  readonly startDateTime?: string;
  readonly endDateTime?: string;
  readonly durationMinutes: number;
  readonly startWasGiven: boolean;
  readonly passcode: boolean;
  readonly live: boolean;
  readonly mentions: readonly CommandMention[];
  /** Starts Convene offers (ISO UTC, earliest first, all in the future), one answer each; may be empty. */
  readonly suggestions: readonly string[];
  /** For `unreadable`: the words as written. */
  readonly unreadable?: readonly string[];
  /** The local date (yyyy-MM-dd) the text named, if any: where the date picker opens. */
  readonly day?: string;
  readonly everyone?: boolean;
  readonly options?: MeetingOptions;
}

export interface InvalidCommand {
  readonly kind: 'invalid';
  /**
   * `duration`: ≤ 0 or > 24 h; `end`: the end is not after the start; `conflict`: an end and a different duration;
   * `subject`: longer than `limit` characters.
   */
  readonly reason: 'duration' | 'end' | 'conflict' | 'subject';
  /** English, for logs; the caller localizes by `reason`. */
  readonly message: string;
  /** For `subject`: the limit and the length written. */
  readonly limit?: number;
  readonly length?: number;
}

export type ParsedCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'signout' }
  | { readonly kind: 'greeting'; readonly topic: GreetingTopic }
  | CreateCommand
  | ClarifyCommand
  | InvalidCommand
  /** `word`: the first word, which is no command word (absent for empty text). */
  | { readonly kind: 'unknown'; readonly word?: string };

/** Longer text is not a command; capping it keeps chrono-node (≈0.2 ms/char) from stalling the turn. */
const MAX_COMMAND_LENGTH = 1000;
/** Subjects longer than this are refused with the limit named (the compose form and Rename use the same). */
export const MAX_SUBJECT_LENGTH = 255;
/** Local hours a meeting plausibly starts in, used only to choose between h and h+12. */
const PLAUSIBLE_FIRST_HOUR = 7;
const PLAUSIBLE_LAST_HOUR = 21;

/** Parse one chat message (the bot's own @mention already removed). Never throws on user text. */
export function parseCommand(text: string, context: ParseCommandContext): ParsedCommand {
  const normalized = text
    .replace(/&nbsp;/gi, ' ')
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim();
  if (normalized.length > MAX_COMMAND_LENGTH) return tooLong(normalized);
  const bare = normalized
    .replace(/[.!。!~～]+$/u, '')
    .trim()
    .toLowerCase();
  if (HELP_WORDS.includes(bare)) return { kind: 'help' };
  if (SIGNOUT_WORDS.includes(bare)) return { kind: 'signout' };
  const topic = greetingTopic(bare);
  if (topic !== undefined) return { kind: 'greeting', topic };
  const rest = stripCreateWord(normalized);
  if (rest === undefined) return unknownWord(normalized);
  const parsed = parseCreate(rest, context);
  if ((parsed.kind === 'create' || parsed.kind === 'clarify') && parsed.subject.length > MAX_SUBJECT_LENGTH) {
    return subjectTooLong(parsed.subject.length);
  }
  return parsed;
}

/** A create command too long to parse is refused for its subject's length (nearly all of it); anything else is unknown. */
function tooLong(text: string): ParsedCommand {
  const rest = stripCreateWord(text.slice(0, 40));
  return rest === undefined ? unknownWord(text) : subjectTooLong(text.length);
}

function subjectTooLong(length: number): InvalidCommand {
  return {
    kind: 'invalid',
    reason: 'subject',
    message: `A subject can be at most ${MAX_SUBJECT_LENGTH} characters.`,
    limit: MAX_SUBJECT_LENGTH,
    length,
  };
}

function unknownWord(text: string): ParsedCommand {
  const word = /^\S{1,40}/u.exec(text.replace(/<[^>]*>/g, ' ').trim())?.[0];
  return word === undefined ? { kind: 'unknown' } : { kind: 'unknown', word };
}

function stripCreateWord(text: string): string | undefined {
  const lower = text.toLowerCase();
  for (const word of CREATE_WORDS_LATIN) {
    if (lower.startsWith(word) && (lower.length === word.length || /[\s,:;]/.test(lower.charAt(word.length)))) {
      return text.slice(word.length).replace(/^[\s,:;]+/, '');
    }
  }
  for (const word of CREATE_WORDS_CJK) {
    // CJK needs no space after the word: `开会明天下午3点` is a normal way to write it.
    if (text.startsWith(word)) return text.slice(word.length).replace(/^[\s,:;、，]+/u, '');
  }
  return undefined;
}

interface Splice {
  readonly index: number;
  readonly length: number;
}

function removeSplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.index - a.index)) {
    out = `${out.slice(0, s.index)} ${out.slice(s.index + s.length)}`;
  }
  return out;
}

function extractMentions(text: string): {
  text: string;
  mentions: CommandMention[];
} {
  const mentions: CommandMention[] = [];
  const splices: Splice[] = [];
  const re = /<at>(.*?)<\/at>/giu;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const after = text.slice(m.index + m[0].length);
    const marker = PRESENTER_MARKER.exec(after);
    mentions.push({
      name: (m[1] ?? '').trim(),
      role: marker === null ? 'attendee' : 'presenter',
    });
    splices.push({
      index: m.index,
      length: m[0].length + (marker?.[0].length ?? 0),
    });
  }
  return { text: removeSplices(text, splices), mentions };
}

type Chrono = Pick<typeof chronoEn, 'parse'>;
type ChronoResult = chrono.ParsedResult;
type Components = chrono.ParsedComponents;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** The parser whose results cover the most text; the user's language breaks ties. */
function parseTimes(text: string, context: ParseCommandContext, shiftMs: number): ChronoResult[] {
  const reference = { instant: new Date(context.now + shiftMs) };
  const lang = context.locale.toLowerCase();
  // The zh and ja parsers read nothing in text without Han or kana that the en parser doesn't read as well, and each
  // chrono pass is most of a command's parsing time: Latin-only text gets the en pass alone.
  const parsers: Chrono[] = !CJK.test(text)
    ? [chronoEn]
    : lang.startsWith('zh')
      ? [chronoZhHans, chronoJa, chronoEn]
      : lang.startsWith('ja')
        ? [chronoJa, chronoZhHans, chronoEn]
        : [chronoEn, chronoZhHans, chronoJa];
  let best: ChronoResult[] = [];
  let bestScore = 0;
  for (const parser of parsers) {
    // `1:1` (a one-on-one) is not the time 1:01: a clock time has two-digit minutes.
    const results = parser
      .parse(text, reference, { forwardDate: true })
      .filter((r) => !/\d:\d(?!\d)/.test(r.text) && !MONTH_AND_BAD_DAY.test(r.text));
    const score = results.reduce((sum, r) => sum + r.text.length, 0);
    if (score > bestScore) {
      best = results;
      bestScore = score;
    }
  }
  return best;
}

/** chrono reads `December 32` as December 2032; a two-digit number after a month is its day, and 32+ is no day. */
const MONTH_AND_BAD_DAY =
  /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:3[2-9]|[4-9]\d)(?:st|nd|rd|th)?$/iu;

/**
 * chrono-node's ja locale does not know 明後日/あさって (and their kin): they are written as the date they name, counted
 * from the user's local date, so `明後日10時` reads as `3月8日10時`.
 */
const JA_RELATIVE_DAYS: ReadonlyArray<readonly [RegExp, number]> = [
  [/明々後日|明明後日|しあさって/gu, 3],
  [/明後日|あさって/gu, 2],
  [/一昨日|おととい/gu, -2],
];

const ANY_JA_RELATIVE_DAY = new RegExp(JA_RELATIVE_DAYS.map(([pattern]) => pattern.source).join('|'), 'u');

function writeRelativeDaysAsDates(text: string, today: LocalDate): string {
  // Most commands have none of these words: one test instead of three date computations.
  if (!ANY_JA_RELATIVE_DAY.test(text)) return text;
  let out = text;
  for (const [pattern, days] of JA_RELATIVE_DAYS) {
    const d = addDays(today, days);
    out = out.replace(pattern, `${d.month}月${d.day}日`);
  }
  return out;
}

/**
 * The instant whose *process-local* fields are the user's wall clock now. chrono-node's zh and ja parsers compute
 * `明天`/`今天`/`明日` from the reference's process-local date and ignore the `timezone` option that the en parser
 * honours, so a user in Los Angeles at 20:00 (already the next day in UTC) got their `明天` a day late. Giving every
 * parser this reference and no zone makes all three count from the user's local date; the components chrono returns
 * are then wall-clock fields in the user's zone, and an exact instant (`in 2 hours`) is moved back by the same shift.
 */
function wallClockReference(zone: string, now: number): number {
  const wallAsUtc = now + offsetMinutesAt(zone, now) * MINUTE_IN_MS;
  let shifted = wallAsUtc;
  // Twice: the process zone's offset at the shifted instant may differ from the first guess near its own DST change.
  for (let i = 0; i < 2; i += 1) shifted = wallAsUtc + new Date(shifted).getTimezoneOffset() * MINUTE_IN_MS;
  return shifted;
}

const END_BEFORE = /(?:\b(?:until|till|til|through|ending(?:\s+at)?|ends?(?:\s+at)?)|到|至)\s*$/iu;
const NEXT_WEEK_BEFORE = /来週の?\s*$/u;
const START_BEFORE = /(?:\b(?:on|at|from|starting(?:\s+at)?|by|this)|从|在|于)\s*$/iu;

interface WallReading {
  readonly date?: LocalDate;
  readonly hour?: number;
  readonly minute: number;
  readonly meridiemKnown: boolean;
  /** A relative phrase (`in 2 hours`, `now`): an exact instant, no wall-clock reading needed. */
  readonly instantMs?: number;
  readonly partOfDayHour?: number;
}

const PART_OF_DAY_HOURS: ReadonlyArray<readonly [string, number]> = [
  ['casualReference/morning', 9],
  ['casualReference/afternoon', 14],
  ['casualReference/evening', 18],
  ['casualReference/tonight', 18],
  ['casualReference/night', 18],
];

/** Words that move a weekday to another week (`next friday`, `下周五`, `来週金曜日`); then chrono decides. */
const WEEK_MODIFIER = /\b(?:next|last|this|coming)\b|[下上](?:周|週|星期|个|個|礼拜|禮拜)|[这這本]周|[来先今]週/iu;

function readComponents(
  c: Components,
  text: string,
  meridiemFromEnd: boolean,
  today: LocalDate,
  shiftMs: number,
  nextWeek = false,
): WallReading {
  const tags = c.tags();
  if (tags.has('result/relativeDateAndTime') || tags.has('casualReference/now')) {
    return { minute: 0, meridiemKnown: true, instantMs: c.date().getTime() - shiftMs };
  }
  const dateKnown = c.isCertain('day') || c.isCertain('weekday') || c.isCertain('month');
  let date: LocalDate | undefined = dateKnown
    ? { year: c.get('year') ?? 0, month: c.get('month') ?? 0, day: c.get('day') ?? 0 }
    : undefined;
  const weekday = c.get('weekday');
  if (!c.isCertain('day') && c.isCertain('weekday') && weekday !== null && nextWeek) {
    // chrono-node's ja locale does not read 来週 ("next week"): the given weekday in the Monday-based week after
    // this one, as `next friday` and 下周五 are read.
    const todayIso = DateTime.fromObject(today, { zone: 'UTC' }).weekday;
    date = addDays(today, 7 - (todayIso - 1) + ((weekday + 6) % 7));
  } else if (!c.isCertain('day') && c.isCertain('weekday') && weekday !== null && !WEEK_MODIFIER.test(text)) {
    // A bare weekday is the next such day *including today*. chrono's locales disagree (en: today, zh/ja: in a
    // week), so decide it here; a time already past on that day then becomes `clarify/past`, not next week.
    const todayWeekday = DateTime.fromObject(today, { zone: 'UTC' }).weekday % 7;
    date = addDays(today, (weekday - todayWeekday + 7) % 7);
  }
  const partOfDayHour = PART_OF_DAY_HOURS.find(([tag]) => tags.has(tag))?.[1];
  if (!c.isCertain('hour')) return { date, minute: 0, meridiemKnown: false, partOfDayHour };
  const hour = c.get('hour') ?? 0;
  // A leading zero (`07:00`, `09時`) is the 24-hour clock: nobody writes 07 meaning 19.
  const leadingZero = /(?:^|[^\d])0\d(?=\s*[:時时点點h])/iu.test(text);
  const meridiemKnown = c.isCertain('meridiem') || meridiemFromEnd || hour === 0 || hour > 12 || leadingZero;
  return { date, hour, minute: c.get('minute') ?? 0, meridiemKnown };
}

function hoursFor(hour: number, meridiemKnown: boolean): number[] {
  return meridiemKnown ? [hour] : [hour % 12, (hour % 12) + 12];
}

const iso = (ms: number): string => new Date(ms).toISOString();

interface StartDecision {
  readonly kind: 'ok' | 'past' | 'ambiguous';
  /** The start as understood (ok, past). */
  readonly startMs?: number;
  /** Starts to offer, future only, earliest first. */
  readonly suggestions: readonly number[];
}

function decideStart(reading: WallReading, zone: string, now: number): StartDecision {
  if (reading.instantMs !== undefined) return { kind: 'ok', startMs: reading.instantMs, suggestions: [] };
  const today = localDateAt(zone, now);
  if (reading.hour === undefined) {
    const date = reading.date ?? today;
    if (sameDate(date, today) && reading.partOfDayHour === undefined)
      return { kind: 'ok', startMs: now, suggestions: [] };
    const hour = reading.partOfDayHour ?? 9;
    // A day already gone (`yesterday`): the same hour's next occurrences, as for a past time.
    if (isoDate(date) < isoDate(today)) return { kind: 'past', suggestions: nextOccurrences(zone, now, date, hour, 0) };
    const suggested = resolveWallTime(zone, { ...date, hour, minute: 0 }).epochMs;
    return { kind: 'ambiguous', suggestions: future([suggested], now) };
  }
  const timeOnly = reading.date === undefined;
  const date = reading.date ?? today;
  const minute = reading.minute;
  const readings = hoursFor(reading.hour, reading.meridiemKnown).map((hour) => ({
    hour,
    resolution: resolveWallTime(zone, { ...date, hour, minute }),
  }));
  const notPast = (r: LocalResolution): boolean => !isPastStart(r.epochMs, now);
  const inHours = (hour: number): boolean => hour >= PLAUSIBLE_FIRST_HOUR && hour <= PLAUSIBLE_LAST_HOUR;

  let chosen = readings.length === 1 ? readings[0] : undefined;
  if (chosen === undefined) {
    const upcoming = readings.filter((r) => notPast(r.resolution));
    const plausible = upcoming.filter((r) => inHours(r.hour));
    if (plausible.length === 1) chosen = plausible[0];
    else if (upcoming.length > 0) {
      // Every reading still ahead is an answer (`next monday 9:30` offers 9:30 AM and 9:30 PM).
      return {
        kind: 'ambiguous',
        suggestions: future(
          upcoming.flatMap((r) => instantsOf(r.resolution)),
          now,
        ),
      };
    } else {
      const preferred = readings.find((r) => inHours(r.hour)) ?? readings[0];
      const hour = preferred?.hour ?? reading.hour;
      return { kind: 'past', suggestions: nextOccurrences(zone, now, timeOnly ? undefined : date, hour, minute) };
    }
  }
  if (chosen === undefined) return { kind: 'ambiguous', suggestions: [] };
  const { resolution, hour } = chosen;
  if (!notPast(resolution)) {
    return {
      kind: 'past',
      startMs: resolution.epochMs,
      suggestions: nextOccurrences(zone, now, timeOnly ? undefined : date, hour, minute),
    };
  }
  if (resolution.kind !== 'exact') return { kind: 'ambiguous', suggestions: future(instantsOf(resolution), now) };
  return { kind: 'ok', startMs: resolution.epochMs, suggestions: [] };
}

/** A skipped wall time (DST gap) has the shifted instant; a repeated one both of its instants. */
function instantsOf(resolution: LocalResolution): number[] {
  return resolution.kind === 'overlap' ? [resolution.epochMs, resolution.laterEpochMs] : [resolution.epochMs];
}

/** Unique instants not yet past (the same minute's tolerance as a start), earliest first. */
function future(instants: readonly number[], now: number): number[] {
  return [...new Set(instants.filter((ms) => !isPastStart(ms, now)))].sort((a, b) => a - b);
}

/**
 * The next times a past wall time comes round: tomorrow for a bare time of day (today's has passed); for a named day,
 * today, tomorrow and the same weekday a week on (`yesterday 3pm` on a Friday → today, Saturday, next Thursday 3pm).
 */
function nextOccurrences(
  zone: string,
  now: number,
  day: LocalDate | undefined,
  hour: number,
  minute: number,
): number[] {
  const today = localDateAt(zone, now);
  const dates = day === undefined ? [addDays(today, 1)] : [today, addDays(today, 1), addDays(day, 7)];
  return future(
    dates.map((d) => resolveWallTime(zone, { ...d, hour, minute }).epochMs),
    now,
  );
}

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/** Minutes from `startMs` to the explicit end, or undefined when no reading of the end is after the start. */
function minutesToEnd(end: WallReading, startMs: number, zone: string): number | undefined {
  if (end.instantMs !== undefined)
    return end.instantMs > startMs ? Math.round((end.instantMs - startMs) / MINUTE_IN_MS) : undefined;
  if (end.hour === undefined) return undefined;
  const startDate = localDateAt(zone, startMs);
  const hours = hoursFor(end.hour, end.meridiemKnown);
  const on = (date: LocalDate): number[] =>
    hours
      .map((hour) => resolveWallTime(zone, { ...date, hour, minute: end.minute }).epochMs)
      .filter((ms) => ms > startMs);
  let candidates = on(end.date ?? startDate);
  if (candidates.length === 0 && end.date === undefined) {
    // Past midnight (`10pm-1am`), but not a typo'd backwards range (`4pm-3pm` would be 23 h).
    candidates = on(addDays(startDate, 1)).filter((ms) => ms - startMs <= 12 * 60 * MINUTE_IN_MS);
  }
  if (candidates.length === 0) return undefined;
  return Math.round((Math.min(...candidates) - startMs) / MINUTE_IN_MS);
}

const DURATION_LIMITS: InvalidCommand = {
  kind: 'invalid',
  reason: 'duration',
  message: 'A meeting lasts more than 0 minutes and at most 24 hours.',
};

type CommonFields = Pick<ClarifyCommand, 'subject' | 'passcode' | 'live' | 'mentions'>;

function parseCreate(input: string, context: ParseCommandContext): ParsedCommand {
  const zone = resolveTimeZone(context.timeZone);
  const { now } = context;
  const today = localDateAt(zone, now);
  const { text: withoutMentions, mentions } = extractMentions(input);
  const whole = extractWholeChatWords(withoutMentions);

  const duration = readDuration(writeRelativeDaysAsDates(whole.text, today));
  if ('kind' in duration) return duration;
  const { durationMinutes } = duration;
  const shiftMs = wallClockReference(zone, now) - now;
  const phrases = pickTimePhrases(duration.text, context, shiftMs);
  const { text, unreadable } = removeTimePhrases(duration.text, phrases);

  const { subject, passcode, live } = cleanSubject(text);
  const common = {
    subject,
    passcode,
    live,
    mentions,
    ...(whole.everyone ? { everyone: true } : {}),
    ...(whole.options ? { options: whole.options } : {}),
  };

  const { startReading, endReading } = readStartAndEnd(phrases, today, shiftMs);
  const startWasGiven = startReading !== undefined;
  if (unreadable.length > 0) return askWhen(common, unreadable, durationMinutes, startReading?.date);
  const decision: StartDecision =
    startReading === undefined ? { kind: 'ok', startMs: now, suggestions: [] } : decideStart(startReading, zone, now);

  // The explicit end is measured from whichever start we settle on or propose.
  const basisMs = decision.startMs ?? decision.suggestions[0];
  const minutes = settleMinutes(endReading, basisMs, zone, durationMinutes);
  if (typeof minutes !== 'number') return minutes;
  return decided(decision, common, minutes, startWasGiven);
}

/** The duration phrase (`for 45 min`, `1時間`) taken out of the text, or why it can't be a meeting's length. */
function readDuration(input: string): { text: string; durationMinutes: number | undefined } | InvalidCommand {
  const duration = findDuration(input);
  if (duration === undefined) return { text: input, durationMinutes: undefined };
  const durationMinutes = Math.round(duration.minutes);
  if (!isAllowedDuration(durationMinutes)) return DURATION_LIMITS;
  return { text: removeSplices(input, [duration]), durationMinutes };
}

interface TimePhrases {
  readonly results: readonly ChronoResult[];
  readonly startResult: ChronoResult | undefined;
  readonly endResult: ChronoResult | undefined;
  /** A time of day written apart from the start's day (`tomorrow standup at 10am`). */
  readonly timePart: ChronoResult | undefined;
  readonly nextWeek: boolean;
}

/**
 * Picks the start (the first time phrase not introduced by `until`) and the end (its range end, or a later phrase
 * introduced by `until`/`到`, or followed by `まで`).
 */
function pickTimePhrases(text: string, context: ParseCommandContext, shiftMs: number): TimePhrases {
  const first = parseTimes(text, context, shiftMs);
  const masked = maskSubjectNumber(text, first);
  const results = masked === undefined ? first : parseTimes(masked, context, shiftMs);
  const isEndPhrase = (r: ChronoResult): boolean =>
    !r.end && (END_BEFORE.test(text.slice(0, r.index)) || /^\s*まで/u.test(text.slice(r.index + r.text.length)));
  const startResult = results.find((r) => !isEndPhrase(r));
  const endResult = !startResult?.end ? results.find((r) => r !== startResult && isEndPhrase(r)) : undefined;
  // `tomorrow standup at 10am`: a day and a time of day apart are one start.
  const timePart =
    startResult && !startResult.end
      ? results.find(
          (r) => r !== startResult && r !== endResult && !isEndPhrase(r) && !r.end && complements(startResult, r),
        )
      : undefined;
  const nextWeek = startResult !== undefined && NEXT_WEEK_BEFORE.test(text.slice(0, startResult.index));
  return { results, startResult, endResult, timePart, nextWeek };
}

/**
 * `run 10 tomorrow 11am`: chrono reads the subject's bare number and the day after it as one start (10:00 tomorrow)
 * and leaves the real time over, which would be named as unreadable. When another phrase gives a time of day, such a
 * number belongs to the subject: it is blanked (same length, so indices still fit the text) and the text read again.
 */
function maskSubjectNumber(text: string, results: readonly ChronoResult[]): string | undefined {
  const [head, ...rest] = results;
  const bare = head === undefined ? null : /^(\d{1,2})\s+(?=\D)/u.exec(head.text);
  if (!head || !bare || head.start.isCertain('meridiem')) return undefined;
  if (!rest.some((r) => r.start.isCertain('hour'))) return undefined;
  const numberLength = bare[1]!.length;
  return text.slice(0, head.index) + ' '.repeat(numberLength) + text.slice(head.index + numberLength);
}

/** The text without the phrases read as times; time-looking words that could not be read are named, not kept. */
function removeTimePhrases(input: string, phrases: TimePhrases): { text: string; unreadable: string[] } {
  const { startResult, timePart, endResult, nextWeek } = phrases;
  const splices: Splice[] = [];
  for (const r of [startResult, timePart, endResult]) {
    if (r === undefined) continue;
    const before = input.slice(0, r.index);
    const leadPattern = r === endResult ? END_BEFORE : nextWeek ? NEXT_WEEK_BEFORE : START_BEFORE;
    const lead = leadPattern.exec(before)?.[0].length ?? 0;
    const trail = /^\s*(?:まで|から|に)/u.exec(input.slice(r.index + r.text.length))?.[0].length ?? 0;
    splices.push({ index: r.index - lead, length: lead + r.text.length + trail });
  }
  const unused = unusedTimes(
    input,
    phrases.results.filter((r) => r !== startResult && r !== timePart && r !== endResult),
  );
  const withoutTimes = removeSplices(input, [...splices, ...unused.splices]);
  const unreadableTimes = findUnreadableTimes(withoutTimes);
  return {
    text: removeSplices(withoutTimes, unreadableTimes),
    unreadable: [...unused.words, ...unreadableTimes.map((u) => u.text)],
  };
}

function readStartAndEnd(
  phrases: TimePhrases,
  today: LocalDate,
  shiftMs: number,
): { startReading: WallReading | undefined; endReading: WallReading | undefined } {
  const { startResult, endResult, timePart, nextWeek } = phrases;
  const endComponents = startResult?.end ?? endResult?.start;
  const endRead =
    endComponents === undefined
      ? undefined
      : readComponents(endComponents, endResult?.text ?? startResult?.text ?? '', false, today, shiftMs);
  // A range's end is on the start's day or just past midnight (`10pm-1am`); chrono moves a backwards range's end
  // (`tomorrow 3pm-2pm`) to the next day, which made a 23-hour meeting out of a typo.
  const endReading = endRead !== undefined && startResult?.end ? { ...endRead, date: undefined } : endRead;
  const readStart = (r: ChronoResult): WallReading =>
    readComponents(r.start, r.text, r.end?.isCertain('meridiem') ?? false, today, shiftMs, nextWeek);
  const startReading =
    startResult === undefined
      ? undefined
      : timePart === undefined
        ? readStart(startResult)
        : oneStart(readStart(startResult), readStart(timePart));
  return { startReading, endReading };
}

/** The meeting's length: from the end time when one was given (it must agree with a duration given too). */
function settleMinutes(
  endReading: WallReading | undefined,
  basisMs: number | undefined,
  zone: string,
  durationMinutes: number | undefined,
): number | InvalidCommand {
  const minutes = durationMinutes ?? DEFAULT_MEETING_MINUTES;
  if (endReading === undefined || basisMs === undefined) return minutes;
  const toEnd = minutesToEnd(endReading, basisMs, zone);
  if (toEnd === undefined) return { kind: 'invalid', reason: 'end', message: 'The meeting must end after it starts.' };
  if (toEnd > MAX_MEETING_MINUTES) return DURATION_LIMITS;
  if (durationMinutes !== undefined && durationMinutes !== toEnd) {
    return { kind: 'invalid', reason: 'conflict', message: 'Give an end time or a duration, not two different ones.' };
  }
  return toEnd;
}

/** A meeting when the start is settled; otherwise the question, with the start Convene would propose. */
function decided(
  decision: StartDecision,
  common: CommonFields,
  minutes: number,
  startWasGiven: boolean,
): ParsedCommand {
  if (decision.kind === 'ok' && decision.startMs !== undefined) {
    return {
      kind: 'create',
      ...common,
      startDateTime: iso(decision.startMs),
      endDateTime: iso(decision.startMs + minutes * MINUTE_IN_MS),
      durationMinutes: minutes,
      startWasGiven,
    };
  }
  return {
    kind: 'clarify',
    reason: decision.kind === 'past' ? 'past' : 'ambiguous',
    ...common,
    durationMinutes: minutes,
    startWasGiven,
    ...(decision.startMs === undefined
      ? {}
      : { startDateTime: iso(decision.startMs), endDateTime: iso(decision.startMs + minutes * MINUTE_IN_MS) }),
    suggestions: decision.suggestions.map(iso),
  };
}

const hasDay = (c: Components): boolean => c.isCertain('day') || c.isCertain('weekday') || c.isCertain('month');
const isRelative = (c: Components): boolean =>
  c.tags().has('result/relativeDateAndTime') || c.tags().has('casualReference/now');

/** One phrase names only a day and the other only a time of day (in either order). */
function complements(a: ChronoResult, b: ChronoResult): boolean {
  if (isRelative(a.start) || isRelative(b.start)) return false;
  const dayOnly = (c: Components): boolean => hasDay(c) && !c.isCertain('hour');
  const timeOnly = (c: Components): boolean => c.isCertain('hour') && !hasDay(c);
  return (dayOnly(a.start) && timeOnly(b.start)) || (timeOnly(a.start) && dayOnly(b.start));
}

/** The day of one reading with the time of day of the other. */
function oneStart(a: WallReading, b: WallReading): WallReading {
  const [day, time] = a.hour === undefined ? [a, b] : [b, a];
  return { ...time, date: day.date };
}

/**
 * Time phrases chrono read but no rule used (`monday or tuesday 3pm`): words of a time, not of the subject. They are
 * removed from it (with a leading `at`/`on`) and named in the question.
 */
function unusedTimes(text: string, unused: readonly ChronoResult[]): { splices: Splice[]; words: string[] } {
  const splices = unused.map((r) => {
    const lead = START_BEFORE.exec(text.slice(0, r.index))?.[0].length ?? 0;
    return { index: r.index - lead, length: lead + r.text.length };
  });
  return { splices, words: unused.map((r) => r.text.trim()) };
}

/** An impossible time is not ambiguous: nothing is proposed, the question names the words and asks when. */
function askWhen(
  common: CommonFields,
  unreadable: readonly string[],
  durationMinutes: number | undefined,
  day: LocalDate | undefined,
): ClarifyCommand {
  return {
    kind: 'clarify',
    reason: 'unreadable',
    ...common,
    durationMinutes: durationMinutes ?? DEFAULT_MEETING_MINUTES,
    startWasGiven: true,
    suggestions: [],
    unreadable,
    ...(day === undefined ? {} : { day: isoDate(day) }),
  };
}

const isoDate = (d: LocalDate): string =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** Peel option words and dangling joiners off the end until nothing changes; what is left is the subject. */
function cleanSubject(text: string): {
  subject: string;
  passcode: boolean;
  live: boolean;
} {
  let passcode = false;
  let live = false;
  let subject = text.replace(/\s+/g, ' ').trim();
  for (;;) {
    const before = subject;
    subject = subject.replace(/[\s,;:.!?、，。；：\-–—&]+$/u, '');
    const p = PASSCODE_PATTERN.exec(subject);
    if (p !== null) {
      passcode = true;
      subject = subject.slice(0, p.index);
    }
    const l = LIVE_PATTERN.exec(subject);
    if (l !== null) {
      live = true;
      subject = subject.slice(0, l.index);
    }
    // A joiner left at the end by a removed mention or time: `design review with <at>Grace</at>`.
    subject = subject.replace(/(?:(?:^|\s)(?:with|and|or|w\/)|和|与|跟|及|或|と|や)$/iu, '').trimEnd();
    if (subject === before) break;
  }
  return {
    subject: subject.replace(/^[\s,;:.!?、，。；：\-–—]+/u, '').trim(),
    passcode,
    live,
  };
}
