import assert from 'node:assert/strict';
import {
  ADA,
  completeSignInLink,
  messageActivity,
  signInLinkFrom,
  startHarness,
  type Harness,
} from '../../support/harness';

describe('smoke: personal chat', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' } });
  });
  after(async () => h.close());

  it('asks a new user to sign in, then creates the meeting without retyping', async () => {
    const res = await h.post(messageActivity(h, 'meet Sprint review tomorrow 3pm for 45 min passcode'));
    assert.equal(res.status, 200);
    const prompt = await h.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
    const link = signInLinkFrom(prompt.activity)!;
    const outcome = await completeSignInLink(link, ADA);
    assert.equal(outcome.status, 200, outcome.page);
    const card = await h.connector.waitForMessage((c) =>
      JSON.stringify(c.activity).includes('teams.microsoft.com/l/meetup-join'),
    );
    const meeting = h.graph.meetings[0]!;
    assert.ok(meeting.passcode);
    assert.ok(JSON.stringify(card.activity).includes(meeting.passcode));
    assert.ok(JSON.stringify(card.activity).includes(meeting.joinWebUrl));
  });
});
