import type * as Ics from 'ics';
import { AppError } from './errors';
import type { MeetingRecord } from './types';

/**
 * ics (and yup, which it validates with) is loaded on the first calendar download, not at start: ~20 ms of start-up
 * that most processes never need. A CommonJS require, not import(): the test runner's loader hooks only require.
 */
let ics: typeof Ics | undefined;
function loadIcs(): typeof Ics {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ics ??= require('ics') as typeof Ics);
}

const PRODUCT_ID = '-//Convene//Teams meetings//EN';

/**
 * The meeting as an iCalendar file (RFC 5545, METHOD:PUBLISH) that Outlook, Google Calendar and Apple Calendar
 * import: stable UID per meeting (so a re-import updates instead of duplicating), SEQUENCE = record version,
 * title, time in UTC, join link, dial-in and organizer. A cancelled meeting is published with STATUS:CANCELLED.
 *
 * Every value from a user, Teams or Graph is made safe here before `ics` sees it, because `ics` 3.x escapes only
 * part of RFC 5545: its TEXT escaping (`\\ ; , \n`) misses a lone CR and other control characters, the organizer's
 * CN parameter and MAILTO address get no newline handling at all (a display name with a line break added
 * ATTACH/LOCATION lines), and it folds at 75 characters where §3.1 says 75 octets. So: TEXT values lose control
 * characters (line breaks become `\n`, escaped by `ics`), parameter values lose DQUOTE and controls (§3.1
 * QSAFE-CHAR), an address or URL that is not one is left out, and the finished file is refolded by octets.
 */
export function calendarFileFor(record: MeetingRecord, options: { readonly uidDomain: string }): string {
  const m = record.meeting;
  const lines = [`Join Microsoft Teams meeting: ${m.joinWebUrl}`];
  if (m.joinMeetingId) lines.push(`Meeting ID: ${m.joinMeetingId}`);
  if (m.passcode) lines.push(`Passcode: ${m.passcode}`);
  if (m.dialIn?.tollNumber || m.dialIn?.tollFreeNumber) {
    const numbers = [m.dialIn.tollNumber, m.dialIn.tollFreeNumber].filter(Boolean).join(', ');
    lines.push(`Dial in: ${numbers}${m.dialIn.conferenceId ? ` (conference ID ${m.dialIn.conferenceId})` : ''}`);
  }
  if (m.dialIn?.dialinUrl) lines.push(`Local numbers: ${m.dialIn.dialinUrl}`);
  lines.push(`Organizer: ${record.organizerName}`);
  const organizerName = paramText(record.organizerName) || 'Organizer';
  const organizerEmail = m.organizer.upn && ADDRESS.test(m.organizer.upn) ? m.organizer.upn : undefined;
  const joinUrl = safeUrl(m.joinWebUrl);

  const event: Ics.EventAttributes = {
    productId: PRODUCT_ID,
    method: 'PUBLISH',
    uid: `${uidPart(m.id)}@${options.uidDomain}`,
    sequence: record.version,
    title: text(m.subject),
    description: text(lines.join('\n')),
    location: 'Microsoft Teams meeting',
    ...(joinUrl ? { url: joinUrl } : {}),
    start: Date.parse(m.startDateTime),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(m.endDateTime),
    endInputType: 'utc',
    endOutputType: 'utc',
    status: record.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { name: organizerName, ...(organizerEmail ? { email: organizerEmail } : {}) },
    created: Date.parse(record.createdAt),
    lastModified: Date.parse(record.updatedAt),
  };
  const { error, value } = loadIcs().createEvent(event);
  if (error || !value) throw new AppError('internal', 500, 'The calendar file could not be built.', { cause: error });
  return refold(value);
}

/** C0 controls except LF, and DEL: RFC 5545 TEXT allows none of them (§3.3.11). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f]/g;

/** A TEXT value with every line break as LF (which `ics` escapes as `\n`) and no other control character. */
function text(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROLS, ' ');
}

/** A quoted parameter value (§3.1): no control characters and no DQUOTE, which would end the quoted string. */
function paramText(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROLS, ' ')
    .replace(/"/g, "'")
    .trim();
}

/** What may follow `MAILTO:` unencoded: an addr-spec without spaces, quotes, brackets or separators. */
const ADDRESS = /^[^\s"<>()\\,;:@]+@[^\s"<>()\\,;:@]+$/;

function safeUrl(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- a URL with controls or spaces is no URL to print raw
  if (!URL.canParse(url) || /[\u0000-\u001f\u007f\s]/.test(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
}

/**
 * Unfolds `ics`'s output and folds each content line again at 75 octets (§3.1: "Lines of text SHOULD NOT be longer
 * than 75 octets, excluding the line break"), never inside a UTF-8 sequence, continuing with CRLF + one space.
 */
function refold(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines.map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The first line holds 75 octets; each continuation 74 after its leading space.
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** UIDs must be globally unique and stable; Graph ids are base64 and may contain `+/=`, which some clients dislike. */
function uidPart(meetingId: string): string {
  return Buffer.from(meetingId, 'utf8').toString('base64url');
}
