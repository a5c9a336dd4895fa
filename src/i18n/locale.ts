/** The languages Convene's cards and replies are written in. */
export type SupportedLocale = 'en' | 'zh-CN' | 'ja';

export const SUPPORTED_LOCALES: readonly SupportedLocale[] = ['en', 'zh-CN', 'ja'];

/**
 * Maps a Teams/BCP 47 locale to a supported one: zh, zh-CN, zh-Hans*, zh-SG → zh-CN; ja* → ja; anything else
 * (including zh-TW/zh-HK/zh-Hant, which Simplified Chinese would not serve) → en.
 */
export function normalizeLocale(locale?: string): SupportedLocale {
  if (!locale) return 'en';
  const tag = locale.trim().replace(/_/g, '-').toLowerCase();
  if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
  if (tag === 'zh' || tag === 'zh-cn' || tag === 'zh-sg' || tag === 'zh-hans' || tag.startsWith('zh-hans-') || tag.startsWith('zh-cn-') || tag.startsWith('zh-sg-')) {
    return 'zh-CN';
  }
  return 'en';
}

const REPLY_TAGS: Readonly<Record<SupportedLocale, string>> = { en: 'en-US', 'zh-CN': 'zh-CN', ja: 'ja-JP' };

/**
 * The locale to answer in (issue #17): the client's Teams locale, unless the command word is Chinese or Japanese
 * and the client's language is another (`会议 …` from an English client is answered in Chinese, `会議 …` from a
 * Chinese one in Japanese). English command words switch nothing: they are the syntax every locale's help and
 * examples teach, so a Chinese user typing `meet …` from the examples is still answered in Chinese.
 */
export function replyLocale(clientLocale: string, commandLanguage: SupportedLocale | undefined): string {
  if (commandLanguage === undefined || commandLanguage === 'en' || normalizeLocale(clientLocale) === commandLanguage) {
    return clientLocale;
  }
  return REPLY_TAGS[commandLanguage];
}
