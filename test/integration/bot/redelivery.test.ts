import assert from 'node:assert/strict';
import { ADA, invokeActivity, messageActivity, signedInHarness } from '../../support/harness';

type Json = Record<string, unknown>;
const cardOf = (activity: Json): Json => (activity.attachments as { content: Json }[])[0]!.content;

/** Issue #14 finding 10: Teams redelivers a message whose reply is slow; the redelivery must post nothing new. */
describe('a redelivered message (same activity id)', function () {
  this.timeout(30_000);
  const h = signedInHarness(ADA);

  const meetingCards = (subject: string) =>
    h.connector
      .messages()
      .filter(
        (c) =>
          c.method === 'POST' &&
          JSON.stringify(c.activity).includes('meetup-join') &&
          JSON.stringify(c.activity).includes(subject),
      );

  for (const passcode of [false, true]) {
    it(`posts one card; the first card's buttons keep working${passcode ? ' (passcode meeting)' : ''}`, async () => {
      const subject = passcode ? 'redelivered locked' : 'redelivered plain';
      const activity = messageActivity(h, `meet ${subject} tomorrow 10am${passcode ? ' passcode' : ''}`, {
        kind: 'groupChat',
      });
      assert.equal((await h.post(activity)).status, 200);
      const first = await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes(subject));
      assert.equal((await h.post(activity)).status, 200);
      await h.app.background.idle();
      assert.equal(meetingCards(subject).length, 1, 'nothing new posted');
      assert.equal(h.graph.meetings.length, 1);

      const data = (cardOf(first.activity).refresh as { action: { data: Json } }).action.data;
      const res = await h.post(
        invokeActivity(
          h,
          'adaptiveCard/action',
          {
            action: {
              type: 'Action.Execute',
              verb: 'rename',
              data: { ...data, renameSubject: 'Renamed after redelivery' },
            },
          },
          { kind: 'groupChat', replyToId: first.id },
        ),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body), /Renamed after redelivery/);
    });
  }

  it('a redelivery while the first delivery is still working (slow Graph) posts nothing either', async () => {
    const subject = 'redelivered while slow';
    h.graph.setLatency(1200);
    try {
      const activity = messageActivity(h, `meet ${subject} tomorrow 11am passcode`, { kind: 'groupChat' });
      const first = h.post(activity);
      await new Promise((r) => setTimeout(r, 300));
      const again = await h.post(activity);
      assert.equal(again.status, 200);
      assert.equal((await first).status, 200);
      await h.app.background.idle();
      await h.connector.waitForMessage((c) => JSON.stringify(c.activity).includes(subject));
      assert.equal(meetingCards(subject).length, 1);
      assert.equal(h.connector.messages().filter((c) => c.method === 'POST').length, 1, 'no error card either');
    } finally {
      h.graph.setLatency(0);
    }
  });
});
