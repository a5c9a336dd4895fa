import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { LOCAL_CLIENT_ID, LOCAL_TEAM } from '../../../emulators/fixtures';
import type { RecordedRequest } from '../../../emulators/graph';
import { ADA, invokeActivity, messageActivity, signIn, startHarness, type Harness } from '../../support/harness';

type Json = Record<string, unknown>;
const ZONE = 'America/Los_Angeles';

/**
 * Every Graph call Convene makes, with its version, as (method, path) against the stand-in: each flow is driven
 * through the real server and the set of recorded calls must equal this table. A new call, a changed path or a
 * call moving to another version fails here; add it to the table only after checking it against the v1.0 docs
 * (beta only where v1.0 doesn't document what the call needs).
 */
const EXPECTED_GRAPH_CALLS = [
  'POST /v1.0/me/onlineMeetings/createOrGet', // plain meeting (createOrGet, idempotent per externalId)
  'POST /beta/me/onlineMeetings/createOrGet', // channel meeting: chatInfo on createOrGet is documented for beta only
  'POST /v1.0/me/onlineMeetings', // passcode meeting: joinMeetingIdSettings isn't a createOrGet field
  'PATCH /v1.0/me/onlineMeetings/{id}', // reschedule, rename
  'GET /v1.0/me/onlineMeetings/{id}', // the organizer's manual refresh
  'DELETE /v1.0/me/onlineMeetings/{id}', // cancel
  'POST /v1.0/solutions/virtualEvents/townhalls', // live → town hall draft
  'POST /v1.0/solutions/virtualEvents/townhalls/{id}/publish',
  'GET /v1.0/solutions/virtualEvents/townhalls/{id}/sessions', // the attendee join link
  'POST /v1.0/solutions/virtualEvents/townhalls/{id}/cancel',
  'POST /v1.0/users/{userId}/onlineMeetings', // MEETINGS_AUTH_MODE=application (passcode meeting)
  'POST /v1.0/users/{userId}/onlineMeetings/createOrGet', // MEETINGS_AUTH_MODE=application
  'POST /beta/me/onlineMeetings', // LIVE_MEETINGS=broadcast: isBroadcast exists only in beta
].sort();

function shape(r: RecordedRequest): string {
  const path = r.path
    .replace(/\/townhalls\/[^/]+/, '/townhalls/{id}')
    .replace(/\/users\/[^/]+\//, '/users/{userId}/')
    .replace(/\/onlineMeetings\/(?!createOrGet)[^/]+$/, '/onlineMeetings/{id}');
  return `${r.method} ${path}`;
}

const cardOf = (activity: Json): Json => (activity.attachments as { content: Json }[])[0]!.content;

function dataFor(node: unknown, verb: string): Json | undefined {
  if (Array.isArray(node)) return node.map((n) => dataFor(n, verb)).find((d) => d !== undefined);
  if (node === null || typeof node !== 'object') return undefined;
  const o = node as Json;
  if (o.type === 'Action.Execute' && o.verb === verb) return o.data as Json;
  return Object.values(o)
    .map((v) => dataFor(v, verb))
    .find((d) => d !== undefined);
}

describe('every Graph call Convene makes, with its version', () => {
  const seen = new Set<string>();
  const record = (h: Harness): void => {
    for (const r of h.graph.requests) {
      // A call the stand-in refused (wrong version, unknown property) would otherwise still show up in the table.
      assert.ok(r.status !== undefined && r.status < 300, `${shape(r)} answered ${String(r.status)}`);
      seen.add(shape(r));
    }
  };

  async function command(
    h: Harness,
    text: string,
    options: Parameters<typeof messageActivity>[2] = {},
  ): Promise<{ id: string; card: Json }> {
    const before = h.connector.messages().length;
    await h.post(messageActivity(h, text, { timeZone: ZONE, ...options }));
    const posted = await h.connector.waitForMessage(
      (c) => h.connector.messages().indexOf(c) >= before && JSON.stringify(c.activity).includes('meetup-join'),
    );
    return { id: posted.id, card: cardOf(posted.activity) };
  }

  async function press(
    h: Harness,
    posted: { id: string },
    verb: string,
    data: Json,
    kind: 'personal' | 'groupChat' = 'personal',
  ): Promise<Json> {
    const value = { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' };
    const res = await h.post(
      invokeActivity(h, 'adaptiveCard/action', value, { replyToId: posted.id, timeZone: ZONE, kind }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { value: Json }).value;
  }

  it('delegated flows: meetings, channel, passcode, card buttons, town halls', async () => {
    const h = await startHarness({ env: { TEAMS_SSO: 'false' } });
    try {
      await signIn(h, ADA);
      const plain = await command(h, 'meet Calls table tomorrow 3pm');
      await command(h, 'meet Channel one tomorrow 3pm', { kind: 'channel', channelId: LOCAL_TEAM.channels[0].id });
      await command(h, 'meet Passcode one tomorrow 3pm passcode');
      const manage = await press(h, plain, 'manage', dataFor(plain.card, 'manage')!);
      const date = DateTime.now().setZone(ZONE).plus({ days: 2 }).toFormat('yyyy-MM-dd');
      const moved = await press(h, plain, 'reschedule', {
        ...dataFor(manage, 'reschedule')!,
        rescheduleDate: date,
        rescheduleTime: '10:00',
        rescheduleDuration: '30',
      });
      const renamed = await press(h, plain, 'rename', { ...dataFor(moved, 'rename')!, renameSubject: 'Renamed' });
      const refreshed = await press(h, plain, 'refresh', dataFor(renamed, 'refresh')!);
      await press(h, plain, 'cancel', dataFor(refreshed, 'cancel')!);
      const townhall = await command(h, 'meet Town hall calls tomorrow 9am live');
      const organizer = await press(h, townhall, 'manage', dataFor(townhall.card, 'manage')!);
      await press(h, townhall, 'cancel', dataFor(organizer, 'cancel')!);
      record(h);
    } finally {
      await h.close();
    }
  });

  it('application mode and LIVE_MEETINGS=broadcast', async () => {
    const app = await startHarness({ env: { TEAMS_SSO: 'false', MEETINGS_AUTH_MODE: 'application' } });
    try {
      app.graph.grantAccessPolicy(LOCAL_CLIENT_ID, [ADA.aadObjectId]);
      await command(app, 'meet App plain tomorrow 3pm');
      await command(app, 'meet App passcode tomorrow 3pm passcode');
      record(app);
    } finally {
      await app.close();
    }
    const broadcast = await startHarness({ env: { TEAMS_SSO: 'false', LIVE_MEETINGS: 'broadcast' } });
    try {
      await signIn(broadcast, ADA);
      await command(broadcast, 'meet Broadcast tomorrow 3pm live');
      record(broadcast);
    } finally {
      await broadcast.close();
    }
  });

  it('equal the expected table, and every call succeeded on its version', () => {
    assert.deepEqual([...seen].sort(), EXPECTED_GRAPH_CALLS);
  });
});
