import assert from 'node:assert/strict';
import { ADA, GRACE, invokeActivity, messageActivity, signIn, startHarness, type Harness } from '../../support/harness';

type Json = Record<string, unknown>;
type CardAction = { verb?: string; title?: string; data?: { requestKey?: string } };

const isMeetingCard = (a: Json) => JSON.stringify(a).includes('meetup-join');
const isMayExistCard = (a: Json) => /may exist/.test(JSON.stringify(a));
const cardOf = (activity: Json): Json => (activity.attachments as { content: Json }[])[0]!.content;
const actionsOf = (card: Json): CardAction[] => (card.actions as CardAction[] | undefined) ?? [];
const plainCreates = (h: Harness) =>
  h.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/onlineMeetings'));

/**
 * Issue #14 findings 2 and 3: a passcode meeting goes through a plain POST, which must never be repeated once it may
 * have been carried out; the user is told plainly and gets a safe way on.
 */
describe('a create whose outcome is unknown (passcode meetings: plain POST)', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' }, graphRequestTimeoutInMs: 600 });
    await signIn(h, ADA);
  });
  after(async () => h.close());
  beforeEach(() => {
    h.graph.reset();
    h.connector.reset();
  });

  function press(activityId: string, cardId: string, verb: string, data: Json, user = ADA) {
    return h.post(
      invokeActivity(
        h,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb, data } },
        { user, replyToId: cardId, id: activityId },
      ),
    );
  }

  for (const [what, fault] of [
    ['made the meeting, then answered 504', { status: 504, afterEffect: true }],
    ['made the meeting, then answered 503', { status: 503, afterEffect: true }],
    ['made the meeting, then the connection dropped', { dropConnection: true, afterEffect: true }],
  ] as const) {
    it(`Graph ${what}: one POST, one meeting, and a card that says it may exist (no plain Retry)`, async () => {
      h.graph.injectFaults({ ...fault, count: 1, method: 'POST' });
      await h.post(messageActivity(h, 'meet board review tomorrow 10am passcode'));
      const posted = await h.connector.waitForMessage((c) => isMayExistCard(c.activity) || isMeetingCard(c.activity));
      await h.app.background.idle();
      assert.equal(plainCreates(h).length, 1, 'the POST was not repeated');
      assert.equal(h.graph.meetings.length, 1);
      const card = cardOf(posted.activity);
      assert.match(JSON.stringify(card), /may exist/);
      assert.match(JSON.stringify(card), /meet board review tomorrow 10am passcode/, "the user's input is kept");
      const verbs = actionsOf(card).map((a) => a.verb);
      assert.deepEqual(verbs, ['createAnyway']);
      assert.match(JSON.stringify(card), /second one/, 'the button is explicit about the risk of a duplicate');
    });
  }

  it('"Create it anyway" creates a second meeting only when the requester presses it, once per card', async () => {
    h.graph.injectFaults({ status: 504, afterEffect: true, count: 1, method: 'POST' });
    await h.post(messageActivity(h, 'meet anyway check tomorrow 11am passcode'));
    const posted = await h.connector.waitForMessage((c) => isMayExistCard(c.activity));
    const action = actionsOf(cardOf(posted.activity)).find((a) => a.verb === 'createAnyway')!;
    assert.ok(action?.data?.requestKey);

    const stranger = await press('press-grace', posted.id, 'createAnyway', action.data as Json, GRACE);
    assert.equal(stranger.status, 200);
    assert.match(JSON.stringify(stranger.body), /Only the person who asked/);
    assert.equal(h.graph.meetings.length, 1, 'someone else cannot make it');

    const [first, second] = await Promise.all([
      press('press-1', posted.id, 'createAnyway', action.data as Json),
      press('press-2', posted.id, 'createAnyway', action.data as Json),
    ]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    await h.app.background.idle();
    assert.equal(h.graph.meetings.length, 2, 'one more meeting, not one per click');
    assert.match(JSON.stringify(first.body), /meetup-join/);
  });

  it('Retry on an error card whose create became uncertain leads to the "may exist" card, not a dead Retry', async () => {
    // A Graph timeout (600 ms here) on the POST: its outcome is unknown.
    h.graph.injectFaults({ delayMs: 1500, count: 1, method: 'POST' });
    const activity = messageActivity(h, 'meet slow passcode tomorrow 1pm passcode');
    await h.post(activity);
    const posted = await h.connector.waitForMessage((c) => isMayExistCard(c.activity));
    await new Promise((r) => setTimeout(r, 1200)); // the slow request completes at the stand-in
    assert.equal(h.graph.meetings.length, 1);
    // A card from before this change offered Retry with the request's key: it must lead somewhere.
    const requestKey = actionsOf(cardOf(posted.activity))[0]!.data!.requestKey!;
    const retried = await press('press-retry', posted.id, 'retry', { requestKey });
    assert.equal(retried.status, 200);
    assert.match(JSON.stringify(retried.body), /may exist/);
    assert.match(JSON.stringify(retried.body), /"verb":"createAnyway"/);
    // A redelivery of the message is answered the same way: nothing made silently.
    h.connector.reset();
    await h.post(activity);
    await h.connector.waitForMessage((c) => isMayExistCard(c.activity));
    assert.equal(h.graph.meetings.length, 1);
  });

  it('compose box: the form comes back saying the meeting may exist; Create again is explicit and makes one more', async () => {
    const submit = (data: Json) =>
      h.post(
        invokeActivity(h, 'composeExtension/submitAction', {
          commandId: 'createMeeting',
          commandContext: 'compose',
          data,
        }),
      );
    const fetched = await h.post(
      invokeActivity(h, 'composeExtension/fetchTask', { commandId: 'createMeeting', commandContext: 'compose' }),
    );
    const nonceOf = (body: unknown) => /"nonce":"([^"]+)"/.exec(JSON.stringify(body))?.[1];
    const nonce = nonceOf(fetched.body)!;
    const at = new Date(Date.now() + 26 * 3600_000);
    const values = {
      subject: 'Compose locked',
      date: at.toISOString().slice(0, 10),
      time: '15:00',
      duration: '30',
      passcode: 'true',
      live: 'false',
    };
    h.graph.injectFaults({ status: 504, afterEffect: true, count: 1, method: 'POST' });
    const first = await submit({ ...values, nonce });
    assert.equal(first.status, 200);
    assert.match(JSON.stringify(first.body), /may exist/);
    assert.match(JSON.stringify(first.body), /second one/, 'says that Create makes another');
    assert.equal(h.graph.meetings.length, 1);
    const again = nonceOf(first.body)!;
    assert.notEqual(again, nonce, 'a new key: pressing Create now is the explicit "create it anyway"');
    const second = await submit({ ...values, nonce: again });
    assert.match(JSON.stringify(second.body), /meetup-join/);
    assert.equal(h.graph.meetings.length, 2);
  });

  it('a plain meeting (createOrGet, idempotent by externalId) is still retried after 504', async () => {
    h.graph.injectFaults({ status: 504, afterEffect: true, count: 1, method: 'POST' });
    await h.post(messageActivity(h, 'meet idempotent tomorrow 9am'));
    await h.connector.waitForMessage((c) => isMeetingCard(c.activity));
    assert.equal(h.graph.meetings.length, 1, 'the retry found the meeting the first attempt made');
  });
});
