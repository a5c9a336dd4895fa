import assert from 'node:assert/strict';
import { commandLanguage, greetingTopic } from '../../../src/meetings/command-words';

describe('commandLanguage()', () => {
  const cases: ReadonlyArray<readonly [string, ReturnType<typeof commandLanguage>]> = [
    ['meet Sprint review tomorrow 3pm', 'en'],
    ['New standup', 'en'],
    ['help', 'en'],
    ['sign out', 'en'],
    ['hi', 'en'],
    ['会议 周会 明天下午3点', 'zh-CN'],
    ['开会明天下午3点', 'zh-CN'],
    ['帮助', 'zh-CN'],
    ['谢谢', 'zh-CN'],
    ['会議 定例 明日15時', 'ja'],
    ['ミーティング 振り返り', 'ja'],
    ['ヘルプ', 'ja'],
    ['ありがとう', 'ja'],
    ['meeting notes please', undefined],
    ['newsletter', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${String(expected)}`, () => {
      assert.equal(commandLanguage(text), expected);
    });
  }
});

describe('greetingTopic()', () => {
  it('reads whole messages of small talk only', () => {
    assert.equal(greetingTopic('hello'), 'hello');
    assert.equal(greetingTopic('thank you so much'), 'thanks');
    assert.equal(greetingTopic('hello, can you meet tomorrow'), undefined);
    assert.equal(greetingTopic('thanksgiving party'), undefined);
  });
});
