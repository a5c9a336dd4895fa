import { strict as assert } from 'node:assert';
import * as AC from 'adaptivecards';
import { MAX_CARD_BYTES, renderTownhallCard, type AdaptiveCard, type TownhallCardView } from '../../../src/cards/index';

const JOIN = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d';

function view(overrides: Partial<TownhallCardView> = {}): TownhallCardView {
  return {
    locale: 'en-US',
    timeZone: 'America/Los_Angeles',
    subject: 'Quarterly all hands',
    startDateTime: '2030-05-06T16:00:00.000Z',
    endDateTime: '2030-05-06T17:00:00.000Z',
    joinWebUrl: JOIN,
    organizerName: 'Ada Lovelace',
    coOrganizers: ['Grace Hopper'],
    state: 'active',
    audience: 'everyone',
    actionData: { meetingKey: 'k3yk3yk3yk3yk3yk3yk3yk', version: 1 },
    refreshUserIds: ['29:ada'],
    ...overrides,
  };
}

function parseStrict(json: AdaptiveCard): void {
  const context = new AC.SerializationContext();
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) events.push(e.message);
  assert.deepEqual(events, [], 'adaptivecards reported problems');
  assert.equal(json.version, '1.5');
  assert.ok(Buffer.byteLength(JSON.stringify(json)) < MAX_CARD_BYTES);
}

/** Every Action.Execute in the card (nested ShowCards included), without the refresh action. */
function executes(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) for (const n of node) executes(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute') out.push(o);
    for (const [k, v] of Object.entries(o)) if (k !== 'refresh') executes(v, out);
  }
  return out;
}

describe('renderTownhallCard()', () => {
  it('says it is a town hall and holds the attendee join link; valid Adaptive Card 1.5', () => {
    const card = renderTownhallCard(view());
    parseStrict(card);
    const text = JSON.stringify(card);
    assert.match(text, /"text":"Town hall"/);
    assert.match(text, /Teams town hall: attendees watch/);
    assert.ok(text.includes(JOIN));
    assert.match(text, /"title":"Join town hall"/);
    assert.match(text, /Grace Hopper/);
    assert.deepEqual(card.refresh?.userIds, ['29:ada'], 'Teams swaps in the organizer view for the organizer');
  });

  it('gives Cancel (confirmed, verb cancel, with a Submit fallback) to the organizer only', () => {
    const organizer = executes(renderTownhallCard(view({ audience: 'organizer' })));
    const cancel = organizer.find((a) => a.verb === 'cancel');
    assert.ok(cancel);
    assert.deepEqual(cancel.data, { meetingKey: 'k3yk3yk3yk3yk3yk3yk3yk', version: 1 });
    assert.deepEqual((cancel.fallback as { data: unknown }).data, {
      meetingKey: 'k3yk3yk3yk3yk3yk3yk3yk',
      version: 1,
      verb: 'cancel',
    });
    const everyone = executes(renderTownhallCard(view()));
    assert.equal(
      everyone.some((a) => a.verb === 'cancel'),
      false,
    );
    assert.ok(
      everyone.some((a) => a.verb === 'manage'),
      'Manage opens the organizer view in clients without refresh',
    );
  });

  it('a cancelled town hall shows no join link and no buttons', () => {
    const card = renderTownhallCard(view({ state: 'cancelled', audience: 'organizer' }));
    parseStrict(card);
    const text = JSON.stringify(card);
    assert.match(text, /This town hall was cancelled/);
    assert.ok(!text.includes(JOIN));
    assert.equal(card.actions, undefined);
    assert.equal(card.refresh, undefined);
  });

  it('escapes user text and drops a join link that is not https', () => {
    const card = renderTownhallCard(
      view({
        subject: '**[x](javascript:alert(1))** ${x}',
        coOrganizers: ['<b>Eve</b>'],
        joinWebUrl: 'javascript:alert(1)',
      }),
    );
    const body = JSON.stringify(card.body);
    assert.ok(!body.includes('](javascript:'), 'markdown is escaped, so no link is formed');
    assert.ok(
      card.body.some((b) => b.type === 'TextBlock' && b.text.startsWith(String.raw`\*\*\[x\]`)),
      'the subject shows as typed',
    );
    assert.ok(!body.includes('${x}') && !body.includes('<b>'), 'no binding, no raw HTML');
    assert.doesNotMatch(body, /"title":"Join town hall"|"url":"javascript/);
  });

  it('is localized (ja, zh-CN)', () => {
    assert.match(JSON.stringify(renderTownhallCard(view({ locale: 'ja-JP' }))), /タウン ホール/);
    assert.match(JSON.stringify(renderTownhallCard(view({ locale: 'zh-CN' }))), /市政厅/);
  });

  it('stays under 28 KB with the longest subject and many co-organizers', () => {
    const card = renderTownhallCard(
      view({
        subject: 'x'.repeat(5000),
        coOrganizers: Array.from({ length: 300 }, (_, i) => `Person ${i} ${'n'.repeat(200)}`),
      }),
    );
    parseStrict(card);
  });
});
