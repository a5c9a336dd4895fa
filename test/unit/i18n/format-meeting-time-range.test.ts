import { strict as assert } from 'node:assert';
import { formatMeetingTime } from '../../../src/i18n/index';

/** What formatMeetingTime printed for English before its same-day shortcut: ICU's own interval format. */
const formats = new Map<string, { range: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();
function viaFormatRange(start: Date, end: Date, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = {
      range: new Intl.DateTimeFormat('en-US', {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
      }),
      zone: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }),
    };
    formats.set(timeZone, f);
  }
  const zone = f.zone.formatToParts(start).find((p) => p.type === 'timeZoneName');
  return `${f.range.formatRange(start, end).replace(/[\u2009\u202f\u00a0]/g, ' ')} (${zone?.value ?? timeZone})`;
}

const MINUTE_MS = 60_000;
// DST zones both sides of the equator, half- and quarter-hour offsets, Lord Howe's 30-minute DST, UTC±14/−11.
const ZONES = [
  'America/Los_Angeles',
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/St_Johns',
  'UTC',
];
// Days around 2026's DST changes (US Mar 8 / Nov 1, EU Mar 29 / Oct 25, AU Apr 5 / Oct 4) and a year end.
const DAYS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2026-12-31',
  '2026-07-15',
];
const DURATIONS_IN_MIN = [0, 1, 15, 30, 45, 60, 90, 179, 480, 719, 720, 721, 1439, 1440, 1500];

describe('formatMeetingTime() in English', () => {
  it('prints exactly what Intl formatRange prints, across zones, DST changes, noon/midnight and durations', function () {
    this.timeout(60_000);
    let compared = 0;
    for (const zone of ZONES) {
      for (const day of DAYS) {
        const base = Date.parse(`${day}T00:00:00Z`) - 14 * 60 * MINUTE_MS;
        // Every 55 minutes over 30 hours: varied minutes, both sides of noon and midnight in every zone.
        for (let startMs = base; startMs < base + 30 * 60 * MINUTE_MS; startMs += 55 * MINUTE_MS) {
          for (const minutes of DURATIONS_IN_MIN) {
            const start = new Date(startMs);
            const end = new Date(startMs + minutes * MINUTE_MS);
            assert.equal(
              formatMeetingTime(start.toISOString(), end.toISOString(), 'en-US', zone),
              viaFormatRange(start, end, zone),
            );
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 15_000);
  });

  it('prints a range inside one minute (seconds apart) as formatRange does', () => {
    const start = new Date('2026-11-29T23:00:00Z');
    const end = new Date('2026-11-29T23:00:30Z');
    assert.equal(
      formatMeetingTime(start.toISOString(), end.toISOString(), 'en', 'America/Los_Angeles'),
      viaFormatRange(start, end, 'America/Los_Angeles'),
    );
  });
});
