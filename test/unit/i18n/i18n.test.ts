import { strict as assert } from 'node:assert';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../src/meetings/errors';
import { en } from '../../../src/i18n/en';
import {
  errorMessage,
  formatDateTime,
  formatMeetingTime,
  normalizeLocale,
  replyLocale,
  STRING_TABLES,
  t,
} from '../../../src/i18n/index';

// Every code in the catalogue (a code added there without strings fails here and in the compiler).
const ALL_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('normalizeLocale()', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'en'],
    ['', 'en'],
    ['en-US', 'en'],
    ['fr-FR', 'en'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-TW', 'en'],
    ['zh-Hant-HK', 'en'],
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['jam', 'en'],
  ];
  for (const [input, expected] of cases) {
    it(`maps ${String(input)} to ${expected}`, () => assert.equal(normalizeLocale(input), expected));
  }
});

describe('replyLocale()', () => {
  it("keeps the client's locale unless the command word is Chinese or Japanese and the client is in another language", () => {
    assert.equal(replyLocale('en-US', 'zh-CN'), 'zh-CN');
    assert.equal(replyLocale('zh-CN', 'ja'), 'ja-JP');
    assert.equal(replyLocale('ja-JP', 'ja'), 'ja-JP');
    assert.equal(replyLocale('zh-Hans-CN', 'zh-CN'), 'zh-Hans-CN');
    assert.equal(replyLocale('ja-JP', 'en'), 'ja-JP', "English command words are every locale's syntax");
    assert.equal(replyLocale('fr-FR', undefined), 'fr-FR');
  });
});

describe('string tables', () => {
  for (const [locale, table] of Object.entries(STRING_TABLES)) {
    it(`${locale} has every English key, no extras, and no empty strings`, () => {
      assert.deepEqual(Object.keys(table).sort(), Object.keys(en).sort());
      for (const [key, value] of Object.entries(table)) assert.ok(value.trim().length > 0, key);
    });
    it(`${locale} keeps every {placeholder} of the English string`, () => {
      for (const key of Object.keys(en) as Array<keyof typeof en>) {
        const wanted = (en[key].match(/\{\w+\}/g) ?? []).sort();
        const got = (table[key].match(/\{\w+\}/g) ?? []).sort();
        assert.deepEqual(got, wanted, `${locale} ${key}`);
      }
    });
  }
});

describe('t()', () => {
  it('interpolates {name} parameters in the locale', () => {
    assert.equal(t('en', 'meeting.moreAttendees', { count: 4 }), 'and 4 more');
    assert.equal(t('ja-JP', 'meeting.moreAttendees', { count: 4 }), 'ほか 4 人');
  });
  it('does not re-interpolate a parameter that contains a placeholder', () => {
    assert.equal(t('en', 'meeting.cancelledTitle', { subject: '{subject} {count}' }), 'Cancelled: {subject} {count}');
  });
  it('falls back to English for an unsupported locale', () => {
    assert.equal(t('de-DE', 'meeting.join'), 'Join');
  });
});

describe('errorMessage()', () => {
  it('has a message for every ErrorCode in every locale', () => {
    for (const locale of ['en', 'zh-CN', 'ja']) {
      for (const code of ALL_CODES) assert.ok(errorMessage(locale, code).length > 10, `${locale} ${code}`);
    }
  });
  it('tells the user what to do when Teams is throttling', () => {
    assert.equal(
      errorMessage('en-US', 'graph_throttled'),
      'Microsoft Teams is busy right now. Try again in a minute — your request is kept.',
    );
  });
});

describe('formatMeetingTime()', () => {
  const start = '2026-03-10T22:00:00Z';
  const end = '2026-03-10T22:45:00Z';
  it('formats English in the user zone with the zone name', () => {
    assert.equal(formatMeetingTime(start, end, 'en-US', 'America/Los_Angeles'), 'Tue, Mar 10, 3:00 – 3:45 PM (PDT)');
  });
  it('formats Simplified Chinese in Asia/Shanghai', () => {
    assert.equal(formatMeetingTime(start, end, 'zh-CN', 'Asia/Shanghai'), '3月11日周三 06:00–06:45 (GMT+8)');
  });
  it('formats Japanese in Asia/Tokyo', () => {
    assert.equal(formatMeetingTime(start, end, 'ja-JP', 'Asia/Tokyo'), '3月11日(水) 07:00～07:45 (JST)');
  });
  it('shows both dates when the meeting crosses midnight', () => {
    assert.match(formatMeetingTime(start, '2026-03-11T09:00:00Z', 'en', 'America/Los_Angeles'), /Mar 10.*Mar 11/);
  });
  it('falls back to UTC for an unknown zone and never throws on bad input', () => {
    assert.match(formatMeetingTime(start, end, 'en', 'Not/AZone'), /10:00 – 10:45 PM \(UTC\)/);
    assert.equal(formatMeetingTime('nope', end, 'en', 'UTC'), `nope – ${end}`);
  });
  it('names the zone by the meeting date: standard time, then summer time, then standard again', () => {
    assert.match(
      formatMeetingTime('2026-03-06T22:00:00Z', '2026-03-06T22:30:00Z', 'en', 'America/Los_Angeles'),
      /\(PST\)$/,
    );
    assert.match(formatMeetingTime(start, end, 'en', 'America/Los_Angeles'), /\(PDT\)$/);
    assert.match(formatDateTime('2026-11-02T22:00:00Z', 'en', 'America/Los_Angeles'), /\(PST\)$/);
    assert.match(
      formatMeetingTime('2026-03-30T09:00:00Z', '2026-03-30T09:30:00Z', 'en', 'Europe/Berlin'),
      /\((GMT\+2|CEST)\)$/,
    );
  });
  it('formatDateTime() formats a single instant', () => {
    assert.equal(formatDateTime(start, 'en', 'America/Los_Angeles'), 'Tue, Mar 10, 3:00 PM (PDT)');
  });
});
