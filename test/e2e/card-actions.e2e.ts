import assert from 'node:assert/strict';
import { meetingCard, openScenario, PLAYGROUND_USER, REPLY_TIMEOUT_IN_MS, sendChatMessage, signInOverHttp, tail, type Scenario } from './support/playground';

describe('e2e: meeting card buttons in the Agents Playground', function () {
  let scenario: Scenario | undefined;

  before(async function () {
    scenario = await openScenario('card-actions');
    await signInOverHttp(scenario.stack, PLAYGROUND_USER);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`--- Convene and Playground output (last lines) ---\n${tail(scenario)}`);
  });

  after(async function () {
    await scenario?.close();
  });

  // Pending: the Reschedule/Cancel/Rename buttons are only in the organizer's view, which Convene delivers through
  // the card's automatic refresh (refresh.userIds, design.md §7). Playground 0.2.28 does not support user-specific
  // views ("User specific view is not supported yet in Microsoft 365 Agents playground"), so it shows the shared
  // card without buttons. Enable when the Playground runs the refresh, or if the shared card gets the buttons.
  it.skip('Reschedule on the card moves the meeting and updates the card in place', async function () {
    const s = scenario!;
    const { page } = s;
    await sendChatMessage(page, 'meet Design sync tomorrow 10:30 for 30 min');
    const meeting = meetingCard(page, 'Design sync');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await s.shot('01-meeting-card');

    await meeting.getByRole('button', { name: 'Reschedule' }).click();
    await meeting.getByLabel('Start time').fill('11:30');
    await s.shot('02-reschedule-form');
    await meeting.getByRole('button', { name: 'Save' }).click();

    const updated = page.locator('.ac-adaptiveCard').filter({ hasText: 'Rescheduled' }).filter({ hasText: 'Design sync' }).last();
    await updated.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await s.shot('03-rescheduled');
    const stored = s.stack.graph.meetings.filter((m) => m.subject === 'Design sync');
    assert.equal(stored.length, 1, 'rescheduling moves the meeting, it does not create another one');
    assert.match(await updated.innerText(), /11:30/);
  });
});
