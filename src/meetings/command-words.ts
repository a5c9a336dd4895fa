/**
 * The words of the chat command language, per language. Kept apart from the parser so adding a language is a
 * data change. All matching happens on NFKC-normalised text (full-width digits, colons and brackets folded).
 */

export const HELP_WORDS: readonly string[] = [
  'help',
  '?',
  '/help',
  'usage',
  '帮助',
  '幫助',
  '使用说明',
  'ヘルプ',
  '使い方',
];

export const SIGNOUT_WORDS: readonly string[] = [
  'signout',
  'sign out',
  'sign-out',
  'logout',
  'log out',
  'log-out',
  'logoff',
  'log off',
  '退出登录',
  '注销',
  '登出',
  'サインアウト',
  'ログアウト',
];

/** Command words that start a create, longest first so `new meeting` wins over `new`. */
export const CREATE_WORDS_LATIN: readonly string[] = [
  'create a meeting',
  'create meeting',
  'new meeting',
  'schedule a meeting',
  'schedule meeting',
  'meet',
  'new',
  'create',
  'schedule',
];
const CREATE_WORDS_ZH: readonly string[] = ['创建会议', '新建会议', '新会议', '开会', '会议'];
const CREATE_WORDS_JA: readonly string[] = ['新しい会議', '会議を作成', '会議', 'ミーティング'];
export const CREATE_WORDS_CJK: readonly string[] = [...CREATE_WORDS_ZH, ...CREATE_WORDS_JA];

// ── Small talk (issue #17: `hi` and `thanks` got "I didn't understand that") ─────────────────────────────────────
export type GreetingTopic = 'hello' | 'thanks';

/** Whole messages (lower-cased, trailing `.!~` removed) that are small talk, by language. */
const GREETINGS: Readonly<Record<CommandLanguage, ReadonlyArray<readonly [RegExp, GreetingTopic]>>> = {
  en: [
    [
      /^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day))(?:,?\s+(?:there|all|everyone|team|convene|bot))?$/u,
      'hello',
    ],
    [
      /^(?:thanks|thank you|thankyou|thx|ty|cheers|many thanks|thanks a lot|thanks so much|thank you (?:so|very) much)(?:,?\s+(?:convene|bot))?$/u,
      'thanks',
    ],
  ],
  'zh-CN': [
    [/^(?:你好|您好|嗨|哈喽|哈啰|早上好|早安|上午好|下午好|晚上好|大家好)[呀啊哦]?$/u, 'hello'],
    [/^(?:谢谢你?|谢谢您|多谢|感谢|谢啦|非常感谢)[呀啊哦]?$/u, 'thanks'],
  ],
  ja: [
    [/^(?:こんにちは|こんばんは|おはよう(?:ございます)?|やあ|はじめまして)$/u, 'hello'],
    [/^(?:(?:どうも)?ありがとう(?:ございます|ございました)?|どうも|サンキュー|感謝します)$/u, 'thanks'],
  ],
};

/** `hello` / `thanks` when the whole (normalised, lower-cased) message is small talk. */
export function greetingTopic(bare: string): GreetingTopic | undefined {
  for (const rules of Object.values(GREETINGS)) {
    const hit = rules.find(([pattern]) => pattern.test(bare));
    if (hit) return hit[1];
  }
  return undefined;
}

// ── The language a command is written in (issue #17: answer in it when it differs from the client's) ──────────
export type CommandLanguage = 'en' | 'zh-CN' | 'ja';

const HELP_WORDS_ZH: readonly string[] = ['帮助', '幫助', '使用说明'];
const HELP_WORDS_JA: readonly string[] = ['ヘルプ', '使い方'];
const SIGNOUT_WORDS_ZH: readonly string[] = ['退出登录', '注销', '登出'];
const SIGNOUT_WORDS_JA: readonly string[] = ['サインアウト', 'ログアウト'];

/**
 * The language of the command word a message starts with (`会议` → zh-CN, `会議` → ja, `meet` → en), or undefined
 * when it starts with none. `text` is NFKC-normalised and trimmed.
 */
export function commandLanguage(text: string): CommandLanguage | undefined {
  const lower = text.toLowerCase();
  const bare = lower.replace(/[.!。!~～]+$/u, '').trim();
  const starts = (words: readonly string[]): boolean => words.some((w) => lower.startsWith(w));
  if (starts(CREATE_WORDS_ZH) || starts(HELP_WORDS_ZH) || starts(SIGNOUT_WORDS_ZH)) return 'zh-CN';
  if (starts(CREATE_WORDS_JA) || starts(HELP_WORDS_JA) || starts(SIGNOUT_WORDS_JA)) return 'ja';
  for (const [language, rules] of Object.entries(GREETINGS) as [CommandLanguage, (typeof GREETINGS)['en']][]) {
    if (rules.some(([pattern]) => pattern.test(bare))) return language;
  }
  const latin = [...CREATE_WORDS_LATIN, ...HELP_WORDS, ...SIGNOUT_WORDS].filter((w) => /^[a-z/?]/u.test(w));
  return latin.some((w) => bare === w || (lower.startsWith(w) && /[\s,:;]/u.test(lower.charAt(w.length))))
    ? 'en'
    : undefined;
}

/** Option words; recognised only at the end of what is left (see command-parser.ts). */
export const PASSCODE_PATTERN =
  /(?:(?:\bwith\s+(?:an?\s+)?|\brequire\s+(?:an?\s+)?)?\b(?:passcode|password)\b|需要密码|带密码|有密码|密码|パスコード付き|パスコードあり|パスコード|パスワード)$/iu;
export const LIVE_PATTERN =
  /(?:\b(?:as\s+)?(?:an?\s+)?live(?:\s+event)?\b|\bbroadcast\b|直播活动|直播|ライブイベント|ライブ配信|ライブ)$/iu;

/** A role marker right after a mention: `<at>Grace</at> as presenter`, `(presenter)`, `作为主持人`, `発表者`. */
export const PRESENTER_MARKER =
  /^\s*(?:\bas\s+(?:an?\s+|the\s+)?presenter\b|\(\s*(?:presenter|主持人|演示者|主讲人|発表者|プレゼンター)\s*\)|作为\s*(?:主持人|演示者|主讲人)|を?\s*(?:発表者|プレゼンター)(?:として|に)?)/iu;
