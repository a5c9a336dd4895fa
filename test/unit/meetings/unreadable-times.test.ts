import assert from 'node:assert/strict';
import { findUnreadableTimes } from '../../../src/meetings/unreadable-times';

const words = (text: string): string[] => findUnreadableTimes(text).map((u) => u.text);

describe('findUnreadableTimes()', () => {
  it('names impossible clock times, hours, dates and unread CJK days as written', () => {
    assert.deepEqual(words('review at 25:00'), ['25:00']);
    assert.deepEqual(words('x 99am and 13pm'), ['99am', '13pm']);
    assert.deepEqual(words('x December 32'), ['December 32']);
    assert.deepEqual(words('x 2/30'), ['2/30']);
    assert.deepEqual(words('x on the 35th'), ['on the 35th']);
    assert.deepEqual(words('周会 25点'), ['25点']);
    assert.deepEqual(words('定例 2月30日'), ['2月30日']);
    assert.deepEqual(words('定例 明後日'), ['明後日']);
  });

  it('removes a leading `at` with the words, so the subject keeps no dangling preposition', () => {
    const [found] = findUnreadableTimes('review at 25:00');
    assert.equal('review at 25:00'.slice(found!.index, found!.index + found!.length), 'at 25:00');
  });

  it('leaves numbers that are no time in the subject', () => {
    for (const text of ['Q3 review', '5 whys', '1:1 with Ana', '50/50 split', 'v1.2 release', '3 amigos', 'room 101']) {
      assert.deepEqual(words(text), [], text);
    }
  });
});
