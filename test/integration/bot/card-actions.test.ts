import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import ical from 'node-ical';
import { LOCAL_APP_ID_URI } from '../../../emulators/fixtures';
import { formatMeetingTime } from '../../../src/i18n';
import {
  ADA,
  GRACE,
  invokeActivity,
  messageActivity,
  signIn,
  startHarness,
  type ConversationKind,
  type Harness,
} from '../../support/harness';
import type { LocalUser } from '../../../emulators/fixtures';

const ZONE = 'America/Los_Angeles';

interface PostedCard {
  readonly cardId: string;
  readonly card: Record<string, unknown>;
  readonly data: { meetingKey: string; version: number };
  readonly meetingId: string;
  readonly kind: ConversationKind;
}

type Json = Record<string, unknown>;

function cardOf(activity: Json): Json {
  return (activity.attachments as { content: Json }[])[0]!.content;
}

function refreshData(card: Json): { meetingKey: string; version: number } {
  return (card.refresh as { action: { data: { meetingKey: string; version: number } } }).action.data;
}

function hasManageButtons(card: Json): boolean {
  return JSON.stringify(card.actions ?? []).includes('"verb":"cancel"');
}

describe('card buttons (adaptiveCard/action through the real server)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'true' } });
    await signIn(h, ADA);
  });
  after(async () => h.close());

  /** Ada asks for a meeting; returns the card Convene posted. */
  async function postMeeting(subject: string, kind: ConversationKind = 'groupChat'): Promise<PostedCard> {
    const before = h.connector.messages().length;
    const res = await h.post(messageActivity(h, `meet ${subject} tomorrow 3pm for 45 min`, { kind, timeZone: ZONE }));
    assert.equal(res.status, 200);
    const call = await h.connector.waitForMessage(
      (c) =>
        h.connector.messages().indexOf(c) >= before &&
        c.method === 'POST' &&
        JSON.stringify(c.activity).includes(subject) &&
        JSON.stringify(c.activity).includes('meetup-join'),
    );
    const card = cardOf(call.activity);
    const meeting = h.graph.meetings.find((m) => m.subject === subject)!;
    return { cardId: call.id, card, data: refreshData(card), meetingId: meeting.id, kind };
  }

  async function click(
    posted: PostedCard,
    verb: string,
    inputs: Json = {},
    options: { user?: LocalUser; trigger?: string; token?: string; data?: Json } = {},
  ) {
    const value = {
      action: { type: 'Action.Execute', verb, data: { ...(options.data ?? posted.data), ...inputs } },
      trigger: options.trigger ?? 'manual',
      ...(options.token ? { authentication: { id: 'x', connectionName: '', token: options.token } } : {}),
    };
    return h.post(
      invokeActivity(h, 'adaptiveCard/action', value, {
        user: options.user ?? ADA,
        kind: posted.kind,
        replyToId: posted.cardId,
        timeZone: ZONE,
      }),
    );
  }

  function graphCallsFor(meetingId: string) {
    const id = encodeURIComponent(meetingId);
    return h.graph.requests.filter((r) => r.path.includes(id) || r.path.includes(meetingId));
  }

  function answeredCard(res: { status: number; body: unknown }): Json {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body as { statusCode: number; type: string; value: Json };
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    return body.value;
  }

  function dayAfterTomorrow(): string {
    return DateTime.now().setZone(ZONE).plus({ days: 2 }).toFormat('yyyy-MM-dd');
  }

  it('posts the card for everyone with the organizer in refresh.userIds and an .ics link', async () => {
    const posted = await postMeeting('Views check');
    assert.deepEqual((posted.card.refresh as { userIds: string[] }).userIds, [ADA.id]);
    assert.equal(hasManageButtons(posted.card), false);
    assert.match(JSON.stringify(posted.card), /\/meetings\/[^"]+\.ics/);
  });

  it('reschedule by the organizer: one PATCH with start and end, organizer view back, posted card updated for everyone', async () => {
    const posted = await postMeeting('Reschedule me');
    const date = dayAfterTomorrow();
    const start = DateTime.fromISO(`${date}T10:00`, { zone: ZONE }).toUTC();
    const res = await click(posted, 'reschedule', {
      rescheduleDate: date,
      rescheduleTime: '10:00',
      rescheduleDuration: '60',
    });
    const card = answeredCard(res);
    const calls = graphCallsFor(posted.meetingId);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['PATCH'],
    );
    assert.deepEqual(calls[0]!.body, { startDateTime: start.toISO(), endDateTime: start.plus({ hours: 1 }).toISO() });
    assert.ok(hasManageButtons(card));
    assert.ok(JSON.stringify(card).includes('Rescheduled'));
    assert.equal(refreshData(card).version, 2);
    const when = formatMeetingTime(start.toISO()!, start.plus({ hours: 1 }).toISO()!, 'en-US', ZONE);
    const put = await h.connector.waitForMessage(
      (c) => c.method === 'PUT' && c.activityId === posted.cardId && JSON.stringify(c.activity).includes(when),
    );
    assert.equal(hasManageButtons(cardOf(put.activity)), false, 'everyone sees the shared view');
  });

  it('Manage (for clients without per-user refresh): the organizer gets their view from the record, others are told no; no Graph call', async () => {
    const posted = await postMeeting('Manage by hand');
    assert.ok(JSON.stringify(posted.card.actions).includes('"verb":"manage"'));
    const mine = answeredCard(await click(posted, 'manage'));
    assert.ok(hasManageButtons(mine));
    const theirs = answeredCard(await click(posted, 'manage', {}, { user: GRACE }));
    assert.equal(hasManageButtons(theirs), false);
    assert.match(JSON.stringify(theirs), /Only the organizer/);
    assert.equal(graphCallsFor(posted.meetingId).length, 0);
  });

  it('rename by the organizer: PATCH subject only', async () => {
    const posted = await postMeeting('Old name');
    const card = answeredCard(await click(posted, 'rename', { renameSubject: 'New name' }));
    const calls = graphCallsFor(posted.meetingId);
    assert.deepEqual(
      calls.map((c) => [c.method, c.body]),
      [['PATCH', { subject: 'New name' }]],
    );
    assert.ok(JSON.stringify(card).includes('New name'));
    await h.connector.waitForMessage(
      (c) => c.method === 'PUT' && c.activityId === posted.cardId && JSON.stringify(c.activity).includes('New name'),
    );
  });

  it('cancel by the organizer: DELETE, the card says cancelled and its buttons go', async () => {
    const posted = await postMeeting('Cancel me');
    const card = answeredCard(await click(posted, 'cancel'));
    assert.deepEqual(
      graphCallsFor(posted.meetingId).map((c) => c.method),
      ['DELETE'],
    );
    assert.ok(JSON.stringify(card).includes('Cancelled: Cancel me'));
    assert.equal(hasManageButtons(card), false);
    assert.ok(!JSON.stringify(card).includes('meetup-join'), 'no Join on a cancelled meeting');
    await h.connector.waitForMessage(
      (c) =>
        c.method === 'PUT' &&
        c.activityId === posted.cardId &&
        JSON.stringify(c.activity).includes('Cancelled: Cancel me'),
    );
  });

  it('cancel then reschedule: refused with a clear card, no PATCH', async () => {
    const posted = await postMeeting('Cancel then move');
    answeredCard(await click(posted, 'cancel'));
    const card = answeredCard(
      await click(
        posted,
        'reschedule',
        { rescheduleDate: dayAfterTomorrow(), rescheduleTime: '09:00', rescheduleDuration: '30' },
        { data: { ...posted.data, version: 2 } },
      ),
    );
    assert.deepEqual(
      graphCallsFor(posted.meetingId).map((c) => c.method),
      ['DELETE'],
    );
    assert.ok(JSON.stringify(card).includes("This meeting was cancelled, so it can't be changed."));
  });

  it('manual refresh by the organizer reads Graph; an automatic refresh makes no Graph call', async () => {
    const posted = await postMeeting('Refresh me');
    const auto = answeredCard(await click(posted, 'refresh', {}, { trigger: 'automatic' }));
    assert.equal(graphCallsFor(posted.meetingId).length, 0);
    assert.ok(hasManageButtons(auto), 'the organizer gets their view on automatic refresh');
    const autoOther = answeredCard(await click(posted, 'refresh', {}, { trigger: 'automatic', user: GRACE }));
    assert.equal(hasManageButtons(autoOther), false);
    assert.equal(graphCallsFor(posted.meetingId).length, 0);
    answeredCard(await click(posted, 'refresh'));
    assert.deepEqual(
      graphCallsFor(posted.meetingId).map((c) => c.method),
      ['GET'],
    );
  });

  it('newLike: creates one new meeting with the same subject at the new time, even when clicked twice', async () => {
    const posted = await postMeeting('Weekly sync');
    const inputs = { newLikeDate: dayAfterTomorrow(), newLikeTime: '11:00', newLikeDuration: '45' };
    const [a, b] = await Promise.all([click(posted, 'newLike', inputs), click(posted, 'newLike', inputs)]);
    answeredCard(a);
    answeredCard(b);
    const copies = h.graph.meetings.filter((m) => m.subject === 'Weekly sync');
    assert.equal(copies.length, 2, 'the original and one copy');
    const start = DateTime.fromISO(`${inputs.newLikeDate}T11:00`, { zone: ZONE }).toUTC();
    const creates = h.graph.requests.filter(
      (r) =>
        r.method === 'POST' &&
        (r.body as Json)?.subject === 'Weekly sync' &&
        (r.body as Json).startDateTime === start.toISO(),
    );
    assert.ok(creates.length >= 1);
    const newCards = h.connector
      .messages()
      .filter((c) => c.method === 'POST' && JSON.stringify(c.activity).includes('Weekly sync'));
    assert.equal(newCards.length, 2, 'the original card and one new card');
  });

  it('every verb by someone else: their shared view with "only the organizer", and no Graph call at all', async () => {
    const posted = await postMeeting('Not yours');
    const verbs: [string, Json][] = [
      ['reschedule', { rescheduleDate: dayAfterTomorrow(), rescheduleTime: '10:00', rescheduleDuration: '30' }],
      ['rename', { renameSubject: 'Hijacked' }],
      ['cancel', {}],
      ['refresh', {}],
      ['newLike', { newLikeDate: dayAfterTomorrow(), newLikeTime: '10:00', newLikeDuration: '30' }],
    ];
    const requestsBefore = h.graph.requests.length;
    for (const [verb, inputs] of verbs) {
      const card = answeredCard(await click(posted, verb, inputs, { user: GRACE }));
      assert.ok(JSON.stringify(card).includes('Only the organizer can change this meeting.'), verb);
      assert.equal(hasManageButtons(card), false, verb);
    }
    assert.equal(h.graph.requests.length, requestsBefore, 'Graph was never called');
  });

  it('double click: two identical concurrent invokes make one PATCH and one DELETE', async () => {
    const posted = await postMeeting('Double click');
    const inputs = { rescheduleDate: dayAfterTomorrow(), rescheduleTime: '13:00', rescheduleDuration: '30' };
    const moved = await Promise.all([click(posted, 'reschedule', inputs), click(posted, 'reschedule', inputs)]);
    moved.forEach(answeredCard);
    assert.deepEqual(
      graphCallsFor(posted.meetingId).map((c) => c.method),
      ['PATCH'],
    );
    const v2 = { ...posted.data, version: 2 };
    const cancelled = await Promise.all([
      click(posted, 'cancel', {}, { data: v2 }),
      click(posted, 'cancel', {}, { data: v2 }),
    ]);
    cancelled.forEach(answeredCard);
    assert.deepEqual(
      graphCallsFor(posted.meetingId).map((c) => c.method),
      ['PATCH', 'DELETE'],
    );
    // A retried invoke with the old version after the change: the current card, no second call.
    const stale = answeredCard(await click(posted, 'reschedule', inputs));
    assert.ok(JSON.stringify(stale).includes('Cancelled: Double click'));
    assert.deepEqual(
      graphCallsFor(posted.meetingId).map((c) => c.method),
      ['PATCH', 'DELETE'],
    );
  });

  it('tampered data pointing at another meeting is refused (400), and malformed values are 400, never 500', async () => {
    const a = await postMeeting('Card A');
    const b = await postMeeting('Card B');
    const before = h.graph.requests.length;
    const res = await click(a, 'cancel', {}, { data: b.data });
    assert.equal(res.status, 400);
    assert.equal((res.body as { type: string }).type, 'application/vnd.microsoft.error');
    const malformed = [
      await click(a, 'reschedule', { rescheduleDate: 'next week', rescheduleTime: '10:00' }),
      await click(a, 'rename', { renameSubject: 42 }),
      await click(a, 'cancel', {}, { data: { meetingKey: '../../etc', version: 1 } }),
      await click(a, 'cancel', {}, { data: { meetingKey: a.data.meetingKey, version: 'x' } }),
    ];
    for (const r of malformed) {
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal((r.body as { type: string }).type, 'application/vnd.microsoft.error');
    }
    assert.equal(h.graph.requests.length, before);
    assert.equal(h.graph.meetings.find((m) => m.subject === 'Card B')!.subject, 'Card B');
  });

  it('serves an .ics that parses and matches the meeting', async () => {
    const posted = await postMeeting('Calendar me');
    const url = /"(http[^"]+\/meetings\/[^"]+\.ics)"/.exec(JSON.stringify(posted.card))![1]!;
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
    const text = await res.text();
    assert.match(text, /METHOD:PUBLISH/);
    const events = Object.values(ical.sync.parseICS(text)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
    assert.equal(events.length, 1);
    const event = events[0]!;
    const meeting = h.graph.meetings.find((m) => m.subject === 'Calendar me')!;
    assert.equal(String(event.summary), 'Calendar me');
    const created = h.graph.requests.find((r) => r.method === 'POST' && (r.body as Json)?.subject === 'Calendar me')!
      .body as Json;
    assert.equal((event.start as Date).getTime(), Date.parse(String(created.startDateTime)));
    assert.equal((event.end as Date).getTime(), Date.parse(String(created.endDateTime)));
    assert.ok(String(event.description).includes(meeting.joinWebUrl));
    const tampered = await fetch(url.replace(/\.ics$/, 'x.ics'));
    assert.equal(tampered.status, 404);
  });

  describe('sign-in', () => {
    it('chat: 401 loginRequest with tokenExchangeResource, then the re-sent invoke with authentication.token works', async () => {
      const posted = await postMeeting('Sign in chat');
      await h.post(messageActivity(h, 'signout', { kind: 'personal' }));
      const res = await click(posted, 'rename', { renameSubject: 'Renamed after SSO' });
      assert.equal(res.status, 401);
      const body = res.body as {
        statusCode: number;
        type: string;
        value: { tokenExchangeResource?: { id: string; uri: string }; buttons: { type: string; value: string }[] };
      };
      assert.equal(body.statusCode, 401);
      assert.equal(body.type, 'application/vnd.microsoft.activity.loginRequest');
      assert.equal(body.value.tokenExchangeResource?.uri, LOCAL_APP_ID_URI);
      assert.ok(body.value.tokenExchangeResource?.id);
      assert.equal(body.value.buttons[0]!.type, 'signin');
      assert.match(body.value.buttons[0]!.value, /\/auth\/start\?t=/);
      assert.equal(graphCallsFor(posted.meetingId).length, 0);
      const token = h.entra.mintSsoToken({ oid: ADA.aadObjectId });
      const card = answeredCard(await click(posted, 'rename', { renameSubject: 'Renamed after SSO' }, { token }));
      assert.ok(JSON.stringify(card).includes('Renamed after SSO'));
      assert.deepEqual(
        graphCallsFor(posted.meetingId).map((c) => c.method),
        ['PATCH'],
      );
    });

    it("an SSO token Convene cannot use (another account's) answers 412, so Teams falls back to its sign-in button", async () => {
      const posted = await postMeeting('Sign in wrong token');
      await h.post(messageActivity(h, 'signout', { kind: 'personal' }));
      const token = h.entra.mintSsoToken({ oid: GRACE.aadObjectId });
      const res = await click(posted, 'rename', { renameSubject: 'Never applied' }, { token });
      assert.equal(res.status, 412);
      const body = res.body as { statusCode: number; type: string; value: { code: string; message: string } };
      assert.equal(body.type, 'application/vnd.microsoft.error.preconditionFailed');
      assert.match(body.value.message, /isn't the one you use in Teams/);
      assert.equal(graphCallsFor(posted.meetingId).length, 0);
    });

    it('channel: 401 loginRequest without tokenExchangeResource', async () => {
      await signIn(h, ADA);
      const posted = await postMeeting('Sign in channel', 'channel');
      await h.post(messageActivity(h, 'signout', { kind: 'personal' }));
      const res = await click(posted, 'cancel');
      assert.equal(res.status, 401);
      const body = res.body as { type: string; value: Json & { buttons: { value: string }[] } };
      assert.equal(body.type, 'application/vnd.microsoft.activity.loginRequest');
      assert.equal('tokenExchangeResource' in body.value, false);
      assert.match(body.value.buttons[0]!.value, /\/auth\/start\?t=/);
      assert.equal(graphCallsFor(posted.meetingId).length, 0);
      await signIn(h, ADA);
    });
  });
});
