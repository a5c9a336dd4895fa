import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import {
  CLARIFY_CARD_TEMPLATE, ERROR_CARD_TEMPLATE, INFO_CARD_TEMPLATE, MEETING_CARD_TEMPLATE, MEETING_FORM_CARD_TEMPLATE,
  NOTICE_CARD_TEMPLATE, SIGN_IN_CARD_TEMPLATE, clarifyCardData, errorCardData, helpCardData, meetingCardData,
  meetingFormCardData, noticeCardData, renderClarifyCard, renderErrorCard, renderHelpCard, renderMeetingCard,
  renderMeetingFormCard, renderNoticeCard, renderSignInCard, renderUsageCard, renderWelcomeCard, signInCardData,
  usageCardData, welcomeCardData, type AdaptiveCard, type ClarifyCardView, type ErrorCardView, type MeetingCardView,
  type MeetingFormCardView,
} from '../../../src/cards/index.js';
import { TemplateError, compileTemplate } from '../../../src/cards/template.js';
import { meetingCardView } from '../../fixtures/meeting-card-view.js';

/** The reference engine the compiler replaces (a test-only dependency from now on). */
function reference(template: object, data: object): unknown {
  return new Template(template).expand({ $root: data }) as unknown;
}

/** Compiles a hand-written template; the compiler accepts any JSON, the AdaptiveCard type is for the cards. */
function compile(template: object): (data: object) => unknown {
  return compileTemplate<object>(template as AdaptiveCard);
}

/** Renders with both engines, asserts they agree and returns the result. */
function both(template: object, data: object): unknown {
  const ours = compile(template)(data);
  assert.deepEqual(ours, reference(template, data));
  return ours;
}

const HOSTILE = 'Q3 *plan* <at>All</at> ${subject} ${string(1)} {{DATE(2017-02-14T06:08:39Z, SHORT)}} `code` | a\nb';

/** The organizer's view: the card with every part present. */
function meetingView(overrides: Partial<MeetingCardView> = {}): MeetingCardView {
  return meetingCardView({ audience: 'organizer', ...overrides });
}

interface Case {
  readonly name: string;
  readonly template: AdaptiveCard;
  readonly data: object;
  /** The public render function for the same input, which must give what the compiled template gives. */
  readonly render?: () => AdaptiveCard;
}

function meetingCase(name: string, overrides: Partial<MeetingCardView>, limit?: number): Case {
  const view = meetingView(overrides);
  return {
    name: `meeting card: ${name}`,
    template: MEETING_CARD_TEMPLATE,
    data: meetingCardData(view, limit),
    // renderMeetingCard cuts attendees only past 28 KB, so a cut list has no render to compare with.
    ...(limit === undefined ? { render: () => renderMeetingCard(view) } : {}),
  };
}

const errorCase = (name: string, view: ErrorCardView): Case =>
  ({ name: `error card: ${name}`, template: ERROR_CARD_TEMPLATE, data: errorCardData(view), render: () => renderErrorCard(view) });
const clarifyCase = (name: string, view: ClarifyCardView): Case =>
  ({ name: `clarify card: ${name}`, template: CLARIFY_CARD_TEMPLATE, data: clarifyCardData(view), render: () => renderClarifyCard(view) });
const formCase = (name: string, view: MeetingFormCardView): Case =>
  ({ name: `form card: ${name}`, template: MEETING_FORM_CARD_TEMPLATE, data: meetingFormCardData(view), render: () => renderMeetingFormCard(view) });

const CASES: readonly Case[] = [
  meetingCase('organizer, dial-in, 3 attendees', {}),
  meetingCase('everyone view', { audience: 'everyone' }),
  meetingCase('cancelled, organizer', { state: 'cancelled' }),
  meetingCase('cancelled, everyone', { state: 'cancelled', audience: 'everyone' }),
  meetingCase('no dial-in, calendar, passcode or attendees; a notice', { dialIn: undefined, icsUrl: undefined, passcode: undefined, attendees: [], notice: 'Rescheduled' }),
  meetingCase('dial-in URL only, no join URL', { dialIn: { dialinUrl: 'https://dialin.example/x' }, joinWebUrl: 'javascript:alert(1)' }),
  meetingCase('channel bound, live event, many refresh users', { channelBound: true, isBroadcast: true, refreshUserIds: Array.from({ length: 70 }, (_, i) => `29:u${i}`) }),
  meetingCase('channel fallback, one attendee', { channelBindingFallback: true, attendees: [{ displayName: 'Solo', role: 'attendee' }] }),
  meetingCase('attendees cut to 1 of 3 ("and 2 more")', {}, 1),
  meetingCase('zh-CN, hostile subject and names', { locale: 'zh-CN', timeZone: 'Asia/Shanghai', subject: HOSTILE, organizerName: HOSTILE, attendees: [{ displayName: HOSTILE, role: 'presenter' }] }),
  errorCase('retry and request', { locale: 'en', code: 'graph_throttled', requestSummary: 'meet *x* ${y}', retryData: { requestKey: 'k9' } }),
  errorCase('no retry, no request', { locale: 'zh-CN', code: 'internal' }),
  clarifyCase('past, two suggestions', { locale: 'en', timeZone: 'America/Los_Angeles', reason: 'past', requestKey: 'r1', requestedStart: '2026-03-09T22:00:00Z', suggestions: ['2026-03-11T22:00:00Z', '2026-03-17T22:00:00Z'] }),
  clarifyCase('ambiguous, one suggestion', { locale: 'ja', timeZone: 'Asia/Tokyo', reason: 'ambiguous', requestKey: 'r2', requestedText: HOSTILE, suggestions: ['2026-03-11T01:00:00Z'] }),
  clarifyCase('no suggestions', { locale: 'en', timeZone: 'UTC', reason: 'ambiguous', requestKey: 'r3', requestedText: 'soon', suggestions: [] }),
  formCase('values, errors, notice and verb', {
    locale: 'zh-CN', timeZone: 'Asia/Shanghai', nonce: 'n-2', submitVerb: 'createMeeting', notice: 'Teams is slow',
    values: { subject: HOSTILE, date: '2026-03-11', time: '09:30', duration: 45, passcode: true, live: true },
    errors: { date: 'Pick a date in the future', duration: 'At least <5> minutes' },
  }),
  formCase('empty', { locale: 'en', timeZone: 'Europe/Berlin', nonce: 'n-1', values: {} }),
  { name: 'help card', template: INFO_CARD_TEMPLATE, data: helpCardData('en'), render: () => renderHelpCard('en') },
  { name: 'usage card with a reason', template: INFO_CARD_TEMPLATE, data: usageCardData('ja', HOSTILE), render: () => renderUsageCard('ja', HOSTILE) },
  { name: 'usage card without a reason', template: INFO_CARD_TEMPLATE, data: usageCardData('en'), render: () => renderUsageCard('en') },
  ...(['personal', 'groupChat', 'team'] as const).map((scope): Case => (
    { name: `welcome card: ${scope}`, template: INFO_CARD_TEMPLATE, data: welcomeCardData('zh-CN', scope), render: () => renderWelcomeCard('zh-CN', scope) })),
  { name: 'notice card', template: NOTICE_CARD_TEMPLATE, data: noticeCardData('en', 'notice.notOrganizer'), render: () => renderNoticeCard('en', 'notice.notOrganizer') },
  ...(['first', 'consent', 'expired'] as const).map((reason): Case => ({
    name: `sign-in card: ${reason}`,
    template: SIGN_IN_CARD_TEMPLATE,
    data: signInCardData('en', 'https://bot.example/auth/start?s=1', reason),
    render: () => renderSignInCard('en', 'https://bot.example/auth/start?s=1', reason),
  })),
];

describe('compileTemplate() on the card templates', () => {
  for (const c of CASES) {
    it(`${c.name}: same card as adaptivecards-templating`, () => {
      const ours = compileTemplate<object>(c.template)(c.data);
      assert.deepEqual(ours, reference(c.template, c.data));
      // Every binding was filled, so the comparison covers real values rather than two copies of `${x}`.
      assert.doesNotMatch(JSON.stringify(ours), /(?<!\\)\$\{/);
    });
  }

  for (const { name, template, data, render } of CASES) {
    if (!render) continue;
    it(`${name}: the render function expands its data with the template`, () => {
      const card = compileTemplate<object>(template)(data);
      // renderMeetingCard drops the refresh that the template turns into null for a cancelled meeting.
      const { refresh, ...withoutRefresh } = card;
      assert.deepEqual(render(), refresh === null ? withoutRefresh : card);
    });
  }

  it('covers the branches the cases are named for', () => {
    const body = (c: Case) => JSON.stringify(compileTemplate<object>(c.template)(c.data));
    const [organizer, everyone, cancelled] = CASES;
    assert.match(body(organizer!), /"verb":"reschedule"/);
    assert.doesNotMatch(body(everyone!), /"verb":"reschedule"/);
    assert.match(body(cancelled!), /"refresh":null/);
    assert.match(body(CASES.find((c) => c.name.includes('cut to'))!), /and 2 more/);
  });
});

describe('compileTemplate() rules', () => {
  it('a whole-string binding keeps the value and its type', () => {
    const data = { n: 45, yes: true, no: false, obj: { a: 1 }, list: ['x', 'y'], empty: '', nothing: null };
    const template = { n: '${n}', yes: '${yes}', no: '${no}', obj: '${obj}', list: '${list}', empty: '${empty}', nothing: '${nothing}' };
    assert.deepEqual(both(template, data), { n: 45, yes: true, no: false, obj: { a: 1 }, list: ['x', 'y'], empty: '', nothing: null });
  });

  it('interpolates one or more bindings into text, as toString() prints them', () => {
    const data = { name: 'Ana', n: 3, ok: true, pair: [1, 2] };
    assert.deepEqual(both({ text: 'Hi ${name}, ${n} new (${ok}) ${pair}!' }, data), { text: 'Hi Ana, 3 new (true) 1,2!' });
    assert.deepEqual(both({ text: '${name}${name}' }, data), { text: 'AnaAna' });
    assert.deepEqual(both({ text: '{$${name}} 100% #1' }, data), { text: '{$Ana} 100% #1' });
  });

  it('reads dotted paths', () => {
    const data = { a: { b: { c: 'deep' } }, l: { save: 'Save' } };
    assert.deepEqual(both({ x: '${a.b.c}', y: 'Press ${l.save}', z: '${ a . b }' }, data), { x: 'deep', y: 'Press Save', z: { c: 'deep' } });
    // Only at the start of a path are true/false/null literals.
    assert.deepEqual(both({ x: '${a.true}' }, { a: { true: 'yes' } }), { x: 'yes' });
  });

  it('falls back to a name that differs only in case, as the reference engine does', () => {
    assert.deepEqual(both({ x: '${Title}', y: '${L.SAVE}' }, { title: 'Plan', l: { save: 'Save' } }), { x: 'Plan', y: 'Save' });
  });

  it('leaves an undefined binding in place, as the reference engine does', () => {
    const data = { a: { b: 1 }, s: 'text' };
    assert.deepEqual(both({ x: '${missing}', y: '${a.x.y}', z: 'see ${s.length} and ${a.b}', w: '${ a . zz }' }, data), {
      x: '${missing}', y: '${a.x.y}', z: 'see ${s.length} and 1', w: '${a.zz}',
    });
  });

  it('drops null bindings from arrays and keeps them as property values', () => {
    assert.deepEqual(both({ list: ['${nothing}', 'a'], value: '${nothing}' }, { nothing: null }), { list: ['a'], value: null });
  });

  it('throws on a null binding inside text (so does the reference engine)', () => {
    const render = compile({ text: 'x ${nothing}' });
    assert.throws(() => render({ nothing: null }), (e: unknown) => e instanceof TemplateError && e.message.includes('${nothing}'));
    assert.throws(() => reference({ text: 'x ${nothing}' }, { nothing: null }));
  });

  it('$when keeps an element only for true: false, "", 0, [], "yes", 1 and undefined drop it', () => {
    const values = { t: true, f: false, empty: '', zero: 0, none: [], yes: 'yes', one: 1 };
    const names = [...Object.keys(values), 'missing'];
    const template = { items: names.map((name) => ({ $when: `\${${name}}`, name })) };
    assert.deepEqual(both(template, values), { items: [{ name: 't' }] });
  });

  it('$when false on a property value leaves null (the meeting card drops its refresh that way)', () => {
    assert.deepEqual(both({ refresh: { $when: '${on}', verb: 'refresh' } }, { on: false }), { refresh: null });
    assert.deepEqual(both({ refresh: { $when: '${on}', verb: 'refresh' } }, { on: true }), { refresh: { verb: 'refresh' } });
  });

  it('$when "a || b" is true when an operand is neither false nor null/undefined', () => {
    const data = { t: true, f: false, empty: '', nothing: null };
    const cases = ['f || t', 'f || f', 'f || empty', 'f || missing', 'nothing || f', 't||missing'];
    const template = { items: cases.map((expr) => ({ $when: `\${${expr}}`, expr })) };
    assert.deepEqual(both(template, data), { items: [{ expr: 'f || t' }, { expr: 'f || empty' }, { expr: 't||missing' }] });
  });

  it('$data over an array repeats the element with each item as scope, flattened into the parent array', () => {
    const data = { rows: [{ v: 'a' }, { v: 'b' }], none: [], title: 'root' };
    const template = {
      body: [{ text: '${title}' }, { $data: '${rows}', text: '${v}' }, { $data: '${none}', text: 'never' }, { text: 'end' }],
    };
    assert.deepEqual(both(template, data), { body: [{ text: 'root' }, { text: 'a' }, { text: 'b' }, { text: 'end' }] });
  });

  it('$data outside an array: one item gives the object, two an array, none null', () => {
    const data = { one: [{ v: 1 }], two: [{ v: 1 }, { v: 2 }], none: [] };
    const template = { a: { $data: '${one}', v: '${v}' }, b: { $data: '${two}', v: '${v}' }, c: { $data: '${none}', v: '${v}' } };
    assert.deepEqual(both(template, data), { a: { v: 1 }, b: [{ v: 1 }, { v: 2 }], c: null });
  });

  it('$data over an object changes the scope; root fields are not visible inside', () => {
    const data = { form: { date: '2026-03-11' }, title: 'root' };
    assert.deepEqual(both({ input: { $data: '${form}', value: '${date}', title: '${title}' } }, data), {
      input: { value: '2026-03-11', title: '${title}' },
    });
  });

  it('$when next to $data is evaluated per item', () => {
    const data = { rows: [{ show: true, v: 1 }, { show: false, v: 2 }, { show: true, v: 3 }] };
    assert.deepEqual(both({ list: [{ $data: '${rows}', $when: '${show}', v: '${v}' }] }, data), { list: [{ v: 1 }, { v: 3 }] });
  });

  it('flattens nested arrays and bound arrays inside arrays, and keeps $schema', () => {
    const data = { ids: ['u1', 'u2'] };
    assert.deepEqual(both({ $schema: 's', list: [['a', 'b'], '${ids}', null, 'c'] }, data), { $schema: 's', list: ['a', 'b', 'u1', 'u2', 'c'] });
  });

  it('builds new objects on every render', () => {
    const render = compile({ body: [{ type: 'TextBlock', text: 'fixed' }] });
    const first = render({}) as { body: Array<{ text: string }> };
    first.body[0]!.text = 'changed';
    assert.deepEqual(render({}), { body: [{ type: 'TextBlock', text: 'fixed' }] });
  });

  describe('compile-time errors name the expression and where it is', () => {
    const cases: ReadonlyArray<readonly [string, object, RegExp]> = [
      ['a function call', { body: [{ text: '${string(x)}' }] }, /"\$\{string\(x\)\}" at card\.body\[0\]\.text/],
      ['a function call in text', { text: 'on ${formatDate(d)}' }, /"\$\{formatDate\(d\)\}" at card\.text/],
      ['an arithmetic operator', { n: '${a + 1}' }, /"\$\{a \+ 1\}" at card\.n/],
      ['a comparison in $when', { x: { $when: '${n > 1}' } }, /"\$\{n > 1\}" at card\.x\.\$when/],
      ['&& in $when', { x: { $when: '${a && b}' } }, /"\$\{a && b\}" at card\.x\.\$when/],
      ['! in $when', { x: { $when: '${!a}' } }, /"\$\{!a\}" at card\.x\.\$when/],
      ['|| outside $when', { v: '${a || b}' }, /"\$\{a \|\| b\}" at card\.v/],
      ['|| in $data', { v: { $data: '${a || b}' } }, /"\$\{a \|\| b\}" at card\.v\.\$data/],
      ['$root', { v: '${$root.title}' }, /"\$\{\$root\.title\}" at card\.v/],
      ['$index', { v: { $data: '${rows}', i: '${$index}' } }, /"\$\{\$index\}" at card\.v\.i/],
      ['indexing', { v: "${rows[0]}" }, /"\$\{rows\[0\]\}" at card\.v/],
      ['a literal', { v: '${true}' }, /"\$\{true\}" at card\.v/],
      ['a string literal', { v: "${'x'}" }, /"\$\{'x'\}" at card\.v/],
      ['an empty expression', { v: '${}' }, /"\$\{\}" at card\.v/],
      ['an unterminated expression', { v: 'a ${b' }, /Unterminated .*"a \$\{b" at card\.v/],
      ['a backtick next to a binding', { v: '`${a}`' }, /"`\$\{a\}`" at card\.v/],
      ['a backslash next to a binding', { v: '\\${a}' }, /"\\\$\{a\}" at card\.v/],
      ['$when that is not a binding', { v: { $when: 'yes' } }, /\$when at card\.v\.\$when .*"yes"/],
      ['$when that is text around a binding', { v: { $when: 'is ${a}' } }, /\$when at card\.v\.\$when .*"is \$\{a\}"/],
      ['$data that is not a binding', { v: { $data: [1, 2] } }, /\$data at card\.v\.\$data .*\[1,2\]/],
      ['an unknown $ key', { body: [{ $foo: 1 }] }, /\$foo at card\.body\[0\] is an unknown \$ key/],
      ['an unsupported templating key', { $index: 0 }, /\$index at card is a templating key that is not supported/],
    ];
    for (const [what, template, message] of cases) {
      it(`rejects ${what}`, () => {
        assert.throws(() => compile(template), (e: unknown) => e instanceof TemplateError && message.test(e.message));
      });
    }
  });
});

describe('src/ and adaptivecards-templating', () => {
  it('nothing under src/ imports the reference engine (it is a test-only dependency)', () => {
    const root = join(__dirname, '../../../src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 10);
    const importing = files.filter((f) => /from ['"]adaptivecards-templating['"]|require\(['"]adaptivecards-templating/.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(importing, []);
  });
});
