import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import {
  composer,
  joinButton,
  meetingCard,
  openScenario,
  PLAYGROUND_USER,
  REPLY_TIMEOUT_IN_MS,
  signInOverHttp,
  tail,
  type Scenario,
} from './support/playground';

/** Opens the compose box's message-extension menu → Action Command → `createMeeting`, and returns the form dialog. */
async function openCreateMeetingForm(s: Scenario): Promise<Locator> {
  const { page } = s;
  await page.locator('button[aria-label="Trigger Message Extension App"]').first().click();
  await page.getByRole('menuitem', { name: 'Action Command' }).click();
  // The Playground has no manifest: the command id is typed in (design.md §6: `createMeeting`).
  await page.locator('input[placeholder="Input command id or leave blanks"]').fill('createMeeting');
  await s.shot('01-command-id');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Subject' }).waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
  return dialog;
}

async function fillAndSubmit(s: Scenario, dialog: Locator, subject: string): Promise<void> {
  await dialog.getByRole('textbox', { name: 'Subject' }).fill(subject);
  await dialog.getByRole('spinbutton', { name: 'Duration (minutes)' }).fill('45');
  await dialog.getByRole('checkbox', { name: 'Require a passcode' }).check();
  await s.shot('02-form-filled');
  await dialog.locator('.ac-adaptiveCard').getByRole('button', { name: 'Create', exact: true }).click();
}

function logPanel(page: Page): Locator {
  return page.getByText('Log Panel').locator('xpath=../..');
}

describe('e2e: compose extension action command createMeeting in the Agents Playground', function () {
  let scenario: Scenario | undefined;

  before(async function () {
    scenario = await openScenario('compose-extension');
    // Action commands have no SSO (design.md §2); sign-in is not this scenario's subject, so it happens over HTTP.
    await signInOverHttp(scenario.stack, PLAYGROUND_USER);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      console.error(`--- Convene and Playground output (last lines) ---\n${tail(scenario)}`);
    // Leave no dialog open for the next test.
    await scenario?.page.keyboard.press('Escape');
  });

  after(async function () {
    await scenario?.close();
  });

  it('Create inserts the meeting card into the compose box (COMPOSE_SUBMIT_RESULT=insert); Send posts it in the chat', async function () {
    const s = scenario!;
    const { page } = s;
    const dialog = await openCreateMeetingForm(s);
    await fillAndSubmit(s, dialog, 'Quarterly planning');

    // The dev stack runs Convene with COMPOSE_SUBMIT_RESULT=insert: Playground 0.2.28 can't show a botMessagePreview
    // ("not supported yet"), but it inserts a `result` card into the compose box, as Teams does.
    const inserted = meetingCard(composer(page), 'Quarterly planning');
    await inserted.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await dialog.waitFor({ state: 'hidden' });
    await s.shot('03-card-in-compose-box');
    const created = s.stack.graph.meetings.filter((m) => m.subject === 'Quarterly planning');
    assert.equal(created.length, 1, 'submitAction created exactly one meeting');
    const meeting = created[0]!;
    assert.equal(meeting.end - meeting.start, 45n * 60_000n * 10_000n, 'the meeting lasts 45 minutes (ticks)');
    assert.ok(meeting.passcodeRequired, 'the meeting requires a passcode');
    assert.equal(
      await logPanel(page)
        .getByText(/botMessagePreview response from Message Extension app is not supported/)
        .count(),
      0,
      'no preview warning',
    );

    await page.locator('button[aria-label="Send Message"]').first().click();
    await inserted.waitFor({ state: 'detached', timeout: REPLY_TIMEOUT_IN_MS });
    const posted = meetingCard(page, 'Quarterly planning');
    await posted.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await posted.scrollIntoViewIfNeeded();
    await joinButton(posted).waitFor();
    await s.shot('04-card-in-chat');
    const text = await posted.innerText();
    assert.match(text, /Meeting ID/);
    assert.ok(
      text.replace(/\s/g, '').includes(meeting.joinMeetingId),
      `the card shows meeting ID ${meeting.joinMeetingId}:\n${text}`,
    );
    assert.equal(
      s.stack.graph.meetings.filter((m) => m.subject === 'Quarterly planning').length,
      1,
      'sending made no second meeting',
    );
    // The Playground also hands the sent message to Convene (logged as `message 200` once the turn is over, so after
    // any reply): Convene doesn't answer a message that is only a card.
    await logPanel(page).getByText('message 200', { exact: true }).waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    assert.equal(
      await page.getByText("I didn't understand that").count(),
      0,
      'no "didn\'t understand" reply to the sent card',
    );
  });
});
