import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/meetings/errors';
import {
  instantOfWallTime,
  intervalFrom,
  isAllowedDuration,
  isPastStart,
  wallTimeOf,
} from '../../../src/meetings/meeting-policy';
import { parseComposeForm } from '../../../src/bot/compose/compose-form';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');

describe('intervalFrom()', () => {
  it('reads the form in the user time zone', () => {
    assert.deepEqual(intervalFrom('2026-12-02', '10:00', 45, 'America/Los_Angeles', NOW), {
      startDateTime: '2026-12-02T18:00:00.000Z',
      endDateTime: '2026-12-02T18:45:00.000Z',
    });
  });

  it('refuses a past start and an impossible date', () => {
    assert.throws(
      () => intervalFrom('2026-11-01', '10:00', 30, 'UTC', NOW),
      (e: unknown) => e instanceof ValidationError && e.code === 'time_in_past',
    );
    assert.throws(() => intervalFrom('2026-02-30', '10:00', 30, 'UTC', NOW), ValidationError);
  });
});

describe('meeting policy', () => {
  it('allows chat durations above 0 and up to 24 hours', () => {
    assert.deepEqual([0, 1, 1440, 1441].map(isAllowedDuration), [false, true, true, false]);
  });

  it('counts a start up to a minute ago as now', () => {
    assert.equal(isPastStart(NOW - 60_000, NOW), false);
    assert.equal(isPastStart(NOW - 60_001, NOW), true);
  });

  it('reads only real dates and times', () => {
    assert.deepEqual(wallTimeOf('2030-03-10', '02:30'), { year: 2030, month: 3, day: 10, hour: 2, minute: 30 });
    assert.equal(wallTimeOf('2030-02-29', '10:00'), undefined);
    assert.equal(wallTimeOf('2030-01-01', '24:00'), undefined);
  });

  it('moves a time skipped by spring forward past the gap, and takes the first of a repeated time', () => {
    const gap = instantOfWallTime('America/New_York', { year: 2030, month: 3, day: 10, hour: 2, minute: 30 });
    assert.equal(gap.resolution.kind, 'gap');
    assert.equal(new Date(gap.epochMs).toISOString(), '2030-03-10T07:30:00.000Z'); // 03:30 EDT
    const overlap = instantOfWallTime('America/New_York', { year: 2030, month: 11, day: 3, hour: 1, minute: 30 });
    assert.equal(overlap.resolution.kind, 'overlap');
    assert.equal(new Date(overlap.epochMs).toISOString(), '2030-11-03T05:30:00.000Z'); // 01:30 EDT, the first
  });

  it('the card buttons and the compose form read the same wall time as the same instant, across DST changes', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    for (const [date, time] of [
      ['2030-03-10', '02:30'],
      ['2030-11-03', '01:30'],
      ['2030-07-01', '09:00'],
    ] as const) {
      const card = intervalFrom(date, time, 30, 'America/New_York', now);
      const form = parseComposeForm(
        { nonce: 'nonce-0001', subject: 'Sync', date, time, duration: 30 },
        { now, timeZone: 'America/New_York', locale: 'en-US' },
      );
      assert.ok(form.ok);
      assert.equal(form.meeting.startDateTime, card.startDateTime, `${date} ${time}`);
      assert.equal(form.meeting.endDateTime, card.endDateTime, `${date} ${time}`);
    }
  });
});
