/**
 * Time-looking words chrono-node could not read (`25:00`, `99am`, `December 32`, `2月30日`, `明後日` left over…).
 * The parser runs this on what is left of a command after the time and duration phrases it used are removed: a
 * match stops creation and is named in the question, so an impossible time never falls silently into the subject
 * (issue #17: `meet review at 25:00` made a meeting *now* named "review at 25:00").
 *
 * Deliberately narrow: a bare number (`Q3 review`, `5 whys`), `1:1` and `50/50` stay subject text.
 */

export interface UnreadableTime {
  /** The words as written. */
  readonly text: string;
  readonly index: number;
  readonly length: number;
}

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const MERIDIEM = String.raw`(?:[ap]\.?m\.?)`;
const CJK_RELATIVE_DAYS =
  '明後日|明々後日|あさって|しあさって|一昨日|おととい|大后天|大後天|大前天|后天|後天|前天|昨天|明天|今天|今日|明日|昨日';

interface Shape {
  readonly pattern: RegExp;
  /** When given, only matches it accepts count (e.g. a slash date whose day the month cannot have). */
  readonly accept?: (m: RegExpExecArray) => boolean;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Each shape is one way of writing "this was meant as a time". */
const SHAPES: readonly Shape[] = [
  // Clock times: 25:00, 13:75, 3:60pm, 24:00 (chrono reads only valid ones; those were removed already).
  { pattern: new RegExp(String.raw`(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s*${MERIDIEM}(?!\p{L}))?(?![\d:])`, 'giu') },
  // Hours with am/pm: 99am, 13pm, 0 pm.
  { pattern: new RegExp(String.raw`(?<![\p{L}\d.:])\d{1,3}\s*${MERIDIEM}(?![\p{L}\d])`, 'giu') },
  // Month and day: December 32, Feb 30th, 32 December.
  {
    pattern: new RegExp(
      String.raw`\b(?:${MONTHS})\.?\s+\d{1,3}(?:st|nd|rd|th)?\b|\b\d{1,3}(?:st|nd|rd|th)?\s+(?:${MONTHS})\b`,
      'giu',
    ),
  },
  // Slash dates whose day the month cannot have: 2/30, 4/31, 12/45 (3/4 is read by chrono; 50/50 is no date).
  {
    pattern: /(?<![\d/])(0?[1-9]|1[0-2])\/(\d{1,2})(?![\d/])/gu,
    accept: (m) => Number(m[2]) > (DAYS_IN_MONTH[Number(m[1]) - 1] ?? 31) || Number(m[2]) === 0,
  },
  // An ordinal day: on the 35th.
  { pattern: /\bon\s+the\s+\d{1,3}(?:st|nd|rd|th)\b/giu },
  // CJK clock hours and dates: 25点, 25時, 3点75分, 2月30日, 13月1日.
  { pattern: /\d{1,3}\s*[点點時时](?:\s*(?:半|\d{1,3}\s*分))?|\d{1,3}\s*月\s*\d{1,3}\s*[日号號]/gu },
  // CJK relative days chrono left unread (its ja locale does not know 明後日).
  { pattern: new RegExp(CJK_RELATIVE_DAYS, 'gu') },
];

const LEAD = /(?:\b(?:at|on|by|from)\s+|[在于])$/iu;

/** Every unreadable time-looking phrase in `text`, in text order, without overlaps. */
export function findUnreadableTimes(text: string): UnreadableTime[] {
  const found: UnreadableTime[] = [];
  for (const { pattern, accept } of SHAPES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (accept && !accept(m)) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.index + f.length && f.index < end)) continue;
      found.push({ text: m[0].trim(), index: start, length: m[0].length });
    }
  }
  return found.sort((a, b) => a.index - b.index).map((f) => withLead(text, f));
}

/** `at 25:00` is removed whole from the subject; the word named stays `25:00`. */
function withLead(text: string, f: UnreadableTime): UnreadableTime {
  const lead = LEAD.exec(text.slice(0, f.index))?.[0].length ?? 0;
  return { text: f.text, index: f.index - lead, length: f.length + lead };
}
