import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { LOCAL_TEAM } from '../../../emulators/fixtures';
import { ADA, GRACE, LINUS, messageActivity, signedInHarness } from '../../support/harness';

function tomorrowAt(hour: number, minute: number, zone: string): DateTime {
  return DateTime.now().setZone(zone).plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
}

function utc(dt: DateTime): number {
  return dt.toUTC().toMillis();
}

describe('creating a meeting from chat (HTTP, stand-ins over real HTTP)', () => {
  const h = signedInHarness(ADA);

  const graphWrites = () => h.graph.requests.filter((r) => r.method === 'POST');

  it('personal chat: sends the exact Graph request and replies with join URL, meeting ID and passcode', async () => {
    await h.post(
      messageActivity(h, 'meet Sprint review tomorrow 3pm for 45 min passcode', { timeZone: 'America/Los_Angeles' }),
    );
    const card = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
    const [req] = graphWrites();
    assert.ok(req);
    assert.equal(req.path, '/v1.0/me/onlineMeetings');
    assert.equal(req.headers['authorization'], true);
    assert.equal(req.headers['accept-language'], 'en-US');
    const body = req.body as Record<string, unknown>;
    assert.equal(body.subject, 'Sprint review');
    const start = tomorrowAt(15, 0, 'America/Los_Angeles');
    assert.equal(Date.parse(body.startDateTime as string), utc(start));
    assert.equal(Date.parse(body.endDateTime as string), utc(start.plus({ minutes: 45 })));
    assert.deepEqual(body.joinMeetingIdSettings, { isPasscodeRequired: true });
    assert.equal(body.chatInfo, undefined);
    const meeting = h.graph.meetings[0]!;
    const text = JSON.stringify(card.activity);
    assert.ok(text.includes(meeting.joinWebUrl));
    assert.ok(meeting.passcode && text.includes(meeting.passcode));
    const grouped = meeting.joinMeetingId.replace(/(\d{3})(?=\d)/g, '$1 ');
    assert.ok(text.includes(grouped), `meeting ID ${grouped} on the card`);
    assert.equal(card.conversationId, `a:personal-${ADA.id}`);
  });

  it('group chat: @mentioned people become attendees; a presenter from outside the tenant is demoted and the card says so', async () => {
    await h.post(
      messageActivity(
        h,
        `meet design review with <at>${GRACE.name}</at> as presenter and <at>${LINUS.name}</at> as presenter tomorrow at 9am`,
        {
          kind: 'groupChat',
          mentions: [GRACE, LINUS],
        },
      ),
    );
    const card = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
    const [req] = graphWrites();
    assert.equal(req!.path, '/v1.0/me/onlineMeetings/createOrGet');
    const body = req!.body as {
      externalId: string;
      participants: { attendees: { identity: { user: { id: string } }; role: string; upn?: string }[] };
    };
    assert.ok(body.externalId.length > 0);
    const byId = Object.fromEntries(body.participants.attendees.map((a) => [a.identity.user.id, a]));
    assert.equal(byId[GRACE.aadObjectId]?.role, 'presenter');
    assert.equal(byId[GRACE.aadObjectId]?.upn, GRACE.upn);
    assert.equal(byId[LINUS.aadObjectId]?.role, 'attendee');
    const text = JSON.stringify(card.activity);
    assert.ok(text.includes('Grace Hopper') && text.includes('Linus Guest'));
    assert.match(text, /can't be presenters/);
  });

  it('channel: binds the meeting to the channel (threadId without ;messageid=) and replies in the thread', async () => {
    const channel = LOCAL_TEAM.channels[1].id;
    const activity = messageActivity(h, 'meet planning sync tomorrow 10am', { kind: 'channel', channelId: channel });
    await h.post(activity);
    const card = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
    const body = graphWrites()[0]!.body as { chatInfo?: { threadId: string } };
    assert.equal(body.chatInfo?.threadId, channel);
    // A reply to the post (replyToId = the post's id) lands in its thread.
    assert.equal(card.conversationId, channel);
    assert.equal(card.activityId, activity.id);
    assert.match(JSON.stringify(card.activity), /belongs to this channel/);
  });

  it('channel: when Graph refuses the channel binding, creates the meeting unbound and still posts the card, saying so', async () => {
    h.graph.setSwitches({ refuseChannelBinding: true });
    try {
      await h.post(messageActivity(h, 'meet retro tomorrow 4pm', { kind: 'channel' }));
      const card = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
      const writes = graphWrites();
      assert.equal(writes.length, 2);
      assert.ok((writes[0]!.body as { chatInfo?: unknown }).chatInfo);
      assert.equal((writes[1]!.body as { chatInfo?: unknown }).chatInfo, undefined);
      assert.equal(h.graph.meetings.length, 1);
      assert.match(JSON.stringify(card.activity), /not tied to the channel/);
    } finally {
      h.graph.setSwitches({ refuseChannelBinding: false });
    }
  });

  it("sends the user's locale as Accept-Language and answers in Japanese", async () => {
    await h.post(
      messageActivity(h, '会議 定例 明日15時 1時間 パスコード', { locale: 'ja-JP', timeZone: 'Asia/Tokyo' }),
    );
    const card = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
    const req = graphWrites()[0]!;
    assert.equal(req.headers['accept-language'], 'ja-JP');
    const body = req.body as Record<string, unknown>;
    const start = tomorrowAt(15, 0, 'Asia/Tokyo');
    assert.equal(Date.parse(body.startDateTime as string), utc(start));
    assert.equal(Date.parse(body.endDateTime as string), utc(start.plus({ hours: 1 })));
    assert.match(JSON.stringify(card.activity), /パスコード|会議/);
  });

  it('a duplicated delivery of the same activity creates one meeting', async () => {
    const activity = messageActivity(h, 'meet duplicate check tomorrow 11am passcode');
    await Promise.all([h.post(activity), h.post(activity), h.post(activity)]);
    await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
    await h.app.background.idle();
    assert.equal(h.graph.meetings.length, 1);
  });

  it('Graph 429 with Retry-After: 1 → one meeting after the retry', async () => {
    h.graph.injectFaults({ status: 429, retryAfter: 1, count: 1, method: 'POST' });
    await h.post(messageActivity(h, 'meet throttled tomorrow 1pm'));
    await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
    assert.equal(graphWrites().length, 2);
    assert.equal(h.graph.meetings.length, 1);
  });

  it('Graph 500 → a readable error card with Retry and the request kept; the bot stays healthy and the next command works', async () => {
    h.graph.injectFaults({ status: 500, count: 5, method: 'POST' });
    await h.post(messageActivity(h, 'meet broken tomorrow 2pm'));
    const error = await h.connector.waitForMessage((c) =>
      /isn't reachable|went wrong/.test(JSON.stringify(c.activity)),
    );
    const text = JSON.stringify(error.activity);
    assert.match(text, /meet broken tomorrow 2pm/);
    assert.match(text, /Retry/);
    assert.doesNotMatch(text, /at \w+ \(|stack|InternalServerError/);
    h.graph.reset();
    const health = await fetch(`${h.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    await h.post(messageActivity(h, 'meet works again tomorrow 2pm'));
    await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'));
  });

  it('live: a Teams town hall (v1.0 draft, then publish), not the retired live event; the card says so', async () => {
    await h.post(messageActivity(h, 'meet All hands tomorrow 9am for 1 hour live'));
    const card = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('Town hall'));
    assert.deepEqual(
      graphWrites().map((r) => r.path.replace(/townhalls\/[^/]+/, 'townhalls/{id}')),
      ['/v1.0/solutions/virtualEvents/townhalls', '/v1.0/solutions/virtualEvents/townhalls/{id}/publish'],
    );
    assert.equal(
      h.graph.requests.some((r) => r.path.includes('onlineMeetings')),
      false,
      'no isBroadcast onlineMeeting',
    );
    const townhall = h.graph.townhalls[0]!;
    assert.equal(townhall.status, 'published');
    assert.ok(JSON.stringify(card.activity).includes(townhall.session!.joinWebUrl));
    assert.doesNotMatch(JSON.stringify(card.activity), /attendees watch the broadcast/);
  });

  it('shows a typing indicator only when the work is slow (~500 ms), so a fast reply costs no extra call', async () => {
    const typing = () => h.connector.calls.filter((c) => c.activity.type === 'typing').length;
    // A fast turn (help needs no Graph call) ends long before the 500 ms delay: no typing call.
    await h.post(messageActivity(h, 'help'));
    await h.connector.waitForMessage((c) => /Examples/.test(JSON.stringify(c.activity)));
    assert.equal(typing(), 0);
    h.graph.setLatency(1500);
    try {
      await h.post(messageActivity(h, 'meet slow one tomorrow 8am'));
      await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes('slow one'));
      assert.ok(typing() >= 1);
    } finally {
      h.graph.setLatency(0);
    }
  });

  it('help, unknown text and a time in the past get cards, never a meeting', async () => {
    await h.post(messageActivity(h, 'help'));
    await h.connector.waitForMessage((c) => /Examples/.test(JSON.stringify(c.activity)));
    await h.post(messageActivity(h, 'what can you do'));
    await h.connector.waitForMessage((c) => /didn't understand/.test(JSON.stringify(c.activity)));
    await h.post(messageActivity(h, '会議 定例 明日15時 25時間', { locale: 'ja-JP', timeZone: 'Asia/Tokyo' }));
    await h.connector.waitForMessage((c) => /24 時間以内/.test(JSON.stringify(c.activity)));
    await h.post(messageActivity(h, 'meet standup yesterday 9am'));
    await h.connector.waitForMessage((c) => /already passed/.test(JSON.stringify(c.activity)));
    assert.equal(h.graph.meetings.length, 0);
  });
});
