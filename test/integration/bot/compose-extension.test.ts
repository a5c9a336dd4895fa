import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { LOCAL_CLIENT_ID, LOCAL_TEAM } from '../../../emulators/fixtures';
import { unsupportedCopilotActions } from '../../../scripts/app-package/copilot-rules';
import type { MeetingRecord } from '../../../src/meetings/types';
import {
  ADA,
  ALAN,
  GRACE,
  KATHERINE as KATE,
  invokeActivity,
  messageActivity,
  signIn,
  startHarness,
  type Harness,
} from '../../support/harness';

/* Response shapes as Teams reads them (protocol reference §4.5). */
interface Card {
  readonly body: readonly Record<string, unknown>[];
  readonly actions?: readonly { readonly data?: Record<string, unknown> }[];
}
interface TaskBody {
  task: { type: string; value: { title: string; card: { contentType: string; content: Card } } };
}
interface ComposeBody {
  composeExtension: {
    type: string;
    text?: string;
    attachmentLayout?: string;
    activityPreview?: { type: string; attachments: { contentType: string; content: Card }[] };
    attachments?: {
      contentType: string;
      content: Card;
      preview: { contentType: string; content: { title: string; text: string } };
    }[];
    suggestedActions?: { actions: { type: string; value: string; title: string }[] };
  };
}

const ZONE = 'America/Los_Angeles';
const CHANNEL = LOCAL_TEAM.channels[1].id;

function input(card: Card, id: string): Record<string, unknown> {
  const found = card.body.find((e) => e.id === id);
  assert.ok(found, `form has input ${id}`);
  return found;
}
function nonceOf(card: Card): string {
  const nonce = card.actions?.[0]?.data?.nonce;
  assert.equal(typeof nonce, 'string');
  return nonce as string;
}
function formOf(res: { status: number; body: unknown }): Card {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body as TaskBody;
  assert.equal(body.task?.type, 'continue', JSON.stringify(res.body).slice(0, 400));
  assert.equal(body.task.value.card.contentType, 'application/vnd.microsoft.card.adaptive');
  return body.task.value.card.content;
}
function later(hours: number): { date: string; time: string } {
  const at = DateTime.now().setZone(ZONE).plus({ hours }).startOf('hour');
  return { date: at.toFormat('yyyy-MM-dd'), time: at.toFormat('HH:mm') };
}

describe('compose extension (createMeeting, recentMeetings)', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await signIn(h, ADA);
  });
  after(async () => h.close());
  afterEach(() => h.graph.setLatency(0));

  const fetchTask = (value: Record<string, unknown> = {}, opts: Parameters<typeof invokeActivity>[3] = {}) =>
    h.post(
      invokeActivity(
        h,
        'composeExtension/fetchTask',
        { commandId: 'createMeeting', commandContext: 'compose', ...value },
        opts,
      ),
    );
  const submit = (data: Record<string, unknown>, opts: Parameters<typeof invokeActivity>[3] = {}) =>
    h.post(
      invokeActivity(
        h,
        'composeExtension/submitAction',
        { commandId: 'createMeeting', commandContext: 'compose', data },
        opts,
      ),
    );
  const query = (
    text: string | undefined,
    extra: Record<string, unknown> = {},
    opts: Parameters<typeof invokeActivity>[3] = {},
  ) =>
    h.post(
      invokeActivity(
        h,
        'composeExtension/query',
        {
          commandId: 'recentMeetings',
          parameters: [text === undefined ? { name: 'initialRun', value: 'true' } : { name: 'query', value: text }],
          queryOptions: { skip: 0, count: 25 },
          ...extra,
        },
        opts,
      ),
    );
  async function newForm(opts: Parameters<typeof invokeActivity>[3] = {}): Promise<string> {
    return nonceOf(formOf(await fetchTask({}, opts)));
  }
  async function record(meetingKey: string): Promise<MeetingRecord | undefined> {
    return (await h.app.store.get<MeetingRecord>(`meeting:${meetingKey}`))?.value;
  }
  function meetingKeyIn(card: Card): string {
    const match = /"meetingKey":"([^"]+)"/.exec(JSON.stringify(card));
    assert.ok(match, 'card carries its meetingKey');
    return match[1]!;
  }

  describe('composeExtension/fetchTask', () => {
    it("returns the form as a task module: next half hour in the user's zone, 30 minutes, a nonce", async () => {
      const res = await fetchTask();
      const body = res.body as TaskBody;
      assert.equal(body.task.value.title, 'New Teams meeting');
      const card = formOf(res);
      const now = DateTime.now().setZone(ZONE);
      const expected = now.startOf('hour').plus({ minutes: now.minute < 30 ? 30 : 60 });
      assert.equal(input(card, 'date').value, expected.toFormat('yyyy-MM-dd'));
      assert.equal(input(card, 'time').value, expected.toFormat('HH:mm'));
      assert.equal(input(card, 'duration').value, 30);
      assert.equal(input(card, 'subject').value, '');
      assert.equal(input(card, 'passcode').value, 'false');
      assert.equal(input(card, 'live').value, 'false');
      assert.match(nonceOf(card), /^[0-9a-f-]{36}$/);
      assert.notEqual(nonceOf(card), nonceOf(formOf(await fetchTask())), 'a fresh nonce per form');
    });

    it('prefills the subject from the message it was invoked on (HTML stripped, first line)', async () => {
      const res = await fetchTask({
        commandContext: 'message',
        messagePayload: {
          id: '1759944781430',
          body: {
            contentType: 'html',
            content: '<p><b>Q3 planning</b> &amp; budget&nbsp;review</p><p>Agenda: numbers, hiring</p>',
          },
          from: { user: { id: GRACE.aadObjectId, displayName: GRACE.name } },
        },
      });
      assert.equal(input(formOf(res), 'subject').value, 'Q3 planning & budget review');
    });

    it("is localized (ja) and shows the user's zone", async () => {
      const card = formOf(await fetchTask({}, { locale: 'ja-JP', timeZone: 'Asia/Tokyo' }));
      assert.equal(card.body[0]!.text, '新しい Teams 会議');
      assert.match(String(input(card, 'time').label), /Asia\/Tokyo/);
    });

    it('answers 400 naming the commands for an unknown commandId', async () => {
      const res = await h.post(invokeActivity(h, 'composeExtension/fetchTask', { commandId: 'bogus' }));
      assert.equal(res.status, 400);
      assert.match(
        (res.body as { error: { message: string } }).error.message,
        /Unknown commandId "bogus".*createMeeting.*recentMeetings/,
      );
    });
  });

  describe('composeExtension/submitAction', () => {
    it('creates the meeting and answers with a botMessagePreview of the meeting card', async () => {
      const nonce = await newForm();
      const before = h.graph.meetings.length;
      const res = await submit({
        nonce,
        subject: 'Design sync',
        ...later(26),
        duration: '45',
        passcode: 'false',
        live: 'false',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as ComposeBody;
      assert.equal(body.composeExtension.type, 'botMessagePreview');
      assert.equal(body.composeExtension.activityPreview?.type, 'message');
      const meeting = h.graph.meetings.at(-1)!;
      assert.equal(h.graph.meetings.length, before + 1);
      assert.equal(meeting.subject, 'Design sync');
      assert.ok(JSON.stringify(body).includes(meeting.joinWebUrl));
      assert.equal(
        body.composeExtension.activityPreview?.attachments[0]?.contentType,
        'application/vnd.microsoft.card.adaptive',
      );
      // whole-chat (#15): Add to calendar on every meeting card, the compose-box one too.
      assert.match(
        JSON.stringify(body.composeExtension.activityPreview),
        /"title":"Add to calendar","url":"http[^"]+\/meetings\/[^"]+\.ics"/,
      );
    });

    it('brings the form back with the values kept and the error next to the field', async () => {
      const nonce = await newForm();
      const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 });
      const calls = h.graph.requests.length;
      const res = await submit({
        nonce,
        subject: 'Too late',
        date: yesterday.toFormat('yyyy-MM-dd'),
        time: '10:00',
        duration: '2',
        passcode: 'true',
        live: 'false',
      });
      const card = formOf(res);
      assert.equal(input(card, 'subject').value, 'Too late');
      assert.equal(input(card, 'date').value, yesterday.toFormat('yyyy-MM-dd'));
      assert.equal(input(card, 'time').value, '10:00');
      assert.equal(input(card, 'passcode').value, 'true');
      assert.equal(nonceOf(card), nonce, 'same nonce: the fixed form is the same request');
      const texts = card.body.map((e) => e.text).filter(Boolean);
      assert.ok(texts.includes('This time has already passed. Pick a time in the future.'), JSON.stringify(texts));
      assert.ok(texts.includes('Enter a duration between 5 and 1440 minutes.'), JSON.stringify(texts));
      const dateIndex = card.body.findIndex((e) => e.id === 'date');
      assert.equal(
        card.body[dateIndex + 1]!.text,
        'This time has already passed. Pick a time in the future.',
        'error right under the date',
      );
      assert.equal(h.graph.requests.length, calls, 'no Graph call for an invalid form');
    });

    // Issue #17 row 6: an empty subject and duration 2 made a "(no subject)" meeting of 5 minutes without a word.
    it('refuses an empty subject and a duration of 2 on their fields, keeping what was typed, and creates nothing', async () => {
      const nonce = await newForm();
      const meetings = h.graph.meetings.length;
      const res = await submit({ nonce, subject: '  ', ...later(27), duration: '2' });
      const card = formOf(res);
      const after = (id: string) => card.body[card.body.findIndex((e) => e.id === id) + 1]!.text;
      assert.equal(after('subject'), 'Enter a subject for the meeting.');
      assert.equal(after('duration'), 'Enter a duration between 5 and 1440 minutes.');
      assert.equal(input(card, 'duration').value, 2, 'the duration is shown as typed, not changed to 5');
      assert.equal(nonceOf(card), nonce);
      assert.equal(h.graph.meetings.length, meetings, 'no meeting');
    });

    it('binds the meeting to the channel it was composed in (chatInfo.threadId)', async () => {
      const nonce = await newForm({ kind: 'channel' });
      const res = await submit({ nonce, subject: 'Channel sync', ...later(28), duration: 30 }, { kind: 'channel' });
      assert.equal((res.body as ComposeBody).composeExtension.type, 'botMessagePreview', JSON.stringify(res.body));
      const create = h.graph.requests.filter(
        (r) => r.method === 'POST' && (r.body as { subject?: string } | null)?.subject === 'Channel sync',
      );
      assert.equal(create.length, 1);
      assert.equal((create[0]!.body as { chatInfo?: { threadId?: string } }).chatInfo?.threadId, CHANNEL);
    });

    it('makes one meeting when the same nonce is submitted twice (createOrGet and passcode paths)', async () => {
      for (const passcode of ['false', 'true']) {
        const nonce = await newForm();
        const data = { nonce, subject: `Twice ${passcode}`, ...later(29), duration: 30, passcode };
        const before = h.graph.meetings.length;
        const [a, b] = await Promise.all([submit(data), submit(data)]);
        const c = await submit(data);
        assert.equal(h.graph.meetings.length, before + 1, `one meeting (passcode ${passcode})`);
        const keys = [a, b, c].map((r) =>
          meetingKeyIn((r.body as ComposeBody).composeExtension.activityPreview!.attachments[0]!.content),
        );
        assert.deepEqual(new Set(keys).size, 1);
      }
    });

    it('on Send posts the card itself as a new message and records it; answers an empty 200', async () => {
      const nonce = await newForm({ kind: 'channel' });
      const created = await submit(
        { nonce, subject: 'Posted by Convene', ...later(30), duration: 30 },
        { kind: 'channel' },
      );
      const preview = (created.body as ComposeBody).composeExtension.activityPreview!;
      const key = meetingKeyIn(preview.attachments[0]!.content);
      h.connector.reset();
      const res = await h.post(
        invokeActivity(
          h,
          'composeExtension/submitAction',
          {
            commandId: 'createMeeting',
            commandContext: 'compose',
            botMessagePreviewAction: 'send',
            botActivityPreview: [{ type: 'message/card', attachments: preview.attachments }],
          },
          { kind: 'channel' },
        ),
      );
      assert.equal(res.status, 200);
      assert.equal(res.body, undefined, 'empty body closes the compose extension');
      const posted = h.connector.messages();
      assert.equal(posted.length, 1);
      assert.equal(posted[0]!.method, 'POST');
      assert.equal(posted[0]!.conversationId, CHANNEL, 'a new post in the channel');
      assert.equal(posted[0]!.activityId, undefined, 'not a reply to the invoke');
      const stored = h.graph.meetings.find((m) => m.subject === 'Posted by Convene')!;
      assert.ok(JSON.stringify(posted[0]!.activity).includes(stored.joinWebUrl));
      const saved = await record(key);
      assert.equal(saved?.cardActivityId, posted[0]!.id);
      assert.equal(
        (saved?.conversation as { conversation?: { id?: string } }).conversation?.id,
        `${CHANNEL};messageid=${posted[0]!.id}`,
      );
    });

    it("answers Send with a message (not a 5xx) when the card can't be posted", async () => {
      const created = await submit({ nonce: await newForm(), subject: 'Unpostable', ...later(30), duration: 30 });
      const preview = (created.body as ComposeBody).composeExtension.activityPreview!;
      h.connector.failNext(403, 1);
      const res = await h.post(
        invokeActivity(h, 'composeExtension/submitAction', {
          commandId: 'createMeeting',
          botMessagePreviewAction: 'send',
          botActivityPreview: [{ type: 'message/card', attachments: preview.attachments }],
        }),
      );
      assert.equal(res.status, 200);
      assert.equal((res.body as TaskBody).task.type, 'message');
      assert.equal((await record(meetingKeyIn(preview.attachments[0]!.content)))?.cardActivityId, undefined);
    });

    it('on Edit brings the form back filled from the meeting, with a fresh nonce', async () => {
      const nonce = await newForm();
      const when = later(31);
      const created = await submit({ nonce, subject: 'Edit me', ...when, duration: 50, passcode: 'true' });
      const preview = (created.body as ComposeBody).composeExtension.activityPreview!;
      const res = await h.post(
        invokeActivity(h, 'composeExtension/submitAction', {
          commandId: 'createMeeting',
          botMessagePreviewAction: 'edit',
          botActivityPreview: [{ type: 'message/card', attachments: preview.attachments }],
        }),
      );
      const card = formOf(res);
      assert.equal(input(card, 'subject').value, 'Edit me');
      assert.equal(input(card, 'date').value, when.date);
      assert.equal(input(card, 'time').value, when.time);
      assert.equal(input(card, 'duration').value, 50);
      assert.equal(input(card, 'passcode').value, 'true');
      assert.notEqual(nonceOf(card), nonce);
      // The previewed meeting was never sent: Edit cancels it, so no orphan stays in Graph.
      await h.app.background.idle();
      const meetingId = h.graph.meetings.find((m) => m.subject === 'Edit me')?.id;
      const deletes = h.graph.requests.filter((r) => r.method === 'DELETE');
      assert.equal(meetingId, undefined);
      assert.equal(deletes.length >= 1, true);
      assert.equal((await record(meetingKeyIn(preview.attachments[0]!.content)))?.state, 'cancelled');
    });

    it('answers inside the budget when Graph is slow, keeps the nonce, and a second Create returns the meeting made', async () => {
      const nonce = await newForm();
      const data = { nonce, subject: 'Slow Graph', ...later(32), duration: 30 };
      const before = h.graph.meetings.length;
      h.graph.setLatency(5_500);
      const t0 = Date.now();
      const slow = await submit(data);
      const elapsed = Date.now() - t0;
      // Teams gives an invoke 5 s; the budget is 4 s.
      assert.ok(elapsed < 5_000, `answered in ${elapsed} ms`);
      const card = formOf(slow);
      assert.equal(nonceOf(card), nonce);
      assert.equal(input(card, 'subject').value, 'Slow Graph');
      assert.ok(JSON.stringify(card).includes('Teams is slow right now. Press Create again'), 'says what to do');
      await h.app.background.idle();
      h.graph.setLatency(0);
      const again = await submit(data);
      assert.equal((again.body as ComposeBody).composeExtension.type, 'botMessagePreview');
      assert.equal(h.graph.meetings.length, before + 1, 'no second meeting');
      assert.ok(JSON.stringify(again.body).includes(h.graph.meetings.at(-1)!.joinWebUrl));
    });
  });

  describe('composeExtension/submitAction with COMPOSE_SUBMIT_RESULT=insert (clients without botMessagePreview)', () => {
    let hi: Harness;
    // Own stand-ins: Entra only accepts each harness's own callback URL, and sign-in goes through it.
    before(async () => {
      hi = await startHarness({ env: { COMPOSE_SUBMIT_RESULT: 'insert' } });
      await signIn(hi, ADA);
    });
    after(async () => hi.close());

    it('answers a result with the meeting card (thumbnail preview) to insert into the compose box; one meeting per nonce', async () => {
      const nonce = nonceOf(
        formOf(
          await hi.post(
            invokeActivity(hi, 'composeExtension/fetchTask', { commandId: 'createMeeting', commandContext: 'compose' }),
          ),
        ),
      );
      const data = { nonce, subject: 'Inserted card', ...later(33), duration: '45', passcode: 'false', live: 'false' };
      const send = () =>
        hi.post(
          invokeActivity(hi, 'composeExtension/submitAction', {
            commandId: 'createMeeting',
            commandContext: 'compose',
            data,
          }),
        );
      const first = await send();
      const again = await send();
      assert.equal(
        hi.graph.meetings.filter((m) => m.subject === 'Inserted card').length,
        1,
        'one meeting for the nonce',
      );
      const meeting = hi.graph.meetings.find((m) => m.subject === 'Inserted card')!;
      for (const res of [first, again]) {
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const body = res.body as ComposeBody;
        assert.equal(body.composeExtension.type, 'result', JSON.stringify(res.body).slice(0, 400));
        assert.equal(body.composeExtension.attachmentLayout, 'list');
        assert.equal(body.composeExtension.activityPreview, undefined);
        assert.equal(body.composeExtension.attachments?.length, 1);
        const [attachment] = body.composeExtension.attachments ?? [];
        assert.ok(attachment);
        assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
        assert.ok(
          JSON.stringify(attachment.content).includes(meeting.joinWebUrl),
          'the meeting card with its join link',
        );
        assert.equal(attachment.preview.contentType, 'application/vnd.microsoft.card.thumbnail');
        assert.equal(attachment.preview.content.title, 'Inserted card');
      }
      assert.equal(
        meetingKeyIn((first.body as ComposeBody).composeExtension.attachments![0]!.content),
        meetingKeyIn((again.body as ComposeBody).composeExtension.attachments![0]!.content),
      );
    });

    it('does not answer the user\'s message that carries the inserted card (no "didn\'t understand")', async () => {
      hi.connector.reset();
      const sent = await hi.post({
        ...messageActivity(hi, ''),
        // What the Agents Playground sends for a card sent from the compose box.
        text: '\n<span class="inline-compose-card" itemid="0" itemtype="http://schema.skype.com/InputExtension">\n  <span content="0" itemprop="cardId"></span>\n</span>\n',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: { type: 'AdaptiveCard', version: '1.5', body: [] },
          },
        ],
      });
      assert.equal(sent.status, 200);
      assert.deepEqual(
        hi.connector.messages().filter((c) => (c.activity as { type?: string }).type === 'message'),
        [],
      );
      await hi.post(messageActivity(hi, 'what can you do'));
      await hi.connector.waitForMessage((c) => /didn't understand/.test(JSON.stringify(c.activity)));
    });
  });

  describe('composeExtension/query (recentMeetings)', () => {
    it('answers a user with no meetings yet with a message', async () => {
      await signIn(h, ALAN);
      const res = await query(undefined, {}, { user: ALAN });
      assert.equal(res.status, 200);
      const body = res.body as ComposeBody;
      assert.equal(body.composeExtension.type, 'message');
      assert.match(body.composeExtension.text!, /haven't created any meetings/);
    });

    it("lists the user's meetings newest first (initialRun), with thumbnail previews, and filters on the subject", async () => {
      await signIn(h, GRACE);
      for (const subject of ['Alpha review', 'Beta planning', 'Gamma review']) {
        const nonce = await newForm({ user: GRACE });
        const res = await submit({ nonce, subject, ...later(40), duration: 30 }, { user: GRACE });
        assert.equal((res.body as ComposeBody).composeExtension.type, 'botMessagePreview');
      }
      const all = (await query(undefined, {}, { user: GRACE })).body as ComposeBody;
      assert.equal(all.composeExtension.type, 'result');
      assert.equal(all.composeExtension.attachmentLayout, 'list');
      assert.deepEqual(
        all.composeExtension.attachments!.map((a) => a.preview.content.title),
        ['Gamma review', 'Beta planning', 'Alpha review'],
      );
      const first = all.composeExtension.attachments![0]!;
      assert.equal(first.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.equal(first.preview.contentType, 'application/vnd.microsoft.card.thumbnail');
      assert.ok(first.preview.content.text.length > 0);
      const gamma = h.graph.meetings.find((m) => m.subject === 'Gamma review')!;
      assert.ok(JSON.stringify(first.content).includes(gamma.joinWebUrl));

      const filtered = (await query('REVIEW', {}, { user: GRACE })).body as ComposeBody;
      assert.deepEqual(
        filtered.composeExtension.attachments!.map((a) => a.preview.content.title),
        ['Gamma review', 'Alpha review'],
      );
      const none = (await query('retro', {}, { user: GRACE })).body as ComposeBody;
      assert.equal(none.composeExtension.type, 'message');
    });

    // whole-chat (#15): the parameters Copilot fills (dev-guidelines-agents: expect null or empty parameters).
    it('Copilot parameters: a date range and the organizer filter; null and empty ones are ignored; no imBack/messageBack', async () => {
      await signIn(h, KATE);
      for (const [subject, days] of [
        ['Near sync', 1],
        ['Far sync', 9],
      ] as const) {
        const nonce = await newForm({ user: KATE });
        const date = DateTime.now().setZone(ZONE).plus({ days }).toFormat('yyyy-MM-dd');
        await submit({ nonce, subject, date, time: '10:00', duration: 30 }, { user: KATE });
      }
      const ask = async (parameters: { name: string; value: unknown }[]) =>
        (
          (
            await h.post(
              invokeActivity(h, 'composeExtension/query', { commandId: 'recentMeetings', parameters }, { user: KATE }),
            )
          ).body as ComposeBody
        ).composeExtension;
      const soon = DateTime.now().setZone(ZONE).plus({ days: 3 }).toFormat('yyyy-MM-dd');
      const later = DateTime.now().setZone(ZONE).plus({ days: 5 }).toFormat('yyyy-MM-dd');
      const titles = (c: ComposeBody['composeExtension']) => (c.attachments ?? []).map((a) => a.preview.content.title);
      assert.deepEqual(
        titles(
          await ask([
            { name: 'query', value: 'sync' },
            { name: 'to', value: soon },
            { name: 'from', value: null },
          ]),
        ),
        ['Near sync'],
      );
      assert.deepEqual(
        titles(
          await ask([
            { name: 'query', value: '' },
            { name: 'from', value: later },
            { name: 'organizer', value: 'me' },
          ]),
        ),
        ['Far sync'],
      );
      assert.deepEqual(
        titles(
          await ask([
            { name: 'organizer', value: KATE.name },
            { name: 'from', value: 'not a date' },
          ]),
        ),
        ['Far sync', 'Near sync'],
      );
      const other = await ask([{ name: 'organizer', value: GRACE.name }]);
      assert.equal(other.type, 'message');
      const all = await ask([{ name: 'query', value: null }]);
      for (const a of all.attachments ?? []) assert.deepEqual(unsupportedCopilotActions(a.content), []);
    });
  });

  describe('sign-in', () => {
    let h2: Harness;
    // Own stand-ins: Entra only accepts each harness's own callback URL.
    beforeEach(async () => {
      h2 = await startHarness();
    });
    afterEach(async () => h2.close());

    it('action command without a token answers auth with the sign-in link, and works after sign-in', async () => {
      const res = await h2.post(
        invokeActivity(h2, 'composeExtension/fetchTask', { commandId: 'createMeeting' }, { user: ADA }),
      );
      assert.equal(res.status, 200);
      const body = res.body as ComposeBody;
      assert.equal(body.composeExtension.type, 'auth');
      const action = body.composeExtension.suggestedActions!.actions[0]!;
      assert.equal(action.type, 'openUrl');
      assert.ok(action.value.startsWith(`${h2.baseUrl}/auth/start?t=`));
      const submitted = await h2.post(
        invokeActivity(h2, 'composeExtension/submitAction', {
          commandId: 'createMeeting',
          data: { nonce: randomUUID(), subject: 'After sign-in', ...later(50) },
        }),
      );
      assert.equal((submitted.body as ComposeBody).composeExtension.type, 'auth');
      await signIn(h2, ADA);
      formOf(
        await h2.post(invokeActivity(h2, 'composeExtension/fetchTask', { commandId: 'createMeeting' }, { user: ADA })),
      );
    });

    it('search without a token answers silentAuth; a bad SSO token gets 412; a good one lists', async () => {
      const ask = await h2.post(
        invokeActivity(h2, 'composeExtension/query', {
          commandId: 'recentMeetings',
          parameters: [{ name: 'initialRun', value: 'true' }],
        }),
      );
      const body = ask.body as ComposeBody;
      assert.equal(body.composeExtension.type, 'silentAuth');
      assert.ok(body.composeExtension.suggestedActions!.actions[0]!.value.includes('/auth/start?t='));

      const bad = h2.entra.mintSsoToken({ oid: ADA.aadObjectId, audience: 'api://someone-else' });
      const refused = await h2.post(
        invokeActivity(h2, 'composeExtension/query', {
          commandId: 'recentMeetings',
          parameters: [{ name: 'initialRun', value: 'true' }],
          authentication: { token: bad },
        }),
      );
      assert.equal(refused.status, 412);

      const good = h2.entra.mintSsoToken({ oid: ADA.aadObjectId });
      const listed = await h2.post(
        invokeActivity(h2, 'composeExtension/query', {
          commandId: 'recentMeetings',
          parameters: [{ name: 'initialRun', value: 'true' }],
          authentication: { token: good },
        }),
      );
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.notEqual((listed.body as ComposeBody).composeExtension.type, 'silentAuth');
      // The OBO result is cached: the next query needs no token.
      const next = await h2.post(
        invokeActivity(h2, 'composeExtension/query', { commandId: 'recentMeetings', parameters: [{ value: '' }] }),
      );
      assert.notEqual((next.body as ComposeBody).composeExtension.type, 'silentAuth');
    });

    it('asks with auth (not silentAuth) when Teams SSO is off', async () => {
      const h3 = await startHarness({ entra: h2.entra, graph: h2.graph, env: { TEAMS_SSO: 'false' } });
      try {
        const res = await h3.post(
          invokeActivity(h3, 'composeExtension/query', { commandId: 'recentMeetings', parameters: [{ value: 'x' }] }),
        );
        assert.equal((res.body as ComposeBody).composeExtension.type, 'auth');
      } finally {
        await h3.close();
      }
    });

    it('needs no sign-in in application mode', async () => {
      h2.graph.grantAccessPolicy(LOCAL_CLIENT_ID, 'global');
      const h3 = await startHarness({ entra: h2.entra, graph: h2.graph, env: { MEETINGS_AUTH_MODE: 'application' } });
      try {
        const nonce = nonceOf(
          formOf(
            await h3.post(
              invokeActivity(h3, 'composeExtension/fetchTask', { commandId: 'createMeeting' }, { user: KATE }),
            ),
          ),
        );
        const res = await h3.post(
          invokeActivity(
            h3,
            'composeExtension/submitAction',
            { commandId: 'createMeeting', data: { nonce, subject: 'App mode', ...later(51) } },
            { user: KATE },
          ),
        );
        assert.equal((res.body as ComposeBody).composeExtension.type, 'botMessagePreview', JSON.stringify(res.body));
        const listed = await h3.post(
          invokeActivity(
            h3,
            'composeExtension/query',
            { commandId: 'recentMeetings', parameters: [{ name: 'initialRun', value: 'true' }] },
            { user: KATE },
          ),
        );
        assert.equal((listed.body as ComposeBody).composeExtension.attachments?.[0]?.preview.content.title, 'App mode');
      } finally {
        await h3.close();
      }
    });
  });
});
