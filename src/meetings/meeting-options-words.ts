import type { MeetingOptions } from './types';

/**
 * Words for who is invited and the meeting's options (issue #15), in English, Simplified Chinese and Japanese:
 * `with everyone` / `和大家` / `全員`, `lobby off`, `only invited skip the lobby`, `record`, `no chat`…
 * Kept apart from the command parser: the parser calls `extractWholeChatWords` on the text before it reads times,
 * and these phrases are removed wherever they are (they read as nothing else). A bare `record` is taken only as the
 * last word, so a subject such as "Record label sync" stays a subject.
 */
export interface WholeChatWords {
  /** The text without the recognised phrases. */
  readonly text: string;
  /** `with everyone`: invite the chat's members (the Teams roster). */
  readonly everyone: boolean;
  /** Undefined when no option was asked for. */
  readonly options?: MeetingOptions;
}

interface OptionRule {
  readonly pattern: RegExp;
  readonly options: MeetingOptions;
}

// Order matters: the longer, more specific phrases first ("only invited skip the lobby" before "skip the lobby").
const OPTION_RULES: readonly OptionRule[] = [
  {
    pattern:
      /\b(?:only\s+)?(?:the\s+)?invit(?:ed|ees)(?:\s+people)?\s+(?:can\s+)?(?:skip|bypass)(?:es)?\s+the\s+lobby\b|仅受邀者跳过大厅|只有受邀者(?:可以)?跳过大厅|受邀者跳过大厅|招待者のみロビーをスキップ|招待された人だけロビーをスキップ|招待者はロビーをスキップ/iu,
    options: { lobbyScope: 'invited' },
  },
  {
    pattern:
      /\b(?:only\s+)?(?:my\s+|our\s+)?(?:org(?:anization)?|company)\s+(?:can\s+)?(?:skip|bypass)(?:es)?\s+the\s+lobby\b|仅组织内跳过大厅|組織内のみロビーをスキップ/iu,
    options: { lobbyScope: 'organization' },
  },
  {
    pattern:
      /\b(?:callers|dial-?in(?:\s+callers)?|phone\s+callers)\s+(?:can\s+)?(?:skip|bypass)(?:es)?\s+the\s+lobby\b|电话呼入者跳过大厅|電話参加者はロビーをスキップ/iu,
    options: { dialInBypassesLobby: true },
  },
  {
    pattern:
      /\b(?:lobby\s+off|no\s+lobby|without\s+(?:a\s+|the\s+)?lobby|(?:everyone\s+)?(?:skips?|bypass(?:es)?)\s+the\s+lobby)\b|关闭大厅|不要大厅|无大厅|跳过大厅|ロビーなし|ロビーオフ|ロビー無し|ロビーをスキップ/iu,
    options: { lobbyScope: 'everyone' },
  },
  {
    pattern:
      /\b(?:lobby\s+for\s+everyone|everyone\s+waits\s+in\s+the\s+lobby|only\s+(?:me|i|the\s+organizer)\s+(?:skips?|bypass(?:es)?)\s+the\s+lobby)\b|所有人在大厅等待|全員ロビーで待機/iu,
    options: { lobbyScope: 'organizer' },
  },
  {
    pattern:
      /\b(?:only\s+(?:i|me|the\s+organizer)\s+(?:can\s+)?presents?|i\s+present|presenter\s*:\s*(?:me|organizer))\b|仅我演示|只有我(?:能|可以)?演示|只有组织者(?:能|可以)?演示|発表者は自分のみ|私だけが発表|発表は自分だけ/iu,
    options: { allowedPresenters: 'organizer' },
  },
  {
    pattern: /\b(?:everyone|anyone)\s+can\s+present\b|所有人(?:都)?(?:能|可以)演示|全員が発表(?:でき(?:る|ます))?/iu,
    options: { allowedPresenters: 'everyone' },
  },
  {
    pattern:
      /\b(?:no\s+(?:meeting\s+)?chat|chat\s+off|without\s+(?:a\s+)?chat|disable\s+(?:the\s+)?chat)\b|不要聊天|关闭聊天|禁用聊天|无聊天|チャットなし|チャットオフ|チャット無し|チャットを無効/iu,
    options: { allowMeetingChat: 'disabled' },
  },
  {
    pattern:
      /\b(?:chat\s+(?:only\s+)?during\s+the\s+meeting(?:\s+only)?|limited\s+chat)\b|仅会议期间聊天|会議中のみチャット/iu,
    options: { allowMeetingChat: 'limited' },
  },
  {
    pattern:
      /\b(?:(?:and\s+)?record\s+(?:it\s+)?automatically|auto-?record(?:ed|ing)?|(?:and\s+|with\s+)record(?:ing)?|recorded)\b|自动录制|录制会议|并录制|(?<!不)录制|自動録画|録画する|録画あり|録画(?!なし|しない)/iu,
    options: { recordAutomatically: true },
  },
];

/** A bare `record` (or `record it`) ending the text. */
const TRAILING_RECORD = /(?:^|\s)record(?:\s+it)?\s*$/iu;

const EVERYONE =
  /\b(?:with\s+(?:everyone|everybody|all\s+of\s+(?:you|us)|the\s+(?:whole\s+)?(?:chat|team|channel|group))|invite\s+(?:everyone|everybody|the\s+(?:whole\s+)?(?:chat|team|channel))|everyone\s+here)\b|(?:和|与|跟)?(?:大家|所有人)(?:一起)?|(?:全員|みんな)(?:で|と)?/iu;

/**
 * Finds the invitee and option phrases, removes them, and reports what they asked for. Never throws on user text.
 * Option phrases are looked for before `with everyone`, so "everyone can present" is an option, not an invitation.
 */
export function extractWholeChatWords(input: string): WholeChatWords {
  let text = input;
  let options: MeetingOptions = {};
  let found = false;
  for (const rule of OPTION_RULES) {
    const match = rule.pattern.exec(text);
    if (match === null) continue;
    text = cut(text, match.index, match[0].length);
    options = { ...options, ...rule.options };
    found = true;
  }
  const everyone = EVERYONE.exec(text);
  if (everyone !== null) text = cut(text, everyone.index, everyone[0].length);
  const record = TRAILING_RECORD.exec(text);
  if (record !== null) {
    text = cut(text, record.index, record[0].length);
    options = { ...options, recordAutomatically: true };
    found = true;
  }
  return { text: text.replace(/\s+/g, ' ').trim(), everyone: everyone !== null, ...(found ? { options } : {}) };
}

function cut(text: string, index: number, length: number): string {
  return `${text.slice(0, index)} ${text.slice(index + length)}`;
}
