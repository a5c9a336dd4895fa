import assert from 'node:assert/strict';
import ical from 'node-ical';
import { calendarFileFor } from '../../../src/meetings/calendar-file';
import type { MeetingRecord } from '../../../src/meetings/types';

function record(
  overrides: { subject?: string; organizerName?: string; upn?: string; joinWebUrl?: string } = {},
): MeetingRecord {
  return {
    meeting: {
      id: 'MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ',
      subject: overrides.subject ?? 'Sprint review',
      startDateTime: '2026-12-03T15:00:00Z',
      endDateTime: '2026-12-03T15:45:00Z',
      joinWebUrl: overrides.joinWebUrl ?? 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      joinMeetingId: '123 456 789',
      passcode: 'Xy7Zq',
      isPasscodeRequired: true,
      organizer: { id: 'oid-ada', upn: overrides.upn ?? 'ada@convene.local' },
      attendees: [],
      isBroadcast: false,
    },
    organizer: { tenantId: 't', aadObjectId: 'oid-ada' },
    organizerName: overrides.organizerName ?? 'Ada Lovelace',
    request: {
      subject: 'Sprint review',
      startDateTime: '2026-12-03T15:00:00Z',
      endDateTime: '2026-12-03T15:45:00Z',
      passcode: true,
      live: false,
      attendees: [],
      locale: 'en-US',
      timeZone: 'UTC',
    },
    state: 'active',
    version: 1,
    channelBindingFallback: false,
    createdAt: '2026-12-02T10:00:00Z',
    updatedAt: '2026-12-02T10:00:00Z',
  };
}

/** Content lines after unfolding (RFC 5545 §3.1): a fold is CRLF followed by one space or tab. */
const contentLines = (ics: string) =>
  ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
const propertyNames = (ics: string) => contentLines(ics).map((l) => /^[A-Z-]+/.exec(l)?.[0]);
const EXPECTED_PROPERTIES = [
  'BEGIN',
  'VERSION',
  'CALSCALE',
  'PRODID',
  'METHOD',
  'X-PUBLISHED-TTL',
  'BEGIN',
  'UID',
  'SUMMARY',
  'DTSTAMP',
  'DTSTART',
  'DTEND',
  'DESCRIPTION',
  'URL',
  'LOCATION',
  'STATUS',
  'ORGANIZER',
  'X-MICROSOFT-CDO-BUSYSTATUS',
  'CREATED',
  'LAST-MODIFIED',
  'SEQUENCE',
  'END',
  'END',
];

function event(ics: string): ical.VEvent {
  const found = Object.values(ical.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT');
  assert.ok(found, ics);
  return found as ical.VEvent;
}

describe('calendarFileFor() (RFC 5545 TEXT escaping and folding)', () => {
  const injections = [
    '\r\nATTACH:https://evil.example/x.exe',
    '\nLOCATION:Room 1',
    '\rATTACH:https://evil.example/cr',
    '\u000bX-EVIL:1',
    '"\r\nATTACH:https://evil.example/q',
  ];

  for (const [i, injection] of injections.entries()) {
    it(`adds no property for a line break in the organizer's display name or the subject (case ${i + 1})`, () => {
      const ics = calendarFileFor(record({ organizerName: `Ada${injection}`, subject: `Review${injection}` }), {
        uidDomain: 'convene',
      });
      const names = propertyNames(ics);
      assert.deepEqual(
        names.filter((n) => !EXPECTED_PROPERTIES.includes(n ?? '')),
        [],
        ics,
      );
      assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(ics), 'only CRLF line ends');
      // eslint-disable-next-line no-control-regex -- looking for control characters
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(ics.replace(/\r\n/g, '')), 'no control characters');
      const e = event(ics);
      assert.equal(e.attach, undefined);
      assert.equal(e.location, 'Microsoft Teams meeting');
    });
  }

  it('escapes backslash, semicolon, comma and newline in TEXT values, so they read back unchanged', () => {
    const subject = 'Plan; budget, Q1 \\ Q2';
    const ics = calendarFileFor(record({ subject, organizerName: 'Lovelace, Ada; "the Countess"' }), {
      uidDomain: 'convene',
    });
    assert.match(ics, /SUMMARY:Plan\\; budget\\, Q1 \\\\ Q2/);
    const e = event(ics);
    assert.equal(e.summary, subject);
    assert.match(String(e.description), /Organizer: Lovelace, Ada; "the Countess"/);
    // A parameter value can't hold DQUOTE (RFC 5545 §3.1 QSAFE-CHAR): it is replaced, never closes the quote.
    assert.match(ics, /ORGANIZER;CN="Lovelace, Ada; 'the Countess'":MAILTO:ada@convene.local/);
  });

  it('folds every line at 75 octets, never inside a UTF-8 character', () => {
    const ics = calendarFileFor(record({ subject: '四半期レビュー'.repeat(20), organizerName: '王小明'.repeat(30) }), {
      uidDomain: 'convene',
    });
    for (const line of ics.split('\r\n'))
      assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
    assert.ok(!ics.includes('\uFFFD'));
    assert.equal(event(ics).summary, '四半期レビュー'.repeat(20));
  });

  it('leaves out an organizer address or join URL that is not one (no raw text after MAILTO: or URL:)', () => {
    const ics = calendarFileFor(
      record({ upn: 'ada@x\r\nATTACH:y', joinWebUrl: 'https://teams.example/j\r\nATTACH:z' }),
      { uidDomain: 'convene' },
    );
    assert.deepEqual(
      propertyNames(ics).filter((n) => !EXPECTED_PROPERTIES.includes(n ?? '')),
      [],
      ics,
    );
    assert.doesNotMatch(ics, /MAILTO:ada@x/);
  });
});
