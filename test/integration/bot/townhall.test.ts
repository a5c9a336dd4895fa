import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  ADA,
  completeSignInLink,
  GRACE,
  type Harness,
  invokeActivity,
  KATHERINE,
  LINUS,
  messageActivity,
  signedInHarness,
  signIn,
  signInLinkFrom,
  startHarness,
} from '../../support/harness';
import type { ConnectorCall } from '../../support/fake-connector';

type Json = Record<string, unknown>;
const ZONE = 'America/Los_Angeles';
const TOWNHALLS = '/v1.0/solutions/virtualEvents/townhalls';

const text = (c: { activity: Json }): string => JSON.stringify(c.activity);
const isTownhallCard = (c: { activity: Json }): boolean =>
  text(c).includes('Town hall') && text(c).includes('meetup-join');
const cardOf = (activity: Json): Json => (activity.attachments as { content: Json }[])[0]!.content;
/** The (method, path) of every Graph call, with town hall ids replaced, in order. */
const graphCalls = (h: Harness): string[] =>
  h.graph.requests.map((r) => `${r.method} ${r.path.replace(/townhalls\/[^/]+/, 'townhalls/{id}')}`);

/** The data of the card's first Action.Execute with this verb, wherever it sits (ShowCard, ActionSet). */
function actionData(node: unknown, verb: string): Json | undefined {
  if (Array.isArray(node)) return node.map((n) => actionData(n, verb)).find((d) => d !== undefined);
  if (node === null || typeof node !== 'object') return undefined;
  const o = node as Json;
  if (o.type === 'Action.Execute' && o.verb === verb) return o.data as Json;
  return Object.entries(o)
    .filter(([k]) => k !== 'refresh')
    .map(([, v]) => actionData(v, verb))
    .find((d) => d !== undefined);
}

describe('live → Teams town hall (HTTP, stand-ins over real HTTP)', () => {
  const h = signedInHarness(ADA);

  it('message: draft with subject, times, audience organization and the mentioned co-organizer, then publish; card with join link; organizer cancels', async () => {
    const res = await h.post(
      messageActivity(h, `meet Quarterly all hands with <at>${GRACE.name}</at> tomorrow 9am for 1 hour live`, {
        kind: 'groupChat',
        mentions: [GRACE],
        timeZone: ZONE,
      }),
    );
    assert.equal(res.status, 200);
    const posted = await h.connector.waitForMessage(isTownhallCard);
    assert.deepEqual(graphCalls(h), [
      `POST ${TOWNHALLS}`,
      `POST ${TOWNHALLS}/{id}/publish`,
      `GET ${TOWNHALLS}/{id}/sessions`,
    ]);
    const create = h.graph.requests[0]!;
    const start = DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    assert.deepEqual(create.body, {
      displayName: 'Quarterly all hands',
      startDateTime: { dateTime: start.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: 'UTC' },
      endDateTime: { dateTime: start.plus({ hours: 1 }).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: 'UTC' },
      audience: 'organization',
      coOrganizers: [
        {
          '@odata.type': '#microsoft.graph.communicationsUserIdentity',
          id: GRACE.aadObjectId,
          displayName: GRACE.name,
        },
      ],
    });
    const townhall = h.graph.townhalls[0]!;
    assert.equal(townhall.status, 'published');
    const card = cardOf(posted.activity);
    assert.ok(text(posted).includes(townhall.session!.joinWebUrl), 'the attendee join link of the published session');
    assert.match(text(posted), /Grace Hopper/);
    assert.equal(actionData(card, 'cancel'), undefined, 'the shared view has no Cancel');

    // Grace (a co-organizer, not the organizer) presses Manage: told only the organizer can change it.
    const data = actionData(card, 'manage')!;
    const click = (user: typeof ADA, verb: string, d: Json) =>
      h.post(
        invokeActivity(
          h,
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb, data: d }, trigger: 'manual' },
          { user, kind: 'groupChat', replyToId: posted.id, timeZone: ZONE },
        ),
      );
    const graceCancel = await click(GRACE, 'cancel', data);
    assert.equal(graceCancel.status, 200);
    assert.match(JSON.stringify(graceCancel.body), /Only the organizer/);
    assert.equal(
      h.graph.requests.filter((r) => r.path.endsWith('/cancel')).length,
      0,
      'no Graph call for someone else',
    );

    // A crafted reschedule (the town hall card has none): refused with the card, no Graph call.
    const crafted = await click(ADA, 'reschedule', { ...data, rescheduleDate: '2030-01-01', rescheduleTime: '10:00' });
    assert.equal(crafted.status, 200);
    assert.match(JSON.stringify(crafted.body), /Change a town hall's time or title in Teams/);
    assert.equal(h.graph.requests.filter((r) => r.method === 'PATCH').length, 0);

    const organizerView = await click(ADA, 'manage', data);
    const cancelData = actionData((organizerView.body as { value: Json }).value, 'cancel')!;
    assert.ok(cancelData, 'the organizer view has Cancel');
    const cancelled = await click(ADA, 'cancel', cancelData);
    assert.equal(cancelled.status, 200);
    assert.equal(townhall.status, 'canceled');
    assert.equal(graphCalls(h).at(-1), `POST ${TOWNHALLS}/{id}/cancel`);
    assert.match(JSON.stringify(cancelled.body), /This town hall was cancelled/);
    assert.ok(!JSON.stringify(cancelled.body).includes(townhall.session!.joinWebUrl), 'no join link once cancelled');
    const updated = await h.connector.waitForMessage(
      (c: ConnectorCall) => c.method === 'PUT' && /This town hall was cancelled/.test(text(c)),
    );
    assert.equal(updated.activityId, posted.id, 'the posted card is updated for everyone');
  });

  it('a redelivered message makes one town hall and posts nothing new (one answer per activity)', async () => {
    const activity = messageActivity(h, 'meet Once only tomorrow 10am live', { timeZone: ZONE });
    await h.post(activity);
    await h.connector.waitForMessage(isTownhallCard);
    await h.post(activity);
    await h.app.background.idle();
    assert.equal(h.connector.messages().filter(isTownhallCard).length, 1, 'nothing new posted');
    assert.equal(h.graph.townhalls.length, 1);
    assert.equal(h.graph.requests.filter((r) => r.method === 'POST' && r.path === TOWNHALLS).length, 1);
  });

  it("compose form's live toggle: the preview is the town hall card", async () => {
    const fetched = await h.post(
      invokeActivity(
        h,
        'composeExtension/fetchTask',
        { commandId: 'createMeeting', commandContext: 'compose' },
        { timeZone: ZONE },
      ),
    );
    const nonce = /"nonce":"([0-9a-f-]{36})"/.exec(JSON.stringify(fetched.body))![1]!;
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 });
    const res = await h.post(
      invokeActivity(
        h,
        'composeExtension/submitAction',
        {
          commandId: 'createMeeting',
          commandContext: 'compose',
          data: {
            nonce,
            subject: 'Compose town hall',
            date: day.toFormat('yyyy-MM-dd'),
            time: '11:00',
            duration: '60',
            passcode: 'false',
            live: 'true',
          },
        },
        { timeZone: ZONE },
      ),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = JSON.stringify(res.body);
    assert.match(body, /botMessagePreview/);
    assert.match(body, /Town hall/);
    const townhall = h.graph.townhalls[0]!;
    assert.equal(townhall.displayName, 'Compose town hall');
    assert.equal(townhall.status, 'published');
    assert.ok(body.includes(townhall.session!.joinWebUrl));
  });

  it('Graph refuses (no licence, 403): a card that says so with Retry keeping the request; Retry then makes it', async () => {
    h.graph.setSwitches({ townhallsUnlicensed: true });
    const activity = messageActivity(h, 'meet Licence check tomorrow 1pm live', { timeZone: ZONE });
    await h.post(activity);
    const errorCard = await h.connector.waitForMessage((c) => /licence/.test(text(c)));
    assert.match(text(errorCard), /meet Licence check tomorrow 1pm live/, 'the request is shown back');
    const retry = actionData(cardOf(errorCard.activity), 'retry')!;
    assert.ok(retry, 'Retry button');
    assert.equal(h.graph.townhalls.length, 0);
    h.graph.setSwitches({ townhallsUnlicensed: false });
    const res = await h.post(
      invokeActivity(
        h,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: 'retry', data: retry }, trigger: 'manual' },
        { replyToId: errorCard.id, timeZone: ZONE },
      ),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /Town hall/);
    assert.equal(h.graph.townhalls.length, 1);
    assert.equal(h.graph.townhalls[0]!.displayName, 'Licence check');
  });

  it('a create that times out is never sent again: the card and the redelivery say it may exist', async () => {
    const slow = await startHarness({ env: { TEAMS_SSO: 'false' }, graphRequestTimeoutInMs: 300 });
    try {
      await signIn(slow, ADA);
      slow.graph.injectFaults({ delayMs: 800, count: 1, method: 'POST', pathIncludes: '/townhalls' });
      const activity = messageActivity(slow, 'meet Slow town hall tomorrow 4pm live', { timeZone: ZONE });
      await slow.post(activity);
      const uncertain = await slow.connector.waitForMessage((c) => /may exist/.test(text(c)));
      assert.match(JSON.stringify(uncertain.activity), /createAnyway/, "the requester's 'Create it anyway'");
      slow.connector.reset();
      await slow.post(activity);
      await slow.connector.waitForMessage((c) => /may exist/.test(text(c)));
      assert.equal(
        slow.graph.requests.filter((r) => r.method === 'POST' && r.path === TOWNHALLS).length,
        1,
        'one create, however often asked',
      );
    } finally {
      await slow.close();
    }
  });

  it('not consented to VirtualEvent.ReadWrite: the consent link (asking for it), the request kept and completed after consent', async () => {
    await signIn(h, KATHERINE);
    h.entra.setUserSwitches(KATHERINE.aadObjectId, { consentMissingScopes: ['VirtualEvent.ReadWrite'] });
    try {
      await h.post(messageActivity(h, 'meet Consent first tomorrow 2pm live', { user: KATHERINE, timeZone: ZONE }));
      const prompt = await h.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
      assert.equal(h.graph.requests.length, 0, 'no Graph call without the scope');
      const link = signInLinkFrom(prompt.activity)!;
      const start = await fetch(link, { redirect: 'manual' });
      const authorize = new URL(start.headers.get('location')!);
      assert.match(authorize.searchParams.get('scope') ?? '', /VirtualEvent\.ReadWrite/);
      assert.equal(authorize.searchParams.get('prompt'), 'consent');
      const done = await completeSignInLink(link, KATHERINE);
      assert.equal(done.status, 200, done.page.slice(0, 200));
      const card = await h.connector.waitForMessage(isTownhallCard);
      assert.match(text(card), /Consent first/);
      assert.equal(h.graph.townhalls.length, 1);
      assert.equal(h.graph.townhalls[0]!.organizer.id, KATHERINE.aadObjectId);
    } finally {
      h.entra.setUserSwitches(KATHERINE.aadObjectId, { consentMissingScopes: [] });
    }
  });

  it('a regular meeting still asks only for OnlineMeetings.ReadWrite (no town hall consent needed)', async () => {
    await signIn(h, LINUS);
    h.entra.setUserSwitches(LINUS.aadObjectId, { consentMissingScopes: ['VirtualEvent.ReadWrite'] });
    try {
      await h.post(messageActivity(h, 'meet Plain one tomorrow 2pm', { user: LINUS, timeZone: ZONE }));
      await h.connector.waitForMessage((c) => text(c).includes('meetup-join'));
      assert.equal(h.graph.townhalls.length, 0);
    } finally {
      h.entra.setUserSwitches(LINUS.aadObjectId, { consentMissingScopes: [] });
    }
  });
});

describe('live with Teams SSO (TEAMS_SSO=true)', () => {
  it('SSO exchange gives an OnlineMeetings token; the town hall then asks for VirtualEvent.ReadWrite consent with the link and completes after it', async () => {
    const sso = await startHarness({ env: { TEAMS_SSO: 'true' } });
    try {
      sso.entra.setUserSwitches(GRACE.aadObjectId, { consentMissingScopes: ['VirtualEvent.ReadWrite'] });
      await sso.post(messageActivity(sso, 'meet SSO town hall tomorrow 9am live', { user: GRACE, timeZone: ZONE }));
      const prompt = await sso.connector.waitForMessage((c) => text(c).includes('tokenExchangeResource'));
      const id = /"tokenExchangeResource":\{"id":"([^"]+)"/.exec(text(prompt))![1]!;
      const token = sso.entra.mintSsoToken({ oid: GRACE.aadObjectId });
      const res = await sso.post(
        invokeActivity(sso, 'signin/tokenExchange', { id, connectionName: '', token }, { user: GRACE }),
      );
      assert.equal(res.status, 200);
      // Completed in the background: the on-behalf-of token has no VirtualEvent.ReadWrite, so a consent link comes.
      const consent = await sso.connector.waitForMessage(
        (c) => c !== prompt && signInLinkFrom(c.activity) !== undefined,
      );
      assert.equal(sso.graph.townhalls.length, 0);
      const link = signInLinkFrom(consent.activity)!;
      const authorize = new URL((await fetch(link, { redirect: 'manual' })).headers.get('location')!);
      assert.match(authorize.searchParams.get('scope') ?? '', /VirtualEvent\.ReadWrite/);
      assert.equal((await completeSignInLink(link, GRACE)).status, 200);
      const card = await sso.connector.waitForMessage(isTownhallCard);
      assert.match(text(card), /SSO town hall/);
      assert.equal(sso.graph.townhalls.length, 1);
    } finally {
      await sso.close();
    }
  });
});

describe('live in application mode (MEETINGS_AUTH_MODE=application)', () => {
  it('answers that town halls cannot be made with application permission, without calling Graph', async () => {
    const app = await startHarness({ env: { TEAMS_SSO: 'false', MEETINGS_AUTH_MODE: 'application' } });
    try {
      await app.post(messageActivity(app, 'meet App town hall tomorrow 9am live', { user: ADA }));
      const card = await app.connector.waitForMessage((c) => /application permission/.test(text(c)));
      assert.match(text(card), /without \\"live\\"|without "live"/);
      assert.equal(app.graph.requests.length, 0, 'no Graph call at all');
    } finally {
      await app.close();
    }
  });
});
