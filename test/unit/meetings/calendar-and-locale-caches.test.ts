import assert from 'node:assert/strict';
import { formatMeetingTime } from '../../../src/i18n';
import { parseLocaleTag } from '../../../src/i18n/locale';
import { addDays } from '../../../src/meetings/time-zone';

describe('calendar arithmetic and the per-message caches', () => {
  it('adds calendar days across month, year and leap-day boundaries, backwards too', () => {
    assert.deepEqual(addDays({ year: 2026, month: 12, day: 31 }, 1), { year: 2027, month: 1, day: 1 });
    assert.deepEqual(addDays({ year: 2028, month: 2, day: 28 }, 1), { year: 2028, month: 2, day: 29 });
    assert.deepEqual(addDays({ year: 2027, month: 2, day: 28 }, 1), { year: 2027, month: 3, day: 1 });
    assert.deepEqual(addDays({ year: 2026, month: 3, day: 1 }, -2), { year: 2026, month: 2, day: 27 });
    // The US DST change (2026-03-08) moves no calendar date: this is date arithmetic, not 24-hour steps.
    assert.deepEqual(addDays({ year: 2026, month: 3, day: 7 }, 2), { year: 2026, month: 3, day: 9 });
  });

  it('reads locale tags the same way the first time and from the cache, refusals included', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(parseLocaleTag('en_us'), 'en-US');
      assert.equal(parseLocaleTag(' zh-hans-cn '), 'zh-Hans-CN');
      assert.equal(parseLocaleTag('not a tag'), undefined);
      assert.equal(parseLocaleTag(42), undefined);
    }
  });

  it('keeps reading tags correctly after more distinct tags than the cache holds', () => {
    for (let i = 0; i < 600; i++) assert.equal(parseLocaleTag(`en-x-t${i}`), `en-x-t${i}`);
    assert.equal(parseLocaleTag('ja-jp'), 'ja-JP');
  });

  it('formats a meeting time per language and zone, also when the same meeting is rendered again', () => {
    const start = '2026-12-03T23:00:00Z';
    const end = '2026-12-03T23:45:00Z';
    for (let round = 0; round < 2; round++) {
      assert.equal(formatMeetingTime(start, end, 'en-US', 'America/Los_Angeles'), 'Thu, Dec 3, 3:00 – 3:45 PM (PST)');
      assert.equal(formatMeetingTime(start, end, 'ja-JP', 'Asia/Tokyo'), '12月4日(金) 08:00～08:45 (JST)');
    }
  });
});
