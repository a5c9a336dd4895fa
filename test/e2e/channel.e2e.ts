import assert from 'node:assert/strict';
import { LOCAL_TEAM } from '../../emulators/fixtures';
import {
  card,
  joinButton,
  meetingCard,
  openScenario,
  PLAYGROUND_USER,
  postChannelMention,
  REPLY_TIMEOUT_IN_MS,
  signInThroughPopup,
  tail,
  type Scenario,
} from './support/playground';

const PLANNING = LOCAL_TEAM.channels[1];

describe('e2e: channel @mention in the Agents Playground', function () {
  let scenario: Scenario | undefined;

  before(async function () {
    scenario = await openScenario('channel');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      console.error(`--- Convene and Playground output (last lines) ---\n${tail(scenario)}`);
  });

  after(async function () {
    await scenario?.close();
  });

  it('answers "@Convene meet planning sync tomorrow 10am" in the Planning channel with the meeting card in the same thread', async function () {
    const s = scenario!;
    const { page } = s;
    await page.getByRole('treeitem', { name: `${LOCAL_TEAM.name} - ${PLANNING.name}` }).click();
    await page.getByText('Start a new post').waitFor();
    await s.shot('01-planning-channel');

    await postChannelMention(page, 'meet planning sync tomorrow 10am');
    // A channel post and its replies form one group; Convene must answer inside it, not as a new post.
    const thread = page.getByRole('group').filter({ hasText: 'meet planning sync tomorrow 10am' }).last();
    await thread.waitFor();

    // With TEAMS_SSO=false (npm run dev) the prompt is a link card in the thread that only the requester can finish.
    const signIn = card(thread, 'Sign in to Convene');
    await signIn.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await s.shot('02-sign-in-card');
    const popup = await signInThroughPopup(s, signIn, PLAYGROUND_USER, '03');

    const meeting = meetingCard(thread, 'planning sync');
    await meeting.waitFor({ timeout: REPLY_TIMEOUT_IN_MS });
    await meeting.scrollIntoViewIfNeeded();
    await s.shot('04-meeting-card-in-thread');
    await popup.close();

    await joinButton(meeting).waitFor();
    const stored = s.stack.graph.meetings;
    assert.equal(stored.length, 1, 'exactly one meeting was created in the Graph stand-in');
    const created = stored[0]!;
    assert.match(created.subject ?? '', /^planning sync$/i);
    assert.equal(
      created.chatInfo.threadId,
      PLANNING.id,
      'the meeting is bound to the Planning channel (chatInfo.threadId)',
    );
    assert.ok(
      (await meeting.innerText()).replace(/\s/g, '').includes(created.joinMeetingId),
      'the card shows the meeting ID',
    );
  });
});
