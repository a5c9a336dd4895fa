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
 * Escaping and line folding are done by the `ics` package.
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

  const event: Ics.EventAttributes = {
    productId: PRODUCT_ID,
    method: 'PUBLISH',
    uid: `${uidPart(m.id)}@${options.uidDomain}`,
    sequence: record.version,
    title: m.subject,
    description: lines.join('\n'),
    location: 'Microsoft Teams meeting',
    url: m.joinWebUrl,
    start: Date.parse(m.startDateTime),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(m.endDateTime),
    endInputType: 'utc',
    endOutputType: 'utc',
    status: record.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { name: record.organizerName || 'Organizer', ...(m.organizer.upn ? { email: m.organizer.upn } : {}) },
    created: Date.parse(record.createdAt),
    lastModified: Date.parse(record.updatedAt),
  };
  const { error, value } = loadIcs().createEvent(event);
  if (error || !value) throw new AppError('internal', 500, 'The calendar file could not be built.', { cause: error });
  return value;
}

/** UIDs must be globally unique and stable; Graph ids are base64 and may contain `+/=`, which some clients dislike. */
function uidPart(meetingId: string): string {
  return Buffer.from(meetingId, 'utf8').toString('base64url');
}
