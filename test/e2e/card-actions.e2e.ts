import assert from 'node:assert/strict';
import { meetingCard, REPLY_TIMEOUT_IN_MS, sendChatMessage, signedInScenario } from './support/playground';

describe('e2e: meeting card buttons in the Agents Playground', function () {
  const scenario = signedInScenario('card-actions');

  // Playground 0.2.28 doesn't run the per-user refresh that gives the organizer their view in Teams ("User specific
  // view is not supported yet"), so the organizer opens it with the shared card's Manage button, as in any client
  // without automatic refresh.
  it('Manage, then Reschedule on the card moves the meeting and updates the card in place', async function () {
    const s = scenario();
    const { page } = s;
    await sendChatMessage(page, 'meet Design sync tomorrow 10:30 for 30 min');
    const meeting = meetingCard(page, 'Design sync');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await s.shot('01-meeting-card');

    await meeting.getByRole('button', { name: 'Manage' }).click();
    const manage = meetingCard(page, 'Design sync');
    await manage.getByRole('button', { name: 'Reschedule' }).waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await manage.getByRole('button', { name: 'Reschedule' }).click();
    await manage.getByLabel('Start time').fill('11:30');
    await s.shot('02-reschedule-form');
    await manage.getByRole('button', { name: 'Save' }).click();

    // The clicker's card answers at once; then the posted card is updated for everyone (both show the new time).
    const moved = meetingCard(page, 'Design sync').filter({ hasText: '11:30' }).last();
    await moved.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await moved.scrollIntoViewIfNeeded();
    await s.shot('03-rescheduled');
    const stored = s.stack.graph.meetings.filter((m) => m.subject === 'Design sync');
    assert.equal(stored.length, 1, 'rescheduling moves the meeting, it does not create another one');
    const patches = s.stack.graph.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'one PATCH for one click');
  });
});
