import assert from 'node:assert/strict';
import { LOCAL_TEAM, LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import { ADA, ALAN, GRACE, KATHERINE, LINUS, messageActivity, signIn, startHarness, type Harness } from '../../support/harness';

type Json = Record<string, unknown>;
interface GraphAttendee {
  identity: { user: { id: string } };
  role: string;
}

/** Issue #15 over HTTP: `with everyone` invites the roster; meeting options reach Graph as the documented fields. */
describe('meetings for the whole chat (HTTP, stand-ins over real HTTP)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' } });
    await signIn(h, ADA);
  });
  after(async () => h.close());
  beforeEach(() => {
    h.graph.reset();
    h.connector.reset();
  });

  const writes = () => h.graph.requests.filter((r) => r.method !== 'GET');
  const cardMessage = () => h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));

  describe('with everyone', () => {
    it('group chat: invites the chat roster (not the organizer); a guest is an attendee; the card names them', async () => {
      await h.post(messageActivity(h, `meet Sprint review with everyone tomorrow 3pm <at>${LINUS.name}</at> as presenter`, {
        kind: 'groupChat',
        mentions: [LINUS],
      }));
      const card = await cardMessage();
      const [req] = writes();
      assert.equal(req!.path, '/beta/me/onlineMeetings/createOrGet');
      const attendees = (req!.body as { participants: { attendees: GraphAttendee[] } }).participants.attendees;
      const roles = Object.fromEntries(attendees.map((a) => [a.identity.user.id, a.role]));
      assert.deepEqual(roles, {
        [LINUS.aadObjectId]: 'attendee',
        [GRACE.aadObjectId]: 'attendee',
        [ALAN.aadObjectId]: 'attendee',
        [KATHERINE.aadObjectId]: 'attendee',
      });
      assert.equal((req!.body as Json).subject, 'Sprint review');
      const text = JSON.stringify(card.activity);
      for (const name of [GRACE.name, ALAN.name, KATHERINE.name, LINUS.name]) assert.ok(text.includes(name), `${name} on the card`);
      assert.equal(text.includes(ADA.name + ' (attendee)'), false);
    });

    it('channel: pages through the team roster and invites at most 250 people', async () => {
      const big = Array.from({ length: 300 }, (_, i) => ({
        id: `29:member-${i}`,
        name: `Member ${i}`,
        aadObjectId: `b2b2b2b2-0000-4000-8000-${String(i).padStart(12, '0')}`,
        tenantId: LOCAL_TENANT_ID,
        userRole: 'user',
      }));
      h.connector.setRoster(big);
      await h.post(messageActivity(h, 'meet All hands with everyone tomorrow 10am', { kind: 'channel', channelId: LOCAL_TEAM.channels[1].id }));
      const card = await cardMessage();
      const attendees = (writes()[0]!.body as { participants: { attendees: GraphAttendee[] } }).participants.attendees;
      assert.equal(attendees.length, 250);
      assert.deepEqual(h.connector.rosterRequests.map((r) => r.conversationId), [LOCAL_TEAM.id, LOCAL_TEAM.id, LOCAL_TEAM.id]);
      void card;
    });

    it('personal chat: nobody else to invite, the meeting is still made', async () => {
      await h.post(messageActivity(h, 'meet Focus time with everyone tomorrow 8am'));
      await cardMessage();
      assert.equal((writes()[0]!.body as Json).participants, undefined);
      assert.equal(h.connector.rosterRequests.length, 0);
    });
  });

  describe('meeting options from words', () => {
    it('lobby off, record, no chat: createOrGet, then one PATCH with the v1.0 fields; a redelivery makes no second PATCH', async () => {
      const activity = messageActivity(h, 'meet Design crit tomorrow 2pm lobby off record no chat', { kind: 'groupChat' });
      await h.post(activity);
      await cardMessage();
      assert.deepEqual(writes().map((r) => r.method), ['POST', 'PATCH']);
      const patch = writes()[1]!;
      assert.ok(patch.path.startsWith('/beta/me/onlineMeetings/'));
      assert.equal(patch.headers['prefer'], 'include-unknown-enum-members');
      assert.deepEqual(patch.body, { lobbyBypassSettings: { scope: 'everyone' }, recordAutomatically: true, allowMeetingChat: 'disabled' });
      const meeting = h.graph.meetings[0]!;
      assert.equal(meeting.settings['recordAutomatically'], true);
      await h.post(activity);
      await h.connector.waitForMessage((c) => h.connector.messages().indexOf(c) >= 1 && JSON.stringify(c.activity).includes('meetup-join'));
      assert.deepEqual(writes().map((r) => r.method), ['POST', 'PATCH', 'POST']);
    });

    it('only invited skip the lobby: scope invited (sent with the Prefer header, read back as invited)', async () => {
      await h.post(messageActivity(h, 'meet Board prep tomorrow 4pm only invited skip the lobby'));
      await cardMessage();
      assert.deepEqual(writes()[1]!.body, { lobbyBypassSettings: { scope: 'invited' } });
      assert.deepEqual(h.graph.meetings[0]!.settings['lobbyBypassSettings'], { scope: 'invited' });
    });

    it('passcode meetings carry the options in the create POST itself (no PATCH)', async () => {
      await h.post(messageActivity(h, 'meet Payroll tomorrow 1pm only I present passcode'));
      await cardMessage();
      assert.deepEqual(writes().map((r) => r.method), ['POST']);
      const body = writes()[0]!.body as Json;
      assert.equal(body.allowedPresenters, 'organizer');
      assert.deepEqual(body.joinMeetingIdSettings, { isPasscodeRequired: true });
    });
  });
});
