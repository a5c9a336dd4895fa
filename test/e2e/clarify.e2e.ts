import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { card, meetingCard, REPLY_TIMEOUT_IN_MS, sendChatMessage, signedInScenario } from './support/playground';

/** The Playground's clientInfo carries its own process's zone, which this test process shares (same environment). */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

describe('e2e: a time in the past gets a question with real answers (issue #17)', function () {
  const scenario = signedInScenario('clarify');

  it('`meet … yesterday 3pm` offers the next occurrences and a date + time picker; the picker creates the meeting', async function () {
    const s = scenario();
    const { page } = s;
    await sendChatMessage(page, 'meet Retro catch-up yesterday 3pm');
    const question = card(page, 'That time has already passed');
    await question.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await question.scrollIntoViewIfNeeded();
    assert.equal(s.stack.graph.meetings.length, 0, 'no meeting before an answer');

    // The next occurrences: tomorrow 3pm and the same weekday next week are always ahead (today's only before 15:00).
    const now = DateTime.now().setZone(ZONE);
    const tomorrow = now.plus({ days: 1 });
    const nextWeek = now.minus({ days: 1 }).plus({ days: 7 });
    for (const day of [tomorrow, nextWeek]) {
      const label = day.setLocale('en-US').toFormat('ccc, LLL d');
      await question.getByRole('button', { name: new RegExp(`^${label}, 3:00 PM`) }).waitFor();
    }
    await question.getByRole('button', { name: 'Create at this time' }).waitFor();
    await question.getByRole('button', { name: 'Cancel' }).waitFor();
    await s.shot('01-past-time-question');

    const date = tomorrow.toFormat('yyyy-MM-dd');
    await question.getByLabel('Date').fill(date);
    await question.getByLabel('Start time').fill('16:30');
    await s.shot('02-picker-filled');
    await question.getByRole('button', { name: 'Create at this time' }).click();

    const meeting = meetingCard(page, 'Retro catch-up');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await meeting.scrollIntoViewIfNeeded();
    await s.shot('03-meeting-card');
    const created = s.stack.graph.meetings.filter((m) => m.subject === 'Retro catch-up');
    assert.equal(created.length, 1, 'one meeting, with the subject of the original request');
    const expected = DateTime.fromISO(`${date}T16:30`, { zone: ZONE });
    const [write] = s.stack.graph.requests.filter((r) => r.method === 'POST' && /onlineMeetings/.test(r.path));
    assert.equal(
      Date.parse((write!.body as { startDateTime: string }).startDateTime),
      expected.toMillis(),
      'at the picked date and time',
    );
  });
});
