import assert from 'node:assert/strict';
import {
  card,
  joinButton,
  meetingCard,
  openScenario,
  PLAYGROUND_USER,
  REPLY_TIMEOUT_IN_MS,
  sendChatMessage,
  signInThroughPopup,
  tail,
  type Scenario,
} from './support/playground';

describe('e2e: personal chat in the Agents Playground', function () {
  let scenario: Scenario | undefined;

  before(async function () {
    scenario = await openScenario('personal-chat');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      console.error(`--- Convene and Playground output (last lines) ---\n${tail(scenario)}`);
  });

  after(async function () {
    await scenario?.close();
  });

  it('asks to sign in, signs in through the Entra stand-in popup, then shows the meeting card with join link, meeting ID and passcode', async function () {
    const s = scenario!;
    const { page } = s;
    await s.shot('01-opened');

    await sendChatMessage(page, 'meet Sprint review tomorrow 3pm for 45 min passcode');
    const signIn = card(page, 'Sign in to Convene');
    await signIn.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await s.shot('02-sign-in-card');

    // The link is bound to the Teams user who asked (Ada, the Playground's currentUser); the stand-in lists everyone.
    const popup = await signInThroughPopup(s, signIn, PLAYGROUND_USER, '03');

    // The kept request completes by a proactive message in the same chat: nobody retypes the command.
    const meeting = meetingCard(page, 'Sprint review');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await meeting.scrollIntoViewIfNeeded();
    await s.shot('04-meeting-card');
    await popup.close();

    await joinButton(meeting).waitFor();
    const text = await meeting.innerText();
    const stored = s.stack.graph.meetings;
    assert.equal(stored.length, 1, 'exactly one meeting was created in the Graph stand-in');
    const created = stored[0]!;
    assert.equal(created.subject, 'Sprint review');
    assert.equal(created.organizer.id, PLAYGROUND_USER.aadObjectId);
    assert.ok(created.passcodeRequired && created.passcode, 'the meeting requires a passcode');
    assert.match(text, /Meeting ID/);
    assert.ok(
      text.replace(/\s/g, '').includes(created.joinMeetingId),
      `the card shows meeting ID ${created.joinMeetingId}:\n${text}`,
    );
    assert.match(text, /Passcode/);
    assert.ok(text.includes(created.passcode), 'the card shows the passcode');
    assert.equal(created.end - created.start, 45n * 60_000n * 10_000n, 'the meeting lasts 45 minutes (ticks)');
  });
});
