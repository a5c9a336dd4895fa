import assert from 'node:assert/strict';
import {
  defaultFormValues,
  formValuesFromRequest,
  htmlToText,
  parseComposeForm,
  subjectFromMessage,
} from '../../../src/bot/compose/compose-form';

// 2030-01-15 17:10 UTC = 09:10 in Los Angeles (PST), 22:40 in Kolkata (+05:30).
const NOW = Date.UTC(2030, 0, 15, 17, 10);
const LA = { now: NOW, timeZone: 'America/Los_Angeles', locale: 'en-US' };
const NONCE = '3f1c2b7e-9a4d-4e1f-8c55-0a1b2c3d4e5f';

describe('compose form', () => {
  describe('defaultFormValues()', () => {
    it("starts at the next half hour in the user's zone, for 30 minutes", () => {
      assert.deepEqual(defaultFormValues(NOW, 'America/Los_Angeles'), {
        subject: '',
        date: '2030-01-15',
        time: '09:30',
        duration: 30,
        passcode: false,
        live: false,
      });
    });

    it('rounds on the local wall clock in a half-hour zone, crossing midnight', () => {
      const values = defaultFormValues(Date.UTC(2030, 0, 15, 18, 40), 'Asia/Kolkata', 'Standup');
      assert.equal(values.date, '2030-01-16');
      assert.equal(values.time, '00:30');
      assert.equal(values.subject, 'Standup');
    });

    it('falls back to UTC for an unknown zone', () => {
      assert.equal(defaultFormValues(NOW, 'Mars/Olympus').time, '17:30');
    });
  });

  describe('subjectFromMessage()', () => {
    it('takes the first non-empty line of the HTML body, tags removed and entities decoded', () => {
      const payload = {
        body: {
          contentType: 'html',
          content: '<div><br></div><p><at>Grace</at>&nbsp;can we sync on <i>Q3 &amp; hiring</i>?</p><p>second line</p>',
        },
      };
      assert.equal(subjectFromMessage(payload), 'Grace can we sync on Q3 & hiring?');
    });

    it("prefers the post's own subject", () => {
      assert.equal(subjectFromMessage({ subject: ' Launch plan ', body: { content: '<p>body</p>' } }), 'Launch plan');
    });

    it('keeps plain-text bodies as they are', () => {
      assert.equal(
        subjectFromMessage({ body: { contentType: 'text', content: 'a <b> literal\nnext' } }),
        'a <b> literal',
      );
    });

    it('cuts a long line at a word and marks it', () => {
      const subject = subjectFromMessage({ body: { content: `<p>${'word '.repeat(60)}</p>` } });
      assert.ok(subject.length <= 121, String(subject.length));
      assert.ok(subject.endsWith('word…'));
    });

    it('returns an empty subject for anything else', () => {
      assert.equal(subjectFromMessage(undefined), '');
      assert.equal(subjectFromMessage('text'), '');
      assert.equal(subjectFromMessage({ body: { content: '<p>  </p>' } }), '');
    });

    it('drops scripts and decodes numeric entities', () => {
      assert.equal(htmlToText('<script>alert(1)</script>x&#233;&#x4E2D;'), 'xé中');
    });
  });

  describe('parseComposeForm()', () => {
    it("reads a valid form in the user's zone", () => {
      const parsed = parseComposeForm(
        {
          nonce: NONCE,
          subject: ' Review ',
          date: '2030-01-16',
          time: '15:00',
          duration: '45',
          passcode: 'true',
          live: false,
        },
        LA,
      );
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.meeting, {
        subject: 'Review',
        startDateTime: '2030-01-16T23:00:00.000Z',
        endDateTime: '2030-01-16T23:45:00.000Z',
        passcode: true,
        live: false,
      });
    });

    it('defaults the duration and accepts seconds on the time', () => {
      const parsed = parseComposeForm({ nonce: NONCE, subject: 'Sync', date: '2030-01-15', time: '09:10:00' }, LA);
      assert.ok(parsed.ok);
      assert.equal(parsed.meeting.startDateTime, '2030-01-15T17:10:00.000Z');
      assert.equal(parsed.meeting.endDateTime, '2030-01-15T17:40:00.000Z');
      assert.equal(parsed.meeting.subject, 'Sync');
    });

    // Issue #17: an empty subject made a "(no subject)" meeting and a duration of 2 became 5 without a word.
    it('refuses an empty subject and a duration below the minimum on their fields, naming the limit', () => {
      const parsed = parseComposeForm(
        { nonce: NONCE, subject: '  ', date: '2030-01-16', time: '10:00', duration: '2' },
        LA,
      );
      assert.ok(!parsed.ok);
      assert.deepEqual(Object.keys(parsed.errors).sort(), ['duration', 'subject']);
      assert.equal(parsed.errors.subject, 'Enter a subject for the meeting.');
      assert.match(parsed.errors.duration ?? '', /between 5 and 1440 minutes/);
      assert.equal(parsed.values.duration, 2, 'the value is shown again as typed, not changed');
    });

    it('puts "in the past" next to the date for an earlier day, next to the time for earlier today', () => {
      const yesterday = parseComposeForm({ nonce: NONCE, subject: 'x', date: '2030-01-14', time: '10:00' }, LA);
      assert.ok(!yesterday.ok);
      assert.deepEqual(Object.keys(yesterday.errors), ['date']);
      const earlier = parseComposeForm({ nonce: NONCE, subject: 'x', date: '2030-01-15', time: '09:00' }, LA);
      assert.ok(!earlier.ok);
      assert.deepEqual(Object.keys(earlier.errors), ['time']);
      assert.equal(earlier.errors.time, 'This time has already passed. Pick a time in the future.');
    });

    it('keeps the values as typed when fields are invalid', () => {
      const parsed = parseComposeForm(
        { nonce: NONCE, subject: 'x', date: '2030-02-30', time: '25:00', duration: '3', passcode: 'true' },
        LA,
      );
      assert.ok(!parsed.ok);
      assert.equal(parsed.nonce, NONCE);
      assert.deepEqual(Object.keys(parsed.errors).sort(), ['date', 'duration', 'time']);
      assert.deepEqual(parsed.values, {
        subject: 'x',
        date: '2030-02-30',
        time: '25:00',
        duration: 3,
        passcode: true,
        live: false,
      });
    });

    it('refuses durations over a day and subjects over 255 characters, localized', () => {
      const parsed = parseComposeForm(
        { nonce: NONCE, subject: 'x'.repeat(256), date: '2030-01-16', time: '10:00', duration: 1441 },
        { ...LA, locale: 'ja-JP' },
      );
      assert.ok(!parsed.ok);
      assert.equal(parsed.errors.duration, '時間は 5 分から 1440 分の間で入力してください。');
      assert.equal(parsed.errors.subject, '件名は 255 文字以内にしてください。');
    });

    it('has no nonce when the data carries none or a malformed one', () => {
      assert.equal(parseComposeForm({ date: '2030-01-16', time: '10:00' }, LA).nonce, undefined);
      assert.equal(parseComposeForm({ nonce: 'a b', date: '2030-01-16', time: '10:00' }, LA).nonce, undefined);
      assert.equal(parseComposeForm(null, LA).ok, false);
    });

    it('reads a time skipped by the spring-forward change as the same wall time after it', () => {
      const parsed = parseComposeForm({ nonce: NONCE, subject: 'x', date: '2030-03-10', time: '02:30' }, LA);
      assert.ok(parsed.ok);
      assert.equal(parsed.meeting.startDateTime, '2030-03-10T10:30:00.000Z'); // 03:30 PDT
    });
  });

  describe('formValuesFromRequest()', () => {
    it("shows a stored meeting in the user's zone", () => {
      const values = formValuesFromRequest(
        {
          subject: 'Sync',
          startDateTime: '2030-01-16T23:00:00.000Z',
          endDateTime: '2030-01-17T00:15:00.000Z',
          passcode: true,
          live: false,
        },
        'America/Los_Angeles',
      );
      assert.deepEqual(values, {
        subject: 'Sync',
        date: '2030-01-16',
        time: '15:00',
        duration: 75,
        passcode: true,
        live: false,
      });
    });
  });
});
