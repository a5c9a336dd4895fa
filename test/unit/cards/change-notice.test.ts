import { strict as assert } from 'node:assert';
import { optionsSummary, renderChangeNotice } from '../../../src/cards/index';

const AT = '2026-03-12T00:30:00Z';

describe('renderChangeNotice()', () => {
  const base = { locale: 'en-US', timeZone: 'America/Los_Angeles', actorName: 'Ada', subject: 'Sprint review' };

  it("says who moved what to when, naming the organizer's zone", () => {
    assert.equal(
      renderChangeNotice({ kind: 'rescheduled', startDateTime: AT }, base),
      'Ada moved *Sprint review* to Wed, Mar 11, 5:30 PM (PDT)',
    );
  });

  it("renames and cancels, escaping user text so it can't break out of the italics", () => {
    const hostile = { ...base, actorName: '<at>x</at>', subject: 'a*b_[c](http://e)' };
    assert.equal(
      renderChangeNotice({ kind: 'renamed', previousSubject: 'Old *one*' }, hostile),
      '\\<at\\>x\\</at\\> renamed *Old \\*one\\** to *a\\*b\\_\\[c\\]\\(http://e\\)*',
    );
    assert.equal(renderChangeNotice({ kind: 'cancelled' }, base), 'Ada cancelled *Sprint review*');
  });

  it('is localized (zh-CN, ja) and lists changed options', () => {
    assert.equal(renderChangeNotice({ kind: 'cancelled' }, { ...base, locale: 'zh-CN' }), 'Ada 已取消 *Sprint review*');
    assert.match(
      renderChangeNotice(
        { kind: 'rescheduled', startDateTime: AT },
        { ...base, locale: 'ja-JP', timeZone: 'Asia/Tokyo' },
      ),
      /^Ada さんが \*Sprint review\* を 3月12日\(木\) 09:30 \(JST\) に変更しました$/,
    );
    assert.equal(
      renderChangeNotice({ kind: 'options', options: { lobbyScope: 'invited', allowMeetingChat: 'limited' } }, base),
      'Ada changed the options of *Sprint review*: Skip the lobby: only people who were invited; Meeting chat: during the meeting only',
    );
  });

  it('optionsSummary() leaves out what is not set', () => {
    assert.deepEqual(optionsSummary({}, 'en-US'), []);
    assert.deepEqual(optionsSummary({ recordAutomatically: false, dialInBypassesLobby: true }, 'en-US'), [
      'Callers by phone skip the lobby',
    ]);
  });
});
