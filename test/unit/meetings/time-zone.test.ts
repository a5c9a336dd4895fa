import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clientLocale } from '../../../src/i18n/locale';
import { formatMeetingTime, safeTimeZone } from '../../../src/i18n';
import { clientTimeZone, offsetMinutesAt, resolveTimeZone } from '../../../src/meetings/time-zone';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** 2,000 distinct spellings of a zone Intl accepts (it ignores case): each was a new key in every zone cache. */
function caseVariants(zone: string, count: number): string[] {
  const letters = [...zone].map((c, i) => ({ c, i })).filter(({ c }) => /[a-z]/i.test(c));
  return Array.from({ length: count }, (_, n) => {
    const chars = [...zone.toLowerCase()];
    letters.forEach(({ i }, bit) => {
      if ((n >> bit) & 1) chars[i] = chars[i]!.toUpperCase();
    });
    return chars.join('');
  });
}

describe('time zones and locales from clients', () => {
  describe('clientTimeZone() / resolveTimeZone()', () => {
    it('keeps IANA names, in their canonical spelling', () => {
      assert.equal(clientTimeZone('America/Los_Angeles'), 'America/Los_Angeles');
      assert.equal(clientTimeZone('america/los_angeles'), 'America/Los_Angeles');
      assert.equal(resolveTimeZone('ASIA/TOKYO'), 'Asia/Tokyo');
      assert.equal(clientTimeZone('UTC'), 'UTC');
      assert.equal(clientTimeZone('Etc/GMT+5'), 'Etc/GMT+5');
    });

    it('falls back to UTC for anything else: unknown, too long, odd characters, not a string', () => {
      for (const zone of [
        '',
        'Mars/Olympus',
        'x'.repeat(65),
        `America/${'A'.repeat(200)}`,
        'America/Los_Angeles\n',
        'Europe/../etc',
        '../../etc/passwd',
        5,
        null,
        undefined,
        {},
      ]) {
        assert.equal(clientTimeZone(zone), 'UTC', JSON.stringify(zone));
      }
    });
  });

  describe('clientLocale()', () => {
    it('keeps BCP 47 tags (canonical case) and falls back to en-US for anything else', () => {
      assert.equal(clientLocale('en-US'), 'en-US');
      assert.equal(clientLocale('ja-jp'), 'ja-JP');
      assert.equal(clientLocale('zh-Hans-CN'), 'zh-Hans-CN');
      assert.equal(clientLocale('zh_CN'), 'zh-CN');
      for (const locale of [
        '',
        'x',
        'en-US\r\nX-Evil: 1',
        'a'.repeat(36),
        `en-${'x'.repeat(100)}`,
        'en US',
        12,
        null,
        undefined,
      ]) {
        assert.equal(clientLocale(locale), 'en-US', JSON.stringify(locale));
      }
    });
  });

  it('2,000 distinct long zone names and 2,000 spellings of real zones leave the caches bounded (a few MB at most)', () => {
    const at = Date.parse('2026-12-03T15:00:00Z');
    const exercise = (zone: string) => {
      const resolved = resolveTimeZone(zone);
      offsetMinutesAt(resolved, at);
      safeTimeZone(zone);
      formatMeetingTime('2026-12-03T15:00:00Z', '2026-12-03T15:45:00Z', 'en-US', zone);
      formatMeetingTime('2026-12-03T15:00:00Z', '2026-12-03T15:45:00Z', 'ja-JP', zone);
    };
    exercise('America/Los_Angeles');
    const before = heapUsed();
    for (const zone of caseVariants('America/Los_Angeles', 2000)) exercise(zone);
    // Flat strings, each its own 20 KB (a template literal would share one buffer among all of them).
    for (let i = 0; i < 2000; i++)
      exercise(Buffer.from(`Zone/${i}/${'x'.repeat(20_000)}`, 'latin1').toString('latin1'));
    const grown = heapUsed() - before;
    // 2,000 names of 20 KB are 40 MB if any cache keeps them.
    assert.ok(grown < 8 * 1024 * 1024, `heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB`);
  });
});
