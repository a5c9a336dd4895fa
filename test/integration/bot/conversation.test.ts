import assert from 'node:assert/strict';
import { replyLocale, t } from '../../../src/i18n';
import { commandLanguage } from '../../../src/meetings/command-words';
import { FRI_LA, PHRASES, type PhraseCase } from '../../fixtures/phrases';
import {
  ADA,
  invokeActivity,
  messageActivity,
  signIn,
  startHarness,
  type ActivityOptions,
  type Harness,
} from '../../support/harness';

/**
 * Issue #17's table, row by row, through the real HTTP server and the stand-ins, under a clock that starts at
 * Fri 6 Mar 2026 09:00 PST (FRI_LA) in America/Los_Angeles, so the expected instants are the corpus's hand-written ones.
 */
type Json = Record<string, unknown>;
const LA = 'America/Los_Angeles';

function cardOf(activity: Json): Json {
  return (activity.attachments as { content: Json }[])[0]!.content;
}

/** Every element or action of a card with the given `type`, depth first. */
function allOfType(node: unknown, type: string, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) allOfType(n, type, out);
  else if (node && typeof node === 'object') {
    const rec = node as Json;
    if (rec.type === type) out.push(rec);
    for (const v of Object.values(rec)) if (v && typeof v === 'object') allOfType(v, type, out);
  }
  return out;
}

function textsOf(card: Json): string[] {
  return allOfType(card, 'TextBlock').map((b) => b.text as string);
}

describe('conversation (issue #17) over HTTP', () => {
  let h: Harness;
  let offset = 0;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' }, clock: { now: () => Date.now() + offset } });
    await signIn(h, ADA);
  });
  after(async () => h.close());
  beforeEach(() => {
    offset = Date.parse(FRI_LA) - Date.now();
    h.graph.reset();
    h.connector.reset();
  });

  /** Create requests; a `live` phrase makes a town hall (graph-townhall), read in the onlineMeeting body's terms. */
  const creates = () =>
    h.graph.requests
      .filter((r) => r.method === 'POST' && (/onlineMeetings/.test(r.path) || /\/townhalls$/.test(r.path)))
      .map((r) => {
        if (!/\/townhalls$/.test(r.path)) return r;
        const t = r.body as {
          displayName: string;
          startDateTime: { dateTime: string };
          endDateTime: { dateTime: string };
        };
        return {
          ...r,
          body: {
            subject: t.displayName,
            startDateTime: `${t.startDateTime.dateTime}Z`,
            endDateTime: `${t.endDateTime.dateTime}Z`,
          },
        };
      });

  /** Sends `text` as Ada and returns the card Convene answered with. */
  async function ask(text: string, options: ActivityOptions = {}): Promise<{ card: Json; id: string }> {
    const before = h.connector.messages().length;
    const res = await h.post(messageActivity(h, text, { timeZone: LA, ...options }));
    assert.equal(res.status, 200);
    const call = await h.connector.waitForMessage(
      (c) => h.connector.messages().indexOf(c) >= before && Array.isArray(c.activity.attachments),
    );
    return { card: cardOf(call.activity), id: call.id };
  }

  /** Presses a clarify card's `confirmCreate` with `data` (a suggestion's, or the picker's values merged in). */
  async function answer(cardId: string, data: Json): Promise<{ status: number; card: Json }> {
    const res = await h.post(
      invokeActivity(
        h,
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: 'confirmCreate', data } },
        { replyToId: cardId, timeZone: LA },
      ),
    );
    return { status: res.status, card: (res.body as { value: Json }).value };
  }

  function confirmButtons(card: Json): Json[] {
    return allOfType(card, 'Action.Execute').filter((a) => a.verb === 'confirmCreate');
  }

  function assertPicker(card: Json, locale = 'en-US'): string {
    const [date] = allOfType(card, 'Input.Date');
    const [time] = allOfType(card, 'Input.Time');
    assert.equal(date?.id, 'clarifyDate', 'an inline date picker');
    assert.equal(time?.id, 'clarifyTime', 'an inline time picker');
    const create = confirmButtons(card).find((a) => (a.data as Json).startDateTime === undefined);
    assert.equal(create?.title, t(locale, 'clarify.create'));
    assert.ok(
      allOfType(card, 'Action.Execute').some((a) => a.verb === 'dismiss'),
      'a way to say no',
    );
    return (create!.data as { requestKey: string }).requestKey;
  }

  it('`meet review at 25:00`: names "25:00", asks when, creates nothing; the picker answer keeps the subject', async () => {
    const { card, id } = await ask('meet review at 25:00');
    assert.deepEqual(creates(), [], 'no meeting now');
    assert.ok(textsOf(card).includes('When should the meeting be?'));
    assert.ok(
      textsOf(card).includes('I couldn\'t read "25:00" as a time. Pick a date and time below:'),
      JSON.stringify(textsOf(card)),
    );
    const requestKey = assertPicker(card);
    const answered = await answer(id, { requestKey, clarifyDate: '2026-03-07', clarifyTime: '15:00' });
    assert.equal(answered.status, 200);
    const [req] = creates();
    const body = req!.body as { subject: string; startDateTime: string; endDateTime: string };
    assert.equal(body.subject, 'review');
    assert.equal(Date.parse(body.startDateTime), Date.parse('2026-03-07T23:00:00.000Z'));
    assert.equal(Date.parse(body.endDateTime), Date.parse('2026-03-07T23:30:00.000Z'));
    assert.match(JSON.stringify(answered.card), /meetup-join/, 'the clarify card becomes the meeting card');
    // A second press of the same answer (double click, Teams retry) finds the first meeting: same idempotency key.
    const again = await answer(id, { requestKey, clarifyDate: '2026-03-07', clarifyTime: '15:00' });
    assert.equal(again.status, 200);
    assert.equal(h.graph.meetings.length, 1, 'one meeting for two presses');
  });

  it('`meet review tomorrow at 25:00`: the same question (not "more than one time"), the picker on tomorrow', async () => {
    const { card } = await ask('meet review tomorrow at 25:00');
    assert.deepEqual(creates(), []);
    const texts = textsOf(card).join('\n');
    assert.match(texts, /I couldn't read "25:00" as a time/);
    assert.doesNotMatch(texts, /more than one time/);
    assert.equal(allOfType(card, 'Input.Date')[0]?.value, '2026-03-07');
    assert.deepEqual(
      confirmButtons(card).filter((a) => (a.data as Json).startDateTime),
      [],
      'no 9:00 AM guess',
    );
    assertPicker(card);
  });

  it('`meet yesterday 3pm`: offers today, tomorrow and next Thursday 3pm plus the picker; a past picker answer asks again', async () => {
    const { card, id } = await ask('meet yesterday 3pm');
    const offered = confirmButtons(card).filter((a) => (a.data as Json).startDateTime);
    assert.deepEqual(
      offered.map((a) => [a.title, (a.data as Json).startDateTime]),
      [
        ['Fri, Mar 6, 3:00 PM (PST)', '2026-03-06T23:00:00.000Z'],
        ['Sat, Mar 7, 3:00 PM (PST)', '2026-03-07T23:00:00.000Z'],
        ['Thu, Mar 12, 3:00 PM (PDT)', '2026-03-12T22:00:00.000Z'],
      ],
    );
    const requestKey = assertPicker(card);
    const again = await answer(id, { requestKey, clarifyDate: '2026-03-05', clarifyTime: '15:00' });
    assert.equal(again.status, 200);
    assert.ok(textsOf(again.card).includes('That time has already passed. Pick a time in the future.'), 'says why');
    assert.equal(confirmButtons(again.card).length, 4, 'the same answers are offered again');
    assert.deepEqual(creates(), []);
    const chosen = await answer(id, { requestKey, startDateTime: '2026-03-12T22:00:00.000Z' });
    assert.equal(chosen.status, 200);
    assert.equal(
      Date.parse((creates()[0]!.body as { startDateTime: string }).startDateTime),
      Date.parse('2026-03-12T22:00:00.000Z'),
    );
  });

  it('`new planning next monday 9:30 for 1.5 hours`: offers 9:30 AM and 9:30 PM, each 90 minutes', async () => {
    const { card, id } = await ask('new planning next monday 9:30 for 1.5 hours');
    const offered = confirmButtons(card).filter((a) => (a.data as Json).startDateTime);
    assert.deepEqual(
      offered.map((a) => a.title),
      ['Mon, Mar 9, 9:30 AM (PDT)', 'Mon, Mar 9, 9:30 PM (PDT)'],
    );
    assertPicker(card);
    await answer(id, offered[1]!.data as Json);
    const body = creates()[0]!.body as { subject: string; startDateTime: string; endDateTime: string };
    assert.equal(body.subject, 'planning');
    assert.equal(Date.parse(body.startDateTime), Date.parse('2026-03-10T04:30:00.000Z'));
    assert.equal(Date.parse(body.endDateTime), Date.parse('2026-03-10T06:00:00.000Z'));
  });

  it('a 3,000-character subject: says subjects are limited to 255 characters', async () => {
    const { card } = await ask(`meet ${'x'.repeat(3000)}`);
    assert.deepEqual(creates(), []);
    assert.ok(textsOf(card).includes("I can't create that meeting"));
    // Parentheses are markdown-escaped in the card; Teams shows them plain.
    assert.ok(
      textsOf(card).includes('A subject can be at most 255 characters \\(this one has 3005\\).'),
      JSON.stringify(textsOf(card)),
    );
  });

  for (const [text, line] of [
    ['hi', "Hi! I'm Convene: tell me what to schedule and I'll create the Teams meeting."],
    ['thanks', "You're welcome! Anything else to schedule?"],
  ] as const) {
    it(`\`${text}\`: a short friendly answer with a suggestion button`, async () => {
      const { card } = await ask(text);
      assert.ok(textsOf(card).includes(line));
      assert.doesNotMatch(textsOf(card).join('\n'), /didn't understand/);
      const [suggestion] = allOfType(card, 'Action.Submit');
      assert.deepEqual(suggestion?.data, {
        msteams: { type: 'imBack', value: 'meet Team sync tomorrow 10am for 30 min' },
      });
    });
  }

  it('the suggestion a greeting offers is a command that makes a meeting', async () => {
    await ask('meet Team sync tomorrow 10am for 30 min');
    const body = creates()[0]!.body as { subject: string; startDateTime: string };
    assert.equal(body.subject, 'Team sync');
    assert.equal(Date.parse(body.startDateTime), Date.parse('2026-03-07T18:00:00.000Z'));
  });

  it('`@Convene help` in a channel: the examples are written with @Convene', async () => {
    const { card } = await ask('help', { kind: 'channel' });
    const texts = textsOf(card);
    assert.ok(texts.includes('• @Convene meet Sprint review tomorrow 3pm for 45 min passcode'), JSON.stringify(texts));
    assert.ok(texts.some((x) => x.startsWith('• **@Convene meet**')));
  });

  it('`会议 周会 明天下午3点` from an English Teams client: answered in Chinese, Graph asked in zh-CN', async () => {
    const before = h.connector.messages().length;
    await h.post(messageActivity(h, '会议 周会 明天下午3点', { timeZone: LA, locale: 'en-US' }));
    const call = await h.connector.waitForMessage(
      (c) => h.connector.messages().indexOf(c) >= before && JSON.stringify(c.activity).includes('meetup-join'),
    );
    const [req] = creates();
    assert.equal(req!.headers['accept-language'], 'zh-CN');
    const body = req!.body as { subject: string; startDateTime: string };
    assert.equal(body.subject, '周会');
    assert.equal(Date.parse(body.startDateTime), Date.parse('2026-03-07T23:00:00.000Z'));
    const card = JSON.stringify(cardOf(call.activity));
    assert.ok(card.includes(t('zh-CN', 'meeting.join')), 'the card is in Chinese');
    assert.ok(!card.includes(`"${t('en', 'meeting.join')}"`), 'not in English');
  });

  it('`meet …` (the English syntax every help card teaches) from a Japanese client is answered in Japanese', async () => {
    const { card } = await ask('meet review at 25:00', { locale: 'ja-JP' });
    assert.ok(textsOf(card).includes('会議はいつにしますか?'));
  });

  it('`会議 …` from a Chinese client is answered in Japanese', async () => {
    const { card } = await ask('会議 x 25時', { locale: 'zh-CN', timeZone: 'Asia/Tokyo' });
    assert.ok(textsOf(card).includes('会議はいつにしますか?'), JSON.stringify(textsOf(card)));
  });

  /**
   * A sample of the phrase corpus (every third phrase a user could send as is: no @mentions, no sign-out, a start
   * that is not "now"), each under its own clock and zone: what Graph is asked for, or which answers the question offers.
   */
  describe('phrase corpus sample', () => {
    const sample = PHRASES.filter(
      (p) =>
        !p.text.includes('<at>') &&
        p.expected.kind !== 'signout' &&
        !(p.expected.kind === 'create' && !p.expected.startWasGiven),
    ).filter((_, i) => i % 3 === 0);

    it('has at least 50 phrases', () => {
      assert.ok(sample.length >= 50, `only ${sample.length}`);
    });

    for (const phrase of sample) {
      it(`${JSON.stringify(phrase.text.slice(0, 60))} (${phrase.timeZone}, ${phrase.locale}) → ${phrase.expected.kind}`, async () => {
        offset = Date.parse(phrase.now) - Date.now();
        await expectOverHttp(phrase);
      });
    }
  });

  async function expectOverHttp(phrase: PhraseCase): Promise<void> {
    const { card } = await ask(phrase.text, { timeZone: phrase.timeZone, locale: phrase.locale });
    const expected = phrase.expected;
    if (expected.kind !== 'create') assert.deepEqual(creates(), [], 'no meeting');
    switch (expected.kind) {
      case 'create': {
        const body = creates()[0]?.body as {
          subject: string;
          startDateTime: string;
          endDateTime: string;
          joinMeetingIdSettings?: unknown;
        };
        assert.ok(body, 'Graph was asked to create the meeting');
        if (expected.subject) assert.equal(body.subject, expected.subject);
        // Within a second: `now` and `in 2 hours` are read from the moving clock; every other time is on a minute.
        assert.ok(
          Math.abs(Date.parse(body.startDateTime) - Date.parse(expected.startDateTime)) < 1000,
          body.startDateTime,
        );
        assert.ok(Math.abs(Date.parse(body.endDateTime) - Date.parse(expected.endDateTime)) < 1000, body.endDateTime);
        assert.equal(body.joinMeetingIdSettings !== undefined, expected.passcode);
        break;
      }
      case 'clarify': {
        const offered = confirmButtons(card)
          .map((a) => (a.data as Json).startDateTime)
          .filter(Boolean);
        assert.deepEqual(offered, expected.suggestions.slice(0, 5));
        assertPicker(card, replyLocale(phrase.locale, commandLanguage(phrase.text)));
        for (const word of expected.unreadable ?? [])
          assert.ok(JSON.stringify(card).includes(word.replace(/[*_]/g, '')), `names ${word}`);
        break;
      }
      default:
        assert.ok(textsOf(card).length > 0, 'an answer');
    }
  }

  describe('DEV_LOCALE (npm run dev -- --locale ja-JP)', () => {
    let dev: Harness;
    before(async () => {
      dev = await startHarness({ env: { TEAMS_SSO: 'false', DEV_LOCALE: 'ja-JP' } });
    });
    after(async () => dev.close());

    it('answers an en-US client (the Playground) as a Japanese one', async () => {
      await dev.post(messageActivity(dev, 'help', { locale: 'en-US' }));
      const call = await dev.connector.waitForMessage((c) => Array.isArray(c.activity.attachments));
      assert.ok(textsOf(cardOf(call.activity)).includes(t('ja', 'help.title')));
    });
  });
});
