import type { ErrorCode } from '../meetings/errors';
import { offsetMinutesAt, resolveTimeZone } from '../meetings/time-zone';
import { en, type StringKey, type StringTable } from './en';
import { ja } from './ja';
import { normalizeLocale, type SupportedLocale } from './locale';
import { zhCN } from './zh-cn';

export { normalizeLocale, replyLocale, SUPPORTED_LOCALES, type SupportedLocale } from './locale';
export type { StringKey, StringTable } from './en';

export const STRING_TABLES: Readonly<Record<SupportedLocale, StringTable>> = { en, 'zh-CN': zhCN, ja };

export type TranslateParams = Readonly<Record<string, string | number>>;

/**
 * The string for `key` in `locale` (any BCP 47 tag; normalized), with `{name}` placeholders replaced in one pass
 * (a parameter's own text is never re-interpolated). Falls back to English when a locale lacks the key; a
 * placeholder without a parameter is left as written. The result is plain text: cards escape it for markdown.
 */
export function t(locale: string | undefined, key: StringKey, params?: TranslateParams): string {
  const table = STRING_TABLES[normalizeLocale(locale)];
  const template = table[key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** What went wrong and what to do, in the user's language, for an error code. Never includes upstream detail. */
export function errorMessage(locale: string | undefined, code: ErrorCode): string {
  return t(locale, `error.${code}`);
}

const INTL_LOCALE: Record<SupportedLocale, string> = { en: 'en-US', 'zh-CN': 'zh-CN', ja: 'ja-JP' };

/**
 * Intl.DateTimeFormat construction costs far more than formatting (ICU loads the locale and zone data), so
 * formatters and zone checks are built once per (locale, zone, style) and reused. Bounded: zones come from clients.
 */
const FORMATTER_CACHE_LIMIT = 2000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= FORMATTER_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

function formatter(
  intlLocale: string,
  style: string,
  options: Intl.DateTimeFormatOptions & { timeZone: string },
): Intl.DateTimeFormat {
  const key = `${intlLocale}|${options.timeZone}|${style}`;
  return formatters.get(key) ?? remember(formatters, key, new Intl.DateTimeFormat(intlLocale, options));
}

/** The IANA zone if the runtime knows it, else UTC (Teams sometimes sends nothing or an unknown zone). */
export function safeTimeZone(timeZone: string | undefined): string {
  // Checked and put into one spelling there, so the formatter caches below see a bounded set of zones.
  return resolveTimeZone(timeZone ?? '');
}

/** ICU puts thin and narrow no-break spaces around ranges and before AM/PM; cards and tests want plain spaces. */
function plainSpaces(text: string): string {
  return text.replace(/[\u2009\u202f\u00a0]/g, ' ');
}

const zoneNames = new Map<string, string>();

/**
 * The zone's short name at `date` ("PDT", "GMT+8"). It changes only with the zone's offset (standard vs summer time),
 * so it is looked up once per (locale, zone, offset): formatToParts was a tenth of a card's rendering.
 */
function zoneName(date: Date, intlLocale: string, timeZone: string): string {
  const key = `${intlLocale}|${timeZone}|${offsetMinutesAt(timeZone, date.getTime())}`;
  const known = zoneNames.get(key);
  if (known !== undefined) return known;
  const part = formatter(intlLocale, 'zoneName', { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return remember(zoneNames, key, part?.value ?? timeZone);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What `plainSpaces(f.formatRange(start, end))` gives for en-US when both ends fall on the same local date and
 * differ in the displayed time, from two formatToParts calls: V8 builds a new ICU interval formatter on every
 * formatRange call (~40 µs, the card's costliest step). Undefined for every other case (other days, years shown,
 * equal displayed times such as a DST repeat), which formatRange still handles. Checked against formatRange over
 * zones, DST changes and durations in test/unit/i18n/format-meeting-time-range.test.ts.
 */
function sameDayRangeEn(f: Intl.DateTimeFormat, start: Date, end: Date): string | undefined {
  const span = end.getTime() - start.getTime();
  if (!(span >= 0 && span < DAY_MS)) return undefined;
  const a = fieldsOf(f.formatToParts(start));
  const b = fieldsOf(f.formatToParts(end));
  if (!a || !b || a.date !== b.date || (a.time === b.time && a.dayPeriod === b.dayPeriod)) return undefined;
  return a.dayPeriod === b.dayPeriod
    ? `${a.date}, ${a.time} – ${b.time} ${b.dayPeriod}`
    : `${a.date}, ${a.time} ${a.dayPeriod} – ${b.time} ${b.dayPeriod}`;
}

/** "Sun, Nov 29, 3:00 PM" as its date, time and day period; undefined when the parts are not in that order. */
function fieldsOf(parts: Intl.DateTimeFormatPart[]): { date: string; time: string; dayPeriod: string } | undefined {
  const types = parts.map((p) => p.type).join(',');
  if (types !== 'weekday,literal,month,literal,day,literal,hour,literal,minute,literal,dayPeriod') return undefined;
  const v = parts.map((p) => plainSpaces(p.value));
  if (v[1] !== ', ' || v[3] !== ' ' || v[5] !== ', ' || v[7] !== ':' || v[9] !== ' ') return undefined;
  return { date: `${v[0]}, ${v[2]} ${v[4]}`, time: `${v[6]}:${v[8]}`, dayPeriod: v[10]! };
}

/**
 * A meeting's start–end in the user's zone and language, with the zone's short name:
 * en "Tue, Mar 10, 3:00 – 3:45 PM (PDT)", zh-CN "3月11日周三 06:00–06:45 (GMT+8)", ja "3月11日(水) 07:00～07:45 (JST)".
 * Invalid ISO input yields the raw strings joined, never a throw.
 */
export function formatMeetingTime(
  startIso: string,
  endIso: string,
  locale: string | undefined,
  timeZone: string | undefined,
): string {
  const lang = normalizeLocale(locale);
  const zone = safeTimeZone(timeZone);
  // A meeting's time is rendered again for every card of it (the post, each person's refresh in their zone, change
  // notices), and formatting was most of a card's rendering: the text depends on these four values alone.
  const key = `${lang}|${zone}|${startIso}|${endIso}`;
  return meetingTimes.get(key) ?? remember(meetingTimes, key, formatMeetingTimeOnce(startIso, endIso, lang, zone));
}

const meetingTimes = new Map<string, string>();

function formatMeetingTimeOnce(startIso: string, endIso: string, lang: SupportedLocale, zone: string): string {
  const intlLocale = INTL_LOCALE[lang];
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const tz = zoneName(start, intlLocale, zone);
  if (lang === 'en') {
    const f = formatter(intlLocale, 'enRange', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: zone,
    });
    const range =
      end >= start
        ? (sameDayRangeEn(f, start, end) ?? plainSpaces(f.formatRange(start, end)))
        : plainSpaces(`${f.format(start)} – ${f.format(end)}`);
    return `${range} (${tz})`;
  }
  const day = formatter(intlLocale, 'day', { weekday: 'short', month: 'long', day: 'numeric', timeZone: zone });
  const time = formatter(intlLocale, 'time', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const dash = lang === 'ja' ? '～' : '–';
  const sameDay = day.format(start) === day.format(end);
  const range = sameDay
    ? `${day.format(start)} ${time.format(start)}${dash}${time.format(end)}`
    : `${day.format(start)} ${time.format(start)} ${dash} ${day.format(end)} ${time.format(end)}`;
  return `${range} (${tz})`;
}

/** One instant as date + time in the user's zone and language (for clarify buttons), e.g. "Wed, Mar 11, 3:00 PM (PDT)". */
export function formatDateTime(iso: string, locale: string | undefined, timeZone: string | undefined): string {
  const lang = normalizeLocale(locale);
  const intlLocale = INTL_LOCALE[lang];
  const zone = safeTimeZone(timeZone);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const f =
    lang === 'en'
      ? formatter(intlLocale, 'enDateTime', {
          weekday: 'short',
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZone: zone,
        })
      : formatter(intlLocale, 'dateTime', {
          weekday: 'short',
          month: 'long',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone: zone,
        });
  return `${plainSpaces(f.format(date))} (${zoneName(date, intlLocale, zone)})`;
}
