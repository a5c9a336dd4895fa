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
export const CREATE_WORDS_CJK: readonly string[] = [
  '创建会议',
  '新建会议',
  '新会议',
  '开会',
  '会议',
  '新しい会議',
  '会議を作成',
  '会議',
  'ミーティング',
];

/** Option words; recognised only at the end of what is left (see command-parser.ts). */
export const PASSCODE_PATTERN =
  /(?:(?:\bwith\s+(?:an?\s+)?|\brequire\s+(?:an?\s+)?)?\b(?:passcode|password)\b|需要密码|带密码|有密码|密码|パスコード付き|パスコードあり|パスコード|パスワード)$/iu;
export const LIVE_PATTERN =
  /(?:\b(?:as\s+)?(?:an?\s+)?live(?:\s+event)?\b|\bbroadcast\b|直播活动|直播|ライブイベント|ライブ配信|ライブ)$/iu;

/** A role marker right after a mention: `<at>Grace</at> as presenter`, `(presenter)`, `作为主持人`, `発表者`. */
export const PRESENTER_MARKER =
  /^\s*(?:\bas\s+(?:an?\s+|the\s+)?presenter\b|\(\s*(?:presenter|主持人|演示者|主讲人|発表者|プレゼンター)\s*\)|作为\s*(?:主持人|演示者|主讲人)|を?\s*(?:発表者|プレゼンター)(?:として|に)?)/iu;
