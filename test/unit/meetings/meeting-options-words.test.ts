import assert from 'node:assert/strict';
import { parseCommand } from '../../../src/meetings/command-parser';
import { missingOptions } from '../../../src/meetings/create-meeting';
import { extractWholeChatWords } from '../../../src/meetings/meeting-options-words';
import type { MeetingOptions } from '../../../src/meetings/types';

const NOW = Date.parse('2026-03-06T17:00:00Z');

function parsed(text: string, locale = 'en-US') {
  const command = parseCommand(text, { now: NOW, timeZone: 'America/Los_Angeles', locale });
  assert.equal(command.kind, 'create', `${text} → ${command.kind}`);
  return command as Extract<typeof command, { kind: 'create' }>;
}

describe('extractWholeChatWords()', () => {
  const cases: ReadonlyArray<readonly [string, string, boolean, MeetingOptions | undefined]> = [
    ['Sprint review with everyone', 'Sprint review', true, undefined],
    ['Sprint review lobby off', 'Sprint review', false, { lobbyScope: 'everyone' }],
    ['Sprint review only invited skip the lobby', 'Sprint review', false, { lobbyScope: 'invited' }],
    ['Sprint review no chat', 'Sprint review', false, { allowMeetingChat: 'disabled' }],
    ['Sprint review record', 'Sprint review', false, { recordAutomatically: true }],
    ['Record label sync', 'Record label sync', false, undefined],
    [
      'Planning only I present, callers skip the lobby',
      'Planning ,',
      false,
      { allowedPresenters: 'organizer', dialInBypassesLobby: true },
    ],
    ['Retro everyone can present', 'Retro', false, { allowedPresenters: 'everyone' }],
    [
      'Retro with everyone lobby off no chat record',
      'Retro',
      true,
      { lobbyScope: 'everyone', allowMeetingChat: 'disabled', recordAutomatically: true },
    ],
    ['周会 和大家 关闭大厅 录制', '周会', true, { lobbyScope: 'everyone', recordAutomatically: true }],
    ['周会 所有人 不要聊天', '周会', true, { allowMeetingChat: 'disabled' }],
    ['周会 仅受邀者跳过大厅', '周会', false, { lobbyScope: 'invited' }],
    ['定例 全員 ロビーなし 録画', '定例', true, { lobbyScope: 'everyone', recordAutomatically: true }],
    ['定例 みんな チャットなし', '定例', true, { allowMeetingChat: 'disabled' }],
    ['定例 録画なし', '定例 録画なし', false, undefined],
  ];
  for (const [input, text, everyone, options] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify({ text, everyone, options })}`, () => {
      const words = extractWholeChatWords(input);
      assert.equal(words.text, text);
      assert.equal(words.everyone, everyone);
      assert.deepEqual(words.options, options);
    });
  }
});

describe('parseCommand() with invitee and option words', () => {
  it('keeps the time and subject around the words: "meet Sprint review with everyone tomorrow 3pm lobby off record"', () => {
    const c = parsed('meet Sprint review with everyone tomorrow 3pm lobby off record');
    assert.equal(c.subject, 'Sprint review');
    assert.equal(c.everyone, true);
    assert.deepEqual(c.options, { lobbyScope: 'everyone', recordAutomatically: true });
    assert.equal(c.startDateTime, '2026-03-07T23:00:00.000Z');
  });

  it('has neither field when no word was used', () => {
    const c = parsed('meet Sprint review tomorrow 3pm');
    assert.equal('everyone' in c, false);
    assert.equal('options' in c, false);
  });

  it('reads the Chinese and Japanese words', () => {
    assert.equal(parsed('开会 周会 明天下午3点 和大家', 'zh-CN').everyone, true);
    assert.deepEqual(parsed('会議 定例 明日15時 チャットなし', 'ja-JP').options, { allowMeetingChat: 'disabled' });
  });
});

describe('missingOptions()', () => {
  it('returns only the asked-for options the meeting does not have yet', () => {
    assert.deepEqual(
      missingOptions(
        { lobbyScope: 'everyone', recordAutomatically: true },
        { lobbyScope: 'everyone', recordAutomatically: false },
      ),
      {
        recordAutomatically: true,
      },
    );
  });

  it('returns undefined when nothing was asked for or the meeting has it all (no PATCH on a redelivery)', () => {
    assert.equal(missingOptions(undefined, { lobbyScope: 'organization' }), undefined);
    assert.equal(
      missingOptions({ allowMeetingChat: 'disabled' }, { allowMeetingChat: 'disabled', allowedPresenters: 'everyone' }),
      undefined,
    );
  });

  it('treats a meeting without reported options as having none', () => {
    assert.deepEqual(missingOptions({ dialInBypassesLobby: false }, undefined), { dialInBypassesLobby: false });
  });
});
