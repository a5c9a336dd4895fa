import { DateTime } from 'luxon';
import { z } from 'zod';
import type { MeetingFormField, MeetingFormValues } from '../../cards';
import { t } from '../../i18n';
import {
  DEFAULT_MEETING_MINUTES,
  instantOfWallTime,
  isPastStart,
  MAX_MEETING_MINUTES,
  MIN_FORM_MEETING_MINUTES,
  MINUTE_IN_MS,
} from '../../meetings/meeting-policy';
import { localDateAt, resolveTimeZone } from '../../meetings/time-zone';
import type { MeetingRequest } from '../../meetings/types';

const MAX_SUBJECT = 255;
/** Subject taken from a message: its first line, cut at a word near this length. */
const MAX_DERIVED_SUBJECT = 120;

export type FormErrors = Partial<Record<MeetingFormField, string>>;

/** The meeting a valid form asks for (times as UTC ISO instants). */
export interface ComposeMeetingFields {
  /** Trimmed, never empty. */
  readonly subject: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly passcode: boolean;
  readonly live: boolean;
}

export type ParsedComposeForm =
  | {
      readonly ok: true;
      readonly nonce: string;
      readonly values: MeetingFormValues;
      readonly meeting: ComposeMeetingFields;
    }
  | {
      readonly ok: false;
      readonly nonce: string | undefined;
      readonly values: MeetingFormValues;
      readonly errors: FormErrors;
    };

export interface FormContext {
  readonly now: number;
  readonly timeZone: string;
  readonly locale: string;
}

/** Nonces come from fetchTask (UUIDs); anything else is refused rather than used as a storage key. */
const nonceSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const toggleSchema = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === 'true');
/** What Teams sends back: the Action.Submit data merged with the inputs (all strings, or numbers for Input.Number). */
const submittedSchema = z.looseObject({
  nonce: z.unknown(),
  subject: z.string().optional().catch(undefined),
  date: z.string().optional().catch(undefined),
  time: z.string().optional().catch(undefined),
  duration: z.union([z.number(), z.string()]).optional().catch(undefined),
  passcode: toggleSchema.catch(false),
  live: toggleSchema.catch(false),
});

const dateSchema = z
  .string()
  .trim()
  .regex(/^(\d{4})-(\d{2})-(\d{2})$/)
  .refine((s) => DateTime.fromISO(s).isValid);
const timeSchema = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/)
  .transform((s) => s.slice(0, 5));
const durationSchema = z.coerce.number().int().min(MIN_FORM_MEETING_MINUTES).max(MAX_MEETING_MINUTES);

/** A fresh form: the next half hour in the user's zone, 30 minutes, no passcode, not live. */
export function defaultFormValues(now: number, timeZone: string, subject = ''): MeetingFormValues {
  const zone = resolveTimeZone(timeZone);
  const local = DateTime.fromMillis(now, { zone });
  const start = local.startOf('hour').plus({ minutes: local.minute < 30 ? 30 : 60 });
  return {
    subject,
    date: start.toFormat('yyyy-MM-dd'),
    time: start.toFormat('HH:mm'),
    duration: DEFAULT_MEETING_MINUTES,
    passcode: false,
    live: false,
  };
}

/** The form values of a meeting Convene already made (the preview's Edit), in the user's zone. */
export function formValuesFromRequest(
  request: Pick<MeetingRequest, 'subject' | 'startDateTime' | 'endDateTime' | 'passcode' | 'live'>,
  timeZone: string,
): MeetingFormValues {
  const zone = resolveTimeZone(timeZone);
  const start = DateTime.fromISO(request.startDateTime, { setZone: true }).setZone(zone);
  const end = DateTime.fromISO(request.endDateTime, { setZone: true });
  const minutes =
    start.isValid && end.isValid ? Math.round(end.diff(start, 'minutes').minutes) : DEFAULT_MEETING_MINUTES;
  return {
    subject: request.subject,
    ...(start.isValid ? { date: start.toFormat('yyyy-MM-dd'), time: start.toFormat('HH:mm') } : {}),
    duration: minutes,
    passcode: request.passcode,
    live: request.live,
  };
}

const messagePayloadSchema = z.looseObject({
  subject: z.string().nullish().catch(undefined),
  body: z
    .object({ content: z.string().nullish().catch(undefined), contentType: z.string().nullish().catch(undefined) })
    .nullish()
    .catch(undefined),
});

/**
 * A subject for a meeting made from a message (`value.messagePayload` of a message-context fetchTask): the
 * post's own subject when it has one, else the first non-empty line of its body with the HTML removed.
 */
export function subjectFromMessage(payload: unknown): string {
  const parsed = messagePayloadSchema.safeParse(payload);
  if (!parsed.success) return '';
  const own = normalizeLine(parsed.data.subject ?? '');
  if (own) return shorten(own);
  const content = parsed.data.body?.content ?? '';
  const text = parsed.data.body?.contentType === 'text' ? content : htmlToText(content);
  const line =
    text
      .split('\n')
      .map(normalizeLine)
      .find((l) => l.length > 0) ?? '';
  return shorten(line);
}

/** Block-level HTML ends a line; other tags go; entities are decoded. Not a sanitizer: the result is plain text. */
export function htmlToText(content: string): string {
  return decodeEntities(
    content
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|h[1-6]|tr|blockquote|pre)\s*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  );
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16)) ?? whole;
    if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[lower] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function normalizeLine(line: string): string {
  // Control characters would break the card; runs of whitespace read as one space.
  return (
    line
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function shorten(line: string): string {
  if (line.length <= MAX_DERIVED_SUBJECT) return line;
  const cut = line.slice(0, MAX_DERIVED_SUBJECT);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_DERIVED_SUBJECT / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Validates a submitted form. On any problem the values come back as typed with a localized message per field,
 * so the form can be shown again. Times are read in the user's zone; a start before the current minute is refused.
 */
export function parseComposeForm(data: unknown, ctx: FormContext): ParsedComposeForm {
  const raw = submittedSchema.safeParse(data ?? {});
  const submitted = raw.success ? raw.data : { nonce: undefined, passcode: false, live: false };
  const nonce = nonceSchema.safeParse(submitted.nonce);
  const durationNumber =
    submitted.duration === undefined || submitted.duration === '' ? undefined : Number(submitted.duration);
  const values: MeetingFormValues = {
    subject: submitted.subject ?? '',
    ...(submitted.date !== undefined ? { date: submitted.date.trim() } : {}),
    ...(submitted.time !== undefined ? { time: submitted.time.trim().slice(0, 5) } : {}),
    ...(durationNumber !== undefined && Number.isFinite(durationNumber) ? { duration: durationNumber } : {}),
    passcode: submitted.passcode,
    live: submitted.live,
  };
  const errors: FormErrors = {};
  const subject = values.subject?.trim() ?? '';
  // Issue #17: an empty subject is asked for on its field, never replaced by "(no subject)" behind the user's back.
  if (subject === '') errors.subject = t(ctx.locale, 'form.errorSubjectEmpty');
  else if (subject.length > MAX_SUBJECT) errors.subject = t(ctx.locale, 'form.errorSubject');
  const date = dateSchema.safeParse(submitted.date ?? '');
  if (!date.success) errors.date = t(ctx.locale, 'form.errorDate');
  const time = timeSchema.safeParse(submitted.time ?? '');
  if (!time.success) errors.time = t(ctx.locale, 'form.errorTime');
  const duration = durationSchema.safeParse(
    submitted.duration === undefined || submitted.duration === '' ? DEFAULT_MEETING_MINUTES : submitted.duration,
  );
  if (!duration.success) errors.duration = t(ctx.locale, 'form.errorDuration');

  let startMs: number | undefined;
  if (date.success && time.success) {
    const zone = resolveTimeZone(ctx.timeZone);
    const [year, month, day] = date.data.split('-').map(Number) as [number, number, number];
    const [hour, minute] = time.data.split(':').map(Number) as [number, number];
    startMs = instantOfWallTime(zone, { year, month, day, hour, minute }).epochMs;
    if (isPastStart(startMs, ctx.now)) {
      const today = localDateAt(zone, ctx.now);
      const pastDay = year * 10_000 + month * 100 + day < today.year * 10_000 + today.month * 100 + today.day;
      errors[pastDay ? 'date' : 'time'] = t(ctx.locale, 'form.errorPast');
    }
  }

  if (!nonce.success || Object.keys(errors).length > 0 || startMs === undefined || !duration.success) {
    return { ok: false, nonce: nonce.success ? nonce.data : undefined, values, errors };
  }
  return {
    ok: true,
    nonce: nonce.data,
    values,
    meeting: {
      subject,
      startDateTime: new Date(startMs).toISOString(),
      endDateTime: new Date(startMs + duration.data * MINUTE_IN_MS).toISOString(),
      passcode: submitted.passcode,
      live: submitted.live,
    },
  };
}
