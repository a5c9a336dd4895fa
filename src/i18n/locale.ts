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
  if (
    tag === 'zh' ||
    tag === 'zh-cn' ||
    tag === 'zh-sg' ||
    tag === 'zh-hans' ||
    tag.startsWith('zh-hans-') ||
    tag.startsWith('zh-cn-') ||
    tag.startsWith('zh-sg-')
  ) {
    return 'zh-CN';
  }
  return 'en';
}

/**
 * Locale tags come from clients and travel on (Accept-Language to Graph, stored requests): a well-formed BCP 47 tag of
 * at most 35 characters (RFC 5646's recommended buffer), in canonical case, or undefined.
 */
const MAX_LOCALE_TAG_LENGTH = 35;
const LOCALE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Tags already read, bounded: every activity carries one, clients send a handful of distinct values, and
 * Intl.getCanonicalLocales was a tenth of reading a turn. Misses and refusals are cached alike (by the raw value).
 */
const LOCALE_CACHE_LIMIT = 256;
const canonicalTags = new Map<string, string | undefined>();

export function parseLocaleTag(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_LOCALE_TAG_LENGTH) return undefined;
  if (canonicalTags.has(value)) return canonicalTags.get(value);
  const parsed = canonicalTag(value);
  if (canonicalTags.size >= LOCALE_CACHE_LIMIT) canonicalTags.delete(canonicalTags.keys().next().value as string);
  canonicalTags.set(value, parsed);
  return parsed;
}

function canonicalTag(value: string): string | undefined {
  const tag = value.trim().replace(/_/g, '-');
  if (!LOCALE_TAG.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** A client-supplied locale (any JSON value) as a BCP 47 tag, en-US when it is none. */
export function clientLocale(value: unknown): string {
  return parseLocaleTag(value) ?? 'en-US';
}

const REPLY_TAGS: Readonly<Record<SupportedLocale, string>> = { en: 'en-US', 'zh-CN': 'zh-CN', ja: 'ja-JP' };

/**
 * The locale to answer in (issue #17): the client's Teams locale, unless the command word is Chinese or Japanese
 * and the client's language is another (`会议 …` from an English client is answered in Chinese, `会議 …` from a
 * Chinese one in Japanese). English command words switch nothing: they are the syntax every locale's help and
 * examples teach, so a Chinese user typing `meet …` from the examples is still answered in Chinese.
 */
export function replyLocale(clientTag: string, commandLanguage: SupportedLocale | undefined): string {
  if (commandLanguage === undefined || commandLanguage === 'en' || normalizeLocale(clientTag) === commandLanguage) {
    return clientTag;
  }
  return REPLY_TAGS[commandLanguage];
}
