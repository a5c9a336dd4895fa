import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { meetingCard, openScenario, PLAYGROUND_USER, REPLY_TIMEOUT_IN_MS, signInOverHttp, tail, type Scenario } from './support/playground';

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
    if (this.currentTest?.state === 'failed') console.error(`--- Convene and Playground output (last lines) ---\n${tail(scenario)}`);
    // Leave no dialog open for the next test.
    await scenario?.page.keyboard.press('Escape');
  });

  after(async function () {
    await scenario?.close();
  });

  it('fetchTask shows the meeting form; Create reaches Convene, which creates the meeting and answers with a preview', async function () {
    const s = scenario!;
    const dialog = await openCreateMeetingForm(s);
    await fillAndSubmit(s, dialog, 'Roadmap review');

    // Playground 0.2.28 cannot show a botMessagePreview (it logs that it is not supported, and the dialog says
    // "Unable to reach app"), so this test stops at what it can see: the warning and the meeting in Graph.
    await logPanel(s.page).getByText(/botMessagePreview response from Message Extension app is not supported/).waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await s.shot('03-preview-not-supported');
    const created = s.stack.graph.meetings.filter((m) => m.subject === 'Roadmap review');
    assert.equal(created.length, 1, 'submitAction created exactly one meeting');
    assert.equal(created[0]!.end - created[0]!.start, 45n * 60_000n * 10_000n, 'the meeting lasts 45 minutes (ticks)');
    assert.ok(created[0]!.passcodeRequired, 'the meeting requires a passcode');
  });

  // Pending: the Agents Playground 0.2.28 answers a botMessagePreview with "not supported yet" (its bundle:
  // ME.Action.BotMessagePreview.NotSupported), so there is no preview to send. Enable with a Playground that
  // supports botMessagePreview, or if Convene adds a `result` (card inserted into the compose box) fallback.
  it.skip('Create, then Send on the preview, posts the meeting card in the chat', async function () {
    const s = scenario!;
    const dialog = await openCreateMeetingForm(s);
    await fillAndSubmit(s, dialog, 'Quarterly planning');
    await s.page.getByRole('button', { name: 'Send', exact: true }).click();
    const meeting = meetingCard(s.page, 'Quarterly planning');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await meeting.scrollIntoViewIfNeeded();
    await s.shot('04-card-in-chat');
    assert.equal(s.stack.graph.meetings.filter((m) => m.subject === 'Quarterly planning').length, 1);
  });
});
