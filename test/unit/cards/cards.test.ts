import { strict as assert } from 'node:assert';
import * as AC from 'adaptivecards';
import {
  DIAL_IN_ELEMENT_ID,
  MAX_CARD_BYTES,
  MEETING_CARD_INPUTS,
  MEETING_OPTIONS_INPUTS,
  groupDigits,
  md,
  meetingCardPreview,
  renderClarifyCard,
  renderErrorCard,
  renderHelpCard,
  renderLoginRequest,
  renderMeetingCard,
  renderMeetingFormCard,
  renderNoticeCard,
  renderOAuthCard,
  renderGreetingCard,
  renderSignInCard,
  renderUsageCard,
  renderWelcomeCard,
  type AdaptiveCard,
} from '../../../src/cards/index';
import { MEETING_JOIN_URL, meetingCardView } from '../../fixtures/meeting-card-view';

/** Parses with the adaptivecards library, failing on any parse or validation event. */
function parseStrict(json: AdaptiveCard): AC.AdaptiveCard {
  const context = new AC.SerializationContext();
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) events.push(e.message);
  assert.deepEqual(events, [], 'adaptivecards reported problems');
  assert.equal(card.version?.toString(), '1.5');
  assert.equal(json.version, '1.5');
  assert.equal(json.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
  const size = Buffer.byteLength(JSON.stringify(json));
  assert.ok(size < MAX_CARD_BYTES, `card is ${size} bytes`);
  // No `${` survives: user text can't carry a template expression into the card (it is escaped).
  assert.doesNotMatch(JSON.stringify(json), /\$\{/);
  return card;
}

function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) texts(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && (k === 'text' || k === 'title' || k === 'value' || k === 'label')) out.push(v);
      else texts(v, out);
    }
  }
  return out;
}

function actionsOfType(
  node: unknown,
  type: string,
  out: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) actionsOfType(n, type, out);
  else if (node && typeof node === 'object') {
    const rec = node as Record<string, unknown>;
    if (rec.type === type) out.push(rec);
    // Skip fallbacks and the refresh action: only buttons the user sees are counted.
    for (const [k, v] of Object.entries(rec)) if (k !== 'fallback' && k !== 'refresh') actionsOfType(v, type, out);
  }
  return out;
}

const JOIN = MEETING_JOIN_URL;
const HOSTILE =
  'Q3 *plan* _x_ [click](https://evil.example) <at>All</at> &amp; # h ${subject} ${string(1)} {{DATE(2017-02-14T06:08:39Z, SHORT)}} `code` ~~s~~ | a\nb';
const view = meetingCardView;

describe('renderMeetingCard()', () => {
  it('parses as Adaptive Card 1.5 and shows join URL, grouped meeting ID and passcode', () => {
    const json = renderMeetingCard(view());
    parseStrict(json);
    const s = JSON.stringify(json);
    assert.ok(s.includes(JOIN));
    assert.ok(texts(json).includes('123 456 789 012'));
    assert.ok(texts(json).includes('Xy7pQ2'));
    const join = actionsOfType(json, 'Action.OpenUrl').find((a) => a.url === JOIN);
    assert.equal(join?.title, 'Join');
    assert.ok(
      actionsOfType(json, 'Action.OpenUrl').some(
        (a) => a.url === 'http://localhost:3978/ics/m1?sig=abc' && a.title === 'Add to calendar',
      ),
    );
    assert.ok(
      actionsOfType(json, 'Action.OpenUrl').some(
        (a) => a.url === 'https://dialin.teams.microsoft.com/abc' && a.title === 'Find a local number',
      ),
    );
    assert.ok(texts(json).includes('987 654 321\\#'));
    assert.ok(texts(json).some((x) => x.includes('Tue, Mar 10, 3:00 – 3:45 PM (PDT)')));
    assert.ok(texts(json).some((x) => x === '• Bo Presenter (presenter)'));
    assert.ok(
      texts(json).some(
        (x) => x.includes('Ext Guest') && x.includes("people outside your organization can't be presenters"),
      ),
    );
  });

  it('everyone view: no change buttons, only Manage (for clients without per-user refresh); refresh targets the organizer', () => {
    const json = renderMeetingCard(view());
    assert.deepEqual(
      actionsOfType(json, 'Action.Execute').map((a) => [a.verb, a.title]),
      [['manage', 'Manage']],
    );
    assert.deepEqual(json.refresh, {
      action: { type: 'Action.Execute', verb: 'refresh', data: { meetingKey: 'm1', version: 2 } },
      userIds: ['29:organizer'],
    });
  });

  it('organizer view: reschedule, rename, cancel, refresh, newLike, options with data and Action.Submit fallbacks', () => {
    const json = renderMeetingCard(view({ audience: 'organizer' }));
    const card = parseStrict(json);
    const execs = actionsOfType(json, 'Action.Execute');
    assert.deepEqual(execs.map((a) => a.verb).sort(), [
      'cancel',
      'newLike',
      'options',
      'refresh',
      'rename',
      'reschedule',
    ]);
    for (const a of execs) {
      assert.deepEqual(a.data, { meetingKey: 'm1', version: 2 });
      assert.deepEqual(a.fallback, {
        type: 'Action.Submit',
        title: a.title,
        data: { meetingKey: 'm1', version: 2, verb: a.verb },
      });
    }
    // The library sees the Execute actions too (nested in ShowCards).
    const parsedVerbs = card
      .getAllActions()
      .flatMap((a) => (a instanceof AC.ShowCardAction ? a.card.getAllActions() : [a]))
      .filter((a): a is AC.ExecuteAction => a instanceof AC.ExecuteAction)
      .map((a) => a.verb);
    assert.deepEqual([...new Set(parsedVerbs)].sort(), [
      'cancel',
      'newLike',
      'options',
      'refresh',
      'rename',
      'reschedule',
    ]);
    const inputs = card.getAllInputs().map((i) => [i.id, (i as unknown as { defaultValue?: unknown }).defaultValue]);
    assert.deepEqual(Object.fromEntries(inputs), {
      [MEETING_CARD_INPUTS.reschedule.date]: '2026-03-10',
      [MEETING_CARD_INPUTS.reschedule.time]: '15:00',
      [MEETING_CARD_INPUTS.reschedule.duration]: 45,
      [MEETING_CARD_INPUTS.rename.subject]: 'Sprint review',
      [MEETING_CARD_INPUTS.newLike.date]: '2026-03-10',
      [MEETING_CARD_INPUTS.newLike.time]: '15:00',
      [MEETING_CARD_INPUTS.newLike.duration]: 45,
      // The Options form, prefilled with Teams' defaults when the meeting has none set.
      [MEETING_OPTIONS_INPUTS.lobby]: 'default',
      [MEETING_OPTIONS_INPUTS.dialIn]: 'false',
      [MEETING_OPTIONS_INPUTS.presenters]: 'default',
      [MEETING_OPTIONS_INPUTS.record]: 'false',
      [MEETING_OPTIONS_INPUTS.chat]: 'default',
    });
    assert.equal(json.refresh?.userIds[0], '29:organizer');
  });

  it('help explains "with everyone", that a name without an @mention invites nobody, and the option words', () => {
    for (const locale of ['en-US', 'zh-CN', 'ja-JP']) {
      const json = renderHelpCard(locale);
      parseStrict(json);
      const all = texts(json).join('\n');
      assert.match(
        all,
        locale === 'en-US' ? /"with everyone" invites the chat's members/ : locale === 'zh-CN' ? /和大家/ : /全員/,
      );
      assert.match(all, locale === 'en-US' ? /\("with Sam"\) invites nobody/ : /Sam/);
    }
  });

  // whole-chat (#15): the lighter card.
  describe('the lighter card (issue #15)', () => {
    it('shows the join link as text next to Join, and Add to calendar', () => {
      const json = renderMeetingCard(view());
      parseStrict(json);
      const all = texts(json);
      assert.ok(all.includes('Meeting link (select to copy)'));
      const linkText =
        (json.body as readonly { text?: string; fontType?: string }[]).find((b) => b.fontType === 'monospace')?.text ??
        '';
      assert.equal(
        linkText.replace(/\\(.)/g, '$1'),
        MEETING_JOIN_URL,
        'the link reads as the URL once markdown escapes are rendered',
      );
      const firstRow = (
        json.body.find((b) => b.type === 'ActionSet') as { readonly actions: readonly { title: string }[] }
      ).actions.map((a) => a.title);
      assert.deepEqual(firstRow, ['Join', 'Join by phone', 'Add to calendar']);
    });

    it('hides the dial-in block behind a "Join by phone" Action.ToggleVisibility', () => {
      const json = renderMeetingCard(view());
      const card = parseStrict(json);
      const toggle = actionsOfType(json, 'Action.ToggleVisibility')[0]!;
      assert.equal(toggle.title, 'Join by phone');
      assert.deepEqual(toggle.targetElements, [DIAL_IN_ELEMENT_ID]);
      const block = card.getElementById(DIAL_IN_ELEMENT_ID)!;
      assert.ok(block, 'the toggle targets an element of the card');
      assert.equal(block.isVisible, false);
      assert.ok(JSON.stringify(block.toJSON()).includes('+1 425-555-0100'));
      assert.equal(actionsOfType(renderMeetingCard(view({ dialIn: undefined })), 'Action.ToggleVisibility').length, 0);
    });

    it("says who skips the lobby (Teams' default when unset) and the options that are set", () => {
      assert.ok(
        texts(renderMeetingCard(view())).some((x) => x.startsWith('Skip the lobby: as set by your organization')),
      );
      const json = renderMeetingCard(
        view({ options: { lobbyScope: 'invited', recordAutomatically: true, allowMeetingChat: 'disabled' } }),
      );
      parseStrict(json);
      const line = texts(json).find((x) => x.startsWith('Skip the lobby'))!;
      assert.match(line, /Skip the lobby: only people who were invited/);
      assert.match(line, /Record automatically/);
      assert.match(line, /Meeting chat: off/);
      assert.equal(
        texts(renderMeetingCard(view({ options: { lobbyScope: 'everyone' } }))).some((x) =>
          x.includes('Skip the lobby: everyone'),
        ),
        true,
      );
    });

    it("gives the organizer the Options form and a link to Teams' meeting options page; nobody else", () => {
      const url = 'https://teams.microsoft.com/meetingOptions/?organizerId=o&tenantId=t';
      const mine = renderMeetingCard(
        view({ audience: 'organizer', meetingOptionsWebUrl: url, options: { allowedPresenters: 'organizer' } }),
      );
      parseStrict(mine);
      assert.ok(
        actionsOfType(mine, 'Action.OpenUrl').some((a) => a.url === url && a.title === 'More options in Teams'),
      );
      const save = actionsOfType(mine, 'Action.Execute').find((a) => a.verb === 'options')!;
      assert.equal(save.title, 'Save options');
      assert.match(JSON.stringify(mine), /"id":"optPresenters","label":"Who can present","value":"organizer"/);
      const theirs = renderMeetingCard(view({ meetingOptionsWebUrl: url }));
      assert.equal(JSON.stringify(theirs).includes('meetingOptions'), false);
      assert.equal(
        actionsOfType(theirs, 'Action.Execute').some((a) => a.verb === 'options'),
        false,
      );
    });

    it('says so when "with everyone" hit the invitee bound', () => {
      const attendees = Array.from({ length: 250 }, (_, i) => ({
        displayName: `Member ${i}`,
        role: 'attendee' as const,
      }));
      const json = renderMeetingCard(view({ attendees, rosterTruncatedAt: 250 }));
      parseStrict(json);
      assert.ok(texts(json).includes('and 235 more'));
      assert.ok(texts(json).some((x) => x.startsWith('Everyone in this chat is invited, up to 250 people.')));
    });

    it('stays light: the full organizer card with options in Japanese is well under 28 KB', () => {
      const json = renderMeetingCard(
        view({
          locale: 'ja-JP',
          audience: 'organizer',
          options: { lobbyScope: 'invited' },
          meetingOptionsWebUrl: 'https://teams.microsoft.com/meetingOptions/',
        }),
      );
      parseStrict(json);
      assert.ok(Buffer.byteLength(JSON.stringify(json)) < 20_000);
    });
  });

  it('cancelled view: title says cancelled, no Join, no buttons', () => {
    for (const audience of ['organizer', 'everyone'] as const) {
      const json = renderMeetingCard(view({ state: 'cancelled', audience }));
      parseStrict(json);
      assert.equal((json.body[0] as { text: string }).text, 'Cancelled: Sprint review');
      assert.ok(!JSON.stringify(json).includes(JOIN));
      assert.equal(actionsOfType(json, 'Action.Execute').length, 0);
      assert.equal(actionsOfType(json, 'Action.OpenUrl').length, 0);
      assert.equal(json.refresh, undefined);
    }
  });

  it('escapes a hostile subject, organizer and attendee names', () => {
    const json = renderMeetingCard(
      view({
        subject: HOSTILE,
        organizerName: HOSTILE,
        attendees: [{ displayName: HOSTILE, role: 'presenter' }],
        audience: 'organizer',
      }),
    );
    parseStrict(json);
    const title = (json.body[0] as { text: string }).text;
    assert.equal(title, md(HOSTILE));
    // Every markdown/HTML/template special is preceded by a backslash; no line break survives.
    assert.doesNotMatch(title, /(?<!\\)[*_[\]()<>&{}$`~|#]/);
    assert.ok(!title.includes('\n'));
    assert.ok(title.includes('\\*plan\\*') && title.includes('\\<at\\>') && title.includes('\\{\\{DATE'));
    // Plain-text places (the rename input) keep the words but break template syntax.
    const rename = actionsOfType(json, 'Input.Text')[0];
    assert.ok(
      typeof rename?.value === 'string' && rename.value.includes('$\u200b{subject}') && !rename.value.includes('{{'),
    );
  });

  it('notes channel binding, channel fallback and live events', () => {
    assert.ok(
      texts(renderMeetingCard(view({ channelBound: true }))).some((x) =>
        x.startsWith('This meeting belongs to this channel'),
      ),
    );
    const fallback = texts(renderMeetingCard(view({ channelBindingFallback: true })));
    assert.ok(fallback.some((x) => x.startsWith('This meeting is not tied to the channel')));
    assert.ok(texts(renderMeetingCard(view({ isBroadcast: true }))).some((x) => x.startsWith('Live event')));
  });

  it('shows a notice line and omits missing optional parts', () => {
    const json = renderMeetingCard(
      view({ notice: 'Rescheduled', passcode: undefined, dialIn: undefined, icsUrl: undefined, attendees: [] }),
    );
    parseStrict(json);
    assert.equal((json.body[0] as { text: string }).text, 'Rescheduled');
    assert.ok(!texts(json).includes('Passcode'));
    assert.ok(!texts(json).includes('Join by phone'));
    assert.ok(!texts(json).includes('Invited'));
    assert.equal(actionsOfType(json, 'Action.OpenUrl').length, 1);
  });

  it('omits a Join button whose URL is not http(s)', () => {
    const json = renderMeetingCard(view({ joinWebUrl: 'javascript:alert(1)' }));
    parseStrict(json);
    assert.ok(!JSON.stringify(json).includes('javascript:'));
  });

  it('stays under 28 KB with 60 attendees with long names: lists 15 and "and 45 more"; caps refresh users at 60', () => {
    const attendees = Array.from({ length: 60 }, (_, i) => ({
      displayName: `Attendee number ${i} ${'ä'.repeat(80)}`,
      role: i % 3 === 0 ? ('presenter' as const) : ('attendee' as const),
      demotedFromPresenter: i % 7 === 0,
    }));
    const json = renderMeetingCard(
      view({ attendees, audience: 'organizer', refreshUserIds: Array.from({ length: 80 }, (_, i) => `29:u${i}`) }),
    );
    parseStrict(json);
    assert.equal(json.refresh?.userIds.length, 60);
    assert.equal(texts(json).filter((x) => x.startsWith('• Attendee number')).length, 15);
    assert.ok(texts(json).includes('and 45 more'));
  });

  it('summarizes attendees that cannot fit in 28 KB', () => {
    const attendees = Array.from({ length: 400 }, (_, i) => ({
      displayName: `Person ${i} ${'x'.repeat(90)}`,
      role: 'attendee' as const,
    }));
    const json = renderMeetingCard(view({ attendees }));
    parseStrict(json);
    assert.ok(texts(json).some((x) => /^and \d+ more$/.test(x)));
  });

  it('renders Simplified Chinese in Asia/Shanghai', () => {
    const json = renderMeetingCard(view({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', audience: 'organizer' }));
    parseStrict(json);
    const all = texts(json);
    assert.ok(all.includes('加入'));
    assert.ok(all.includes('会议 ID'));
    assert.ok(all.includes('密码'));
    assert.ok(all.includes('更改时间'));
    assert.ok(all.some((x) => x.includes('3月11日周三 06:00–06:45 (GMT+8)')));
    assert.ok(all.some((x) => x.includes('演示者')));
  });

  it('renders Japanese in Asia/Tokyo', () => {
    const json = renderMeetingCard(view({ locale: 'ja-JP', timeZone: 'Asia/Tokyo', state: 'cancelled' }));
    parseStrict(json);
    assert.equal((json.body[0] as { text: string }).text, 'キャンセル済み: Sprint review');
    assert.ok(texts(json).some((x) => x.includes('3月11日(水) 07:00～07:45 (JST)')));
  });
});

describe('groupDigits()', () => {
  it('groups digits in threes', () => {
    assert.equal(groupDigits('123456789012'), '123 456 789 012');
    assert.equal(groupDigits('1234567890123'), '123 456 789 012 3');
    assert.equal(groupDigits('123 456 789'), '123 456 789');
    assert.equal(groupDigits('abc-12'), 'abc-12');
  });
});

describe('meetingCardPreview()', () => {
  it('returns an HTML-escaped title and text', () => {
    const p = meetingCardPreview(view({ subject: '<b>x</b> & ${y}', organizerName: '<i>Ana</i>' }));
    assert.equal(p.title, '&lt;b&gt;x&lt;/b&gt; &amp; $\u200b{y}');
    assert.ok(p.text.includes('Tue, Mar 10, 3:00 – 3:45 PM (PDT)'));
    assert.ok(p.text.includes('&lt;i&gt;Ana&lt;/i&gt;'));
  });
});

describe('help, usage, welcome and notice cards', () => {
  for (const locale of ['en', 'zh-CN', 'ja']) {
    it(`parse in ${locale}`, () => {
      parseStrict(renderHelpCard(locale));
      parseStrict(renderUsageCard(locale));
      parseStrict(renderUsageCard(locale, HOSTILE));
      for (const scope of ['personal', 'groupChat', 'team'] as const) parseStrict(renderWelcomeCard(locale, scope));
      parseStrict(renderNoticeCard(locale, 'notice.signInSentPrivately'));
    });
  }
  it('help lists the commands and examples', () => {
    const all = texts(renderHelpCard('en')).join('\n');
    assert.match(all, /\*\*meet\*\*/);
    assert.match(all, /signout/);
    assert.match(all, /Sprint review tomorrow 3pm for 45 min passcode/);
  });
  it('usage shows the escaped reason and three examples', () => {
    const all = texts(renderUsageCard('en', '*tomorrow-ish*'));
    assert.ok(all.includes("What I couldn't read: \\*tomorrow-ish\\*"));
    assert.equal(all.filter((x) => x.startsWith('• ')).length, 3);
  });
  // Issue #17: channel posts reach Convene only with the mention, so channel help and welcome write it.
  it('help and welcome write @Convene in channels and group chats, and not in personal chat', () => {
    const channel = texts(renderHelpCard('en', 'channel'));
    assert.ok(
      channel.includes('• **@Convene meet** \\[…\\] — create a meeting; add a time, a duration, "passcode" or "live"'),
      channel.join('\n'),
    );
    assert.ok(channel.includes('• @Convene meet Sprint review tomorrow 3pm for 45 min passcode'));
    assert.ok(channel.includes('Mention @Convene at the start of your message:'));
    assert.ok(
      texts(renderWelcomeCard('en', 'team')).includes('• @Convene meet Sprint review tomorrow 3pm for 45 min passcode'),
    );
    assert.ok(texts(renderHelpCard('zh-CN', 'groupChat')).some((x) => x.startsWith('• @Convene ')));
    assert.ok(!texts(renderHelpCard('en', 'personal')).join('\n').includes('@Convene'));
  });
  it('greeting answers small talk with a suggestion button that posts a ready command (imBack), in each language', () => {
    for (const [locale, topic, line, suggestion] of [
      [
        'en',
        'hello',
        "Hi! I'm Convene: tell me what to schedule and I'll create the Teams meeting.",
        'meet Team sync tomorrow 10am for 30 min',
      ],
      ['en', 'thanks', "You're welcome! Anything else to schedule?", 'meet Team sync tomorrow 10am for 30 min'],
      [
        'zh-CN',
        'hello',
        '你好！我是 Convene：告诉我要安排什么，我会创建 Teams 会议。',
        '会议 周会 明天上午10点 30分钟',
      ],
      ['ja', 'thanks', 'どういたしまして! ほかに予定はありますか?', '会議 定例 明日10時 30分'],
    ] as const) {
      const json = renderGreetingCard(locale, topic);
      parseStrict(json);
      assert.ok(texts(json).includes(line));
      const [suggest, help] = actionsOfType(json, 'Action.Submit');
      assert.deepEqual(suggest, {
        type: 'Action.Submit',
        title: suggestion,
        data: { msteams: { type: 'imBack', value: suggestion } },
      });
      assert.ok(help);
    }
  });
  it('welcome differs by scope', () => {
    assert.notDeepEqual(texts(renderWelcomeCard('en', 'personal')), texts(renderWelcomeCard('en', 'team')));
    assert.ok(texts(renderWelcomeCard('ja', 'team')).some((x) => x.includes('チャネル')));
  });
  it('notice renders the localized note', () => {
    assert.deepEqual(texts(renderNoticeCard('en', 'notice.notOrganizer')), [
      'Only the organizer can change this meeting.',
    ]);
    assert.deepEqual(texts(renderNoticeCard('zh-CN', 'notice.requestExpired')), ['该请求已过期，请重新发送。']);
  });
});

describe('renderClarifyCard()', () => {
  it('offers confirmCreate per suggestion, always a date + time picker with Create, and a dismiss', () => {
    const json = renderClarifyCard({
      locale: 'en',
      timeZone: 'America/Los_Angeles',
      reason: 'past',
      requestKey: 'r1',
      requestedStart: '2026-03-09T22:00:00Z',
      suggestions: ['2026-03-11T22:00:00Z', '2026-03-17T22:00:00Z'],
      pickerDate: '2026-03-11',
      pickerTime: '15:00',
    });
    parseStrict(json);
    const execs = actionsOfType(json, 'Action.Execute');
    assert.deepEqual(
      execs.map((a) => a.verb),
      ['confirmCreate', 'confirmCreate', 'confirmCreate', 'dismiss'],
    );
    assert.deepEqual(execs[0]?.data, { requestKey: 'r1', startDateTime: '2026-03-11T22:00:00Z' });
    assert.equal(execs[0]?.title, 'Wed, Mar 11, 3:00 PM (PDT)');
    assert.deepEqual((execs[0]?.fallback as { data: unknown }).data, {
      requestKey: 'r1',
      startDateTime: '2026-03-11T22:00:00Z',
      verb: 'confirmCreate',
    });
    // The picker's Create carries only the request; Teams merges clarifyDate/clarifyTime in.
    assert.equal(execs[2]?.title, 'Create at this time');
    assert.deepEqual(execs[2]?.data, { requestKey: 'r1' });
    assert.deepEqual(execs[3]?.data, { requestKey: 'r1' });
    const date = actionsOfType(json, 'Input.Date')[0];
    const time = actionsOfType(json, 'Input.Time')[0];
    assert.deepEqual(
      [date?.id, date?.value, time?.id, time?.value],
      ['clarifyDate', '2026-03-11', 'clarifyTime', '15:00'],
    );
    assert.equal(time?.label, 'Start time (America/Los_Angeles)');
    assert.ok(texts(json).some((x) => x.includes('Mon, Mar 9, 3:00 PM (PDT)') && x.includes('in the past')));
  });
  it('names the unreadable words (escaped) and still offers the picker when nothing is suggested', () => {
    const json = renderClarifyCard({
      locale: 'en',
      timeZone: 'UTC',
      reason: 'unreadable',
      requestKey: 'r3',
      requestedText: 'meet review at 25:00',
      suggestions: [],
      unreadable: ['25:00', '*x*'],
      notice: 'That time has already passed. Pick a time in the future.',
    });
    parseStrict(json);
    const all = texts(json);
    assert.ok(all.includes('When should the meeting be?'));
    assert.ok(
      all.includes('I couldn\'t read "25:00", "\\*x\\*" as a time. Pick a date and time below:'),
      JSON.stringify(all),
    );
    assert.ok(all.includes('That time has already passed. Pick a time in the future.'));
    assert.deepEqual(
      actionsOfType(json, 'Action.Execute').map((a) => a.verb),
      ['confirmCreate', 'dismiss'],
    );
    assert.equal(actionsOfType(json, 'Input.Date').length, 1);
    assert.equal(actionsOfType(json, 'Input.Time').length, 1);
  });
  it('escapes the ambiguous text and localizes', () => {
    const json = renderClarifyCard({
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
      reason: 'ambiguous',
      requestKey: 'r2',
      requestedText: HOSTILE,
      suggestions: ['2026-03-11T01:00:00Z'],
    });
    parseStrict(json);
    assert.ok(texts(json).includes('どの日時のことですか?'));
    assert.ok(!JSON.stringify(json).includes('{{DATE'));
    assert.equal(actionsOfType(json, 'Action.Execute')[0]?.title, '3月11日(水) 10:00 (JST)');
  });
});

describe('renderErrorCard()', () => {
  it('shows the localized message, the escaped request and a Retry', () => {
    const json = renderErrorCard({
      locale: 'en',
      code: 'graph_throttled',
      requestSummary: 'meet *x* ${y}',
      retryData: { requestKey: 'k9' },
    });
    parseStrict(json);
    const all = texts(json);
    assert.ok(all.includes('Microsoft Teams is busy right now. Try again in a minute — your request is kept.'));
    assert.ok(all.includes('You asked: meet \\*x\\* \\$\\{y\\}'));
    const [retry] = actionsOfType(json, 'Action.Execute');
    assert.equal(retry?.verb, 'retry');
    assert.deepEqual(retry?.data, { requestKey: 'k9' });
    assert.deepEqual((retry?.fallback as { data: unknown }).data, { requestKey: 'k9', verb: 'retry' });
  });
  it('has no Retry without retryData, and no stack or code names', () => {
    const json = renderErrorCard({ locale: 'zh-CN', code: 'internal' });
    parseStrict(json);
    assert.equal(actionsOfType(json, 'Action.Execute').length, 0);
    assert.ok(!/internal|Error:|at /.test(texts(json).join(' ')));
    assert.ok(texts(json).includes('出现问题'));
  });
  for (const locale of ['en', 'zh-CN', 'ja']) {
    it(`an unknown create outcome (${locale}): says the meeting may exist, offers only "Create it anyway" and names the risk`, () => {
      const json = renderErrorCard({
        locale,
        code: 'create_uncertain',
        requestSummary: 'meet x passcode',
        createAnywayData: { requestKey: 'k7' },
      });
      parseStrict(json);
      const actions = actionsOfType(json, 'Action.Execute');
      assert.deepEqual(
        actions.map((a) => a.verb),
        ['createAnyway'],
      );
      assert.deepEqual(actions[0]?.data, { requestKey: 'k7' });
      assert.deepEqual((actions[0]?.fallback as { data: unknown }).data, { requestKey: 'k7', verb: 'createAnyway' });
      const all = texts(json).join(' ');
      assert.match(
        all,
        locale === 'en'
          ? /may exist already.*second one/s
          : locale === 'ja'
            ? /すでに存在.*2 つ目/s
            : /可能已经存在.*再创建一个/s,
      );
    });
  }
});

describe('sign-in cards', () => {
  it('renderSignInCard() links to the sign-in URL', () => {
    for (const reason of ['first', 'consent', 'expired'] as const) {
      const json = renderSignInCard('ja', 'https://bot.example/auth/start?s=1', reason);
      parseStrict(json);
      assert.deepEqual(
        actionsOfType(json, 'Action.OpenUrl').map((a) => a.url),
        ['https://bot.example/auth/start?s=1'],
      );
      assert.ok(texts(json).includes('サインイン'));
    }
    assert.throws(() => renderSignInCard('en', 'javascript:alert(1)'), TypeError);
  });
  it('renderOAuthCard() builds the Bot Framework OAuth attachment', () => {
    assert.deepEqual(
      renderOAuthCard({
        text: 'Please sign in',
        signInUrl: 'https://bot.example/auth/start',
        tokenExchangeResource: { id: 'x1', uri: 'api://botid-b1' },
      }),
      {
        contentType: 'application/vnd.microsoft.card.oauth',
        content: {
          text: 'Please sign in',
          connectionName: '',
          tokenExchangeResource: { id: 'x1', uri: 'api://botid-b1' },
          buttons: [{ type: 'signin', title: 'Sign in', value: 'https://bot.example/auth/start' }],
        },
      },
    );
  });
  it('renderLoginRequest() omits tokenExchangeResource for channels', () => {
    const value = renderLoginRequest({
      text: 'Sign in',
      signInUrl: 'https://bot.example/auth/start',
      buttonTitle: '登录',
    });
    assert.deepEqual(value, {
      text: 'Sign in',
      connectionName: '',
      buttons: [{ type: 'signin', title: '登录', value: 'https://bot.example/auth/start' }],
    });
    assert.ok(!('tokenExchangeResource' in value));
  });
});

describe('renderMeetingFormCard()', () => {
  it('has the contract input ids, keeps values and submits the nonce', () => {
    const json = renderMeetingFormCard({
      locale: 'en',
      timeZone: 'Europe/Berlin',
      nonce: 'n-1',
      values: { subject: 'Plan', date: '2026-03-11', time: '09:30', duration: 45, passcode: true, live: false },
    });
    const card = parseStrict(json);
    assert.deepEqual(
      Object.fromEntries(
        card.getAllInputs().map((i) => [i.id, (i as unknown as { defaultValue?: unknown }).defaultValue]),
      ),
      {
        subject: 'Plan',
        date: '2026-03-11',
        time: '09:30',
        duration: 45,
        passcode: 'true',
        live: 'false',
      },
    );
    assert.deepEqual(
      actionsOfType(json, 'Action.Submit').map((a) => a.data),
      [{ nonce: 'n-1' }],
    );
    assert.ok(texts(json).includes('Start time (Europe/Berlin)'));
    assert.ok(!texts(json).some((x) => x.length === 0));
  });
  it('shows each error next to its field, in attention color', () => {
    const json = renderMeetingFormCard({
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      nonce: 'n-2',
      submitVerb: 'createMeeting',
      values: { subject: HOSTILE, date: 'bad', duration: 15 },
      errors: { date: 'Pick a date in the future', duration: 'At least <5> minutes' },
    });
    parseStrict(json);
    const body = json.body as ReadonlyArray<{ type: string; id?: string; text?: string; color?: string }>;
    const after = (id: string) => body[body.findIndex((e) => e.id === id) + 1];
    assert.deepEqual(after('date'), {
      type: 'TextBlock',
      text: 'Pick a date in the future',
      color: 'attention',
      size: 'small',
      wrap: true,
      spacing: 'none',
    });
    assert.equal(after('duration')?.text, 'At least \\<5\\> minutes');
    assert.notEqual(after('subject')?.color, 'attention');
    assert.equal(body.filter((e) => e.color === 'attention').length, 2);
    assert.ok(texts(json).includes('主题'));
    assert.deepEqual(actionsOfType(json, 'Action.Submit')[0]?.data, { nonce: 'n-2', verb: 'createMeeting' });
    const subject = body.find((e) => e.id === 'subject') as { value?: string };
    assert.ok(subject.value?.startsWith('Q3 *plan*') && !subject.value.includes('${') && !subject.value.includes('{{'));
  });
});
