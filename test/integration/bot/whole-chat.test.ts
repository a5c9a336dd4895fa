import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { LOCAL_TEAM, LOCAL_TENANT_ID, type LocalUser } from '../../../emulators/fixtures';
import { formatDateTime } from '../../../src/i18n';
import type { ConnectorCall } from '../../support/fake-connector';
import {
  ADA,
  ALAN,
  type ConversationKind,
  GRACE,
  invokeActivity,
  KATHERINE,
  LINUS,
  messageActivity,
  signedInHarness,
} from '../../support/harness';

const ZONE = 'America/Los_Angeles';

type Json = Record<string, unknown>;
interface GraphAttendee {
  identity: { user: { id: string } };
  role: string;
}

/** Issue #15 over HTTP: `with everyone` invites the roster; meeting options reach Graph as the documented fields. */
describe('meetings for the whole chat (HTTP, stand-ins over real HTTP)', () => {
  const h = signedInHarness(ADA);

  const writes = () => h.graph.requests.filter((r) => r.method !== 'GET');
  const cardMessage = () => h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));

  describe('with everyone', () => {
    it('group chat: invites the chat roster (not the organizer); a guest is an attendee; the card names them', async () => {
      await h.post(
        messageActivity(h, `meet Sprint review with everyone tomorrow 3pm <at>${LINUS.name}</at> as presenter`, {
          kind: 'groupChat',
          mentions: [LINUS],
        }),
      );
      const card = await cardMessage();
      const [req] = writes();
      assert.equal(req!.path, '/v1.0/me/onlineMeetings/createOrGet');
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
      for (const name of [GRACE.name, ALAN.name, KATHERINE.name, LINUS.name])
        assert.ok(text.includes(name), `${name} on the card`);
      assert.equal(text.includes(ADA.name + ' (attendee)'), false);
    });

    it('the card refreshes for the invitees too, so each reads the time in their own zone', async () => {
      await h.post(messageActivity(h, 'meet Zones tomorrow 3pm with everyone', { kind: 'groupChat', timeZone: ZONE }));
      const posted = await cardMessage();
      const card = (posted.activity.attachments as { content: Json }[])[0]!.content;
      const refresh = card.refresh as { userIds: string[]; action: { verb: string; data: Json } };
      assert.deepEqual(refresh.userIds, [ADA.id, GRACE.id, ALAN.id, KATHERINE.id, LINUS.id]);
      const value = {
        action: { type: 'Action.Execute', verb: 'refresh', data: refresh.action.data },
        trigger: 'automatic',
      };
      const res = await h.post(
        invokeActivity(h, 'adaptiveCard/action', value, {
          user: GRACE,
          kind: 'groupChat',
          replyToId: posted.id,
          timeZone: 'Asia/Tokyo',
        }),
      );
      const text = JSON.stringify((res.body as { value: Json }).value);
      assert.match(text, /\(GMT\+9\)|\(JST\)/, 'Grace reads the time in Tokyo');
      assert.equal(text.includes('"verb":"cancel"'), false, 'and gets the shared view');
      assert.equal(writes().filter((r) => r.method !== 'POST').length, 0, 'an automatic refresh reads no Graph');
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
      await h.post(
        messageActivity(h, 'meet All hands with everyone tomorrow 10am', {
          kind: 'channel',
          channelId: LOCAL_TEAM.channels[1].id,
        }),
      );
      const card = await cardMessage();
      const attendees = (writes()[0]!.body as { participants: { attendees: GraphAttendee[] } }).participants.attendees;
      assert.equal(attendees.length, 250);
      assert.deepEqual(
        h.connector.rosterRequests.map((r) => r.conversationId),
        [LOCAL_TEAM.id, LOCAL_TEAM.id, LOCAL_TEAM.id],
      );
      assert.match(JSON.stringify(card.activity), /up to 250 people/);
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
      const activity = messageActivity(h, 'meet Design crit tomorrow 2pm lobby off record no chat', {
        kind: 'groupChat',
      });
      await h.post(activity);
      const card = JSON.stringify((await cardMessage()).activity);
      assert.match(card, /Skip the lobby: everyone/, 'the card shows the options Graph now has');
      assert.match(card, /Record automatically/);
      assert.match(card, /Meeting chat: off/);
      assert.deepEqual(
        writes().map((r) => r.method),
        ['POST', 'PATCH'],
      );
      const patch = writes()[1]!;
      assert.ok(patch.path.startsWith('/v1.0/me/onlineMeetings/'));
      assert.equal(patch.headers['prefer'], 'include-unknown-enum-members');
      assert.deepEqual(patch.body, {
        lobbyBypassSettings: { scope: 'everyone' },
        recordAutomatically: true,
        allowMeetingChat: 'disabled',
      });
      const meeting = h.graph.meetings[0]!;
      assert.equal(meeting.settings['recordAutomatically'], true);
      const cardsBefore = h.connector.messages().length;
      // Teams redelivers a slow reply's message: it posts nothing new (issue #14 finding 10) and patches nothing again.
      assert.equal((await h.post(activity)).status, 200);
      await h.app.background.idle();
      assert.equal(h.connector.messages().length, cardsBefore);
      assert.deepEqual(
        writes().map((r) => r.method),
        ['POST', 'PATCH'],
      );
    });

    it('only invited skip the lobby: scope invited (sent with the Prefer header, read back as invited)', async () => {
      await h.post(messageActivity(h, 'meet Board prep tomorrow 4pm only invited skip the lobby'));
      assert.match(JSON.stringify((await cardMessage()).activity), /Skip the lobby: only people who were invited/);
      assert.deepEqual(writes()[1]!.body, { lobbyBypassSettings: { scope: 'invited' } });
      assert.deepEqual(h.graph.meetings[0]!.settings['lobbyBypassSettings'], { scope: 'invited' });
    });

    it('passcode meetings carry the options in the create POST itself (no PATCH)', async () => {
      await h.post(messageActivity(h, 'meet Payroll tomorrow 1pm only I present passcode'));
      await cardMessage();
      assert.deepEqual(
        writes().map((r) => r.method),
        ['POST'],
      );
      const body = writes()[0]!.body as Json;
      assert.equal(body.allowedPresenters, 'organizer');
      assert.deepEqual(body.joinMeetingIdSettings, { isPasscodeRequired: true });
    });
  });

  describe('change notices and the Options form (card buttons)', () => {
    interface Posted {
      readonly cardId: string;
      readonly conversationId: string;
      readonly threadRoot: string | undefined;
      readonly data: { meetingKey: string; version: number };
      readonly meetingId: string;
      readonly kind: ConversationKind;
    }

    async function post(subject: string, kind: ConversationKind): Promise<Posted> {
      await h.post(messageActivity(h, `meet ${subject} tomorrow 3pm`, { kind, timeZone: ZONE }));
      const call = await h.connector.waitForMessage(
        (c) => c.method === 'POST' && JSON.stringify(c.activity).includes('meetup-join'),
      );
      const card = (call.activity.attachments as { content: Json }[])[0]!.content;
      const data = (card.refresh as { action: { data: { meetingKey: string; version: number } } }).action.data;
      return {
        cardId: call.id,
        conversationId: call.conversationId,
        threadRoot: call.activityId,
        data,
        meetingId: h.graph.meetings[0]!.id,
        kind,
      };
    }

    function click(p: Posted, verb: string, inputs: Json = {}, options: { user?: LocalUser; version?: number } = {}) {
      const value = {
        action: {
          type: 'Action.Execute',
          verb,
          data: { ...p.data, ...(options.version ? { version: options.version } : {}), ...inputs },
        },
        trigger: 'manual',
      };
      return h.post(
        invokeActivity(h, 'adaptiveCard/action', value, {
          user: options.user ?? ADA,
          kind: p.kind,
          replyToId: p.cardId,
          timeZone: ZONE,
        }),
      );
    }

    /** Plain-text messages (not cards) Convene posted: the change notices. */
    const notices = (): ConnectorCall[] =>
      h.connector
        .messages()
        .filter((c) => c.method === 'POST' && typeof c.activity.text === 'string' && !c.activity.attachments);

    async function settle(): Promise<void> {
      // Notices and card updates run in the background after the invoke; wait for the card update, then a beat.
      await h.connector.waitForMessage((c) => c.method === 'PUT');
      await new Promise((r) => setTimeout(r, 150));
    }

    it("reschedule in a channel: one notice in the card's thread naming the new time in the organizer's zone; a double click posts none more", async () => {
      const p = await post('Sprint review', 'channel');
      const date = DateTime.now().setZone(ZONE).plus({ days: 2 }).toFormat('yyyy-MM-dd');
      const inputs = { rescheduleDate: date, rescheduleTime: '16:30', rescheduleDuration: '30' };
      const answers = await Promise.all([click(p, 'reschedule', inputs), click(p, 'reschedule', inputs)]);
      for (const a of answers) assert.equal(a.status, 200);
      await settle();
      const start = DateTime.fromISO(`${date}T16:30`, { zone: ZONE }).toUTC().toISO()!;
      const [notice, ...more] = notices();
      assert.ok(notice, 'a notice was posted');
      assert.deepEqual(more, []);
      assert.equal(
        notice.activity.text,
        `Ada Lovelace moved *Sprint review* to ${formatDateTime(start, 'en-US', ZONE)}`,
      );
      assert.match(notice.activity.text as string, /\((PST|PDT)\)$/);
      // The card is a reply to Ada's post (…/activities/<post id>); the notice goes into that post's thread.
      assert.equal(
        notice.conversationId,
        `${p.conversationId};messageid=${p.threadRoot}`,
        'in the same thread as the card',
      );
      // A stale click of the same change (the old version) posts nothing either.
      await click(p, 'reschedule', inputs);
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(notices().length, 1);
    });

    it('rename and cancel in a group chat each post one notice; a refused click (not the organizer) posts none', async () => {
      const p = await post('Old name', 'groupChat');
      assert.equal((await click(p, 'rename', { renameSubject: 'New *name*' }, { user: GRACE })).status, 200);
      assert.equal((await click(p, 'rename', { renameSubject: 'New *name*' })).status, 200);
      await settle();
      assert.deepEqual(
        notices().map((n) => n.activity.text),
        ['Ada Lovelace renamed *Old name* to *New \\*name\\**'],
      );
      h.connector.reset();
      assert.equal((await click(p, 'cancel', {}, { version: 2 })).status, 200);
      await settle();
      assert.deepEqual(
        notices().map((n) => n.activity.text),
        ['Ada Lovelace cancelled *New \\*name\\**'],
      );
    });

    it("Options form: the organizer's choices reach Graph as one PATCH of the v1.0 fields, and everyone hears of it", async () => {
      const p = await post('Quarterly', 'groupChat');
      const form = {
        optLobby: 'invited',
        optDialIn: 'true',
        optPresenters: 'organizer',
        optRecord: 'true',
        optChat: 'limited',
      };
      const res = await click(p, 'options', form);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const answered = JSON.stringify((res.body as { value: Json }).value);
      assert.match(answered, /Options saved/);
      assert.match(answered, /Skip the lobby: only people who were invited/);
      assert.match(answered, /Who can present: only the organizer/);
      const patch = writes().filter((r) => r.method === 'PATCH');
      assert.equal(patch.length, 1);
      assert.deepEqual(patch[0]!.body, {
        lobbyBypassSettings: { scope: 'invited', isDialInBypassEnabled: true },
        allowedPresenters: 'organizer',
        recordAutomatically: true,
        allowMeetingChat: 'limited',
      });
      const stored = h.graph.meetings[0]!.settings;
      assert.deepEqual(stored['lobbyBypassSettings'], { scope: 'invited', isDialInBypassEnabled: true });
      await settle();
      assert.equal(notices().length, 1);
      assert.match(
        notices()[0]!.activity.text as string,
        /changed the options of \*Quarterly\*: Skip the lobby: only people who were invited/,
      );
      // Grace can't change them; the same form again (new version) sends nothing to Graph.
      await click(p, 'options', form, { user: GRACE, version: 2 });
      const again = JSON.stringify(((await click(p, 'options', form, { version: 2 })).body as { value: Json }).value);
      assert.equal(writes().filter((r) => r.method === 'PATCH').length, 1);
      assert.doesNotMatch(again, /Options saved/, 'nothing changed, nothing is said to have changed');
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(notices().length, 1, 'and no notice');
    });

    it("Options form: refuses values outside Graph's enums with 400", async () => {
      const p = await post('Bad options', 'groupChat');
      const res = await click(p, 'options', { optLobby: 'nobody' });
      assert.equal(res.status, 400);
      assert.equal(writes().filter((r) => r.method === 'PATCH').length, 0);
    });
  });
});
