import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCREENSHOT_DIR } from './support/browser';
import { meetingCard, REPLY_TIMEOUT_IN_MS, sendChatMessage, signedInScenario } from './support/playground';

/** The README's "Using Convene" shows these (issue #15). */
const DOCS_IMAGES = resolve(__dirname, '..', '..', 'docs', 'images');

describe('e2e: a meeting for the whole chat in the Agents Playground (issue #15)', function () {
  const scenario = signedInScenario('whole-chat');

  async function shotForDocs(step: string, docsName: string): Promise<void> {
    await scenario().shot(step);
    // Only on request: a test run must not rewrite the repository's files (CI runs in a clean clone).
    if (process.env['UPDATE_DOCS_IMAGES'] !== '1') return;
    mkdirSync(DOCS_IMAGES, { recursive: true });
    copyFileSync(join(SCREENSHOT_DIR, `${scenario().name}-${step}.png`), join(DOCS_IMAGES, docsName));
  }

  it('the dial-in block is hidden until "Join by phone"; the join link is on the card as text', async function () {
    const { page, stack } = scenario();
    await sendChatMessage(page, 'meet Retro tomorrow 10:30 for 30 min lobby off');
    const meeting = meetingCard(page, 'Retro');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    const stored = stack.graph.meetings.find((m) => m.subject === 'Retro')!;
    await meeting.getByText(stored.joinWebUrl.slice(0, 40), { exact: false }).waitFor();
    await meeting.getByText('Skip the lobby: everyone').waitFor();
    const toll = meeting.getByText('+14255550100');
    assert.equal(await toll.isVisible(), false, 'the phone numbers start hidden');
    await shotForDocs('01-light-card', 'playground-light-card.png');
    await meeting.getByRole('button', { name: 'Join by phone' }).click();
    await toll.waitFor({ state: 'visible' });
    await shotForDocs('02-join-by-phone', 'playground-join-by-phone.png');
    await meeting.getByRole('button', { name: 'Join by phone' }).click();
    await toll.waitFor({ state: 'hidden' });
  });

  // The Playground runs no per-user refresh, so the organizer opens their view with Manage (card-actions.e2e.ts).
  it('a reschedule posts one short notice in the chat besides updating the card', async function () {
    const { page, stack } = scenario();
    await meetingCard(page, 'Retro').getByRole('button', { name: 'Manage' }).click();
    const manage = meetingCard(page, 'Retro');
    await manage.getByRole('button', { name: 'Reschedule' }).waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await manage.getByRole('button', { name: 'Reschedule' }).click();
    await manage.getByLabel('Start time').fill('16:30');
    await manage.getByRole('button', { name: 'Save' }).click();
    const notice = page.getByText(/Ada Lovelace moved\s+Retro\s+to .*4:30 PM/).last();
    await notice.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await notice.scrollIntoViewIfNeeded();
    await shotForDocs('03-change-notice', 'playground-change-notice.png');
    // The log panel and the chat list quote it too; the chat shows it once, with the subject in italics.
    assert.equal(await page.locator('em', { hasText: 'Retro' }).count(), 1, 'one notice for one change');
    assert.equal(
      stack.graph.requests.filter((r) => r.method === 'PATCH' && JSON.stringify(r.body).includes('startDateTime'))
        .length,
      1,
    );
  });

  it('"with everyone" in the group chat invites the chat\'s members from the roster; the card names them', async function () {
    const { page, stack } = scenario();
    await page.getByText('Convene Group Chat').first().click();
    const box = page.locator('[role="textbox"][contenteditable="true"]').first();
    await box.click();
    await box.pressSequentially('@Conv');
    await page
      .getByRole('menu')
      .getByRole('menuitem', { name: /Convene/ })
      .click();
    await box.pressSequentially(' meet Team sync tomorrow 9am with everyone');
    await page.locator('button[aria-label="Send Message"]').first().click();
    const meeting = meetingCard(page, 'Team sync');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await meeting.getByText('Grace Hopper').waitFor();
    await meeting.scrollIntoViewIfNeeded();
    await shotForDocs('04-with-everyone', 'playground-with-everyone.png');
    const stored = stack.graph.meetings.find((m) => m.subject === 'Team sync')!;
    const invited = stored.attendees.map((a) => a.displayName).sort();
    assert.deepEqual(invited, ['Alan Turing', 'Grace Hopper', 'Katherine Johnson', 'Linus Guest', 'Mary Jackson']);
    assert.ok(stored.attendees.every((a) => a.role === 'attendee'));
  });
});
