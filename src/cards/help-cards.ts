import { t, type StringKey, type TranslateParams } from '../i18n/index.js';
import { md } from './escape.js';
import { compileTemplate } from './template.js';
import { ADAPTIVE_CARD_SCHEMA, type AdaptiveCard } from './types.js';

interface Line { readonly text: string }

interface InfoCardData {
  readonly title: string;
  readonly hasIntro: boolean;
  readonly intro: string;
  readonly lines: readonly Line[];
  readonly hasExamplesTitle: boolean;
  readonly examplesTitle: string;
  readonly examples: readonly Line[];
  readonly hasFooter: boolean;
  readonly footer: string;
}

/** One layout for help, usage and welcome: title, intro, a list, examples in monospace-free quotes, a footer. */
export const INFO_CARD_TEMPLATE: AdaptiveCard = {
  type: 'AdaptiveCard',
  $schema: ADAPTIVE_CARD_SCHEMA,
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${title}', style: 'heading', size: 'medium', weight: 'bolder', wrap: true },
    { type: 'TextBlock', $when: '${hasIntro}', text: '${intro}', wrap: true },
    { type: 'TextBlock', $data: '${lines}', text: '${text}', wrap: true, spacing: 'small' },
    { type: 'TextBlock', $when: '${hasExamplesTitle}', text: '${examplesTitle}', weight: 'bolder', wrap: true, spacing: 'medium' },
    { type: 'TextBlock', $data: '${examples}', text: '${text}', wrap: true, spacing: 'small' },
    { type: 'TextBlock', $when: '${hasFooter}', text: '${footer}', isSubtle: true, wrap: true, spacing: 'medium' },
  ],
};

const expandInfo = compileTemplate<InfoCardData>(INFO_CARD_TEMPLATE);

const EXAMPLES = ['example.1', 'example.2', 'example.3'] as const satisfies readonly StringKey[];

function examples(locale: string): Line[] {
  return EXAMPLES.map((key) => ({ text: `• ${md(t(locale, key))}` }));
}

function info(data: Partial<InfoCardData> & Pick<InfoCardData, 'title'>): InfoCardData {
  return {
    intro: '',
    lines: [],
    examplesTitle: '',
    examples: [],
    footer: '',
    ...data,
    hasIntro: Boolean(data.intro),
    hasExamplesTitle: Boolean(data.examplesTitle),
    hasFooter: Boolean(data.footer),
  };
}

/** Reply to `help`: the commands and three examples. */
export function renderHelpCard(locale: string): AdaptiveCard {
  return expandInfo(helpCardData(locale));
}

/** The data INFO_CARD_TEMPLATE is expanded with for renderHelpCard. */
export function helpCardData(locale: string): InfoCardData {
  return info({
    title: t(locale, 'help.title'),
    intro: t(locale, 'help.intro'),
    lines: [
      { text: `• **meet** \\[…\\] — ${t(locale, 'help.cmdMeet')}` },
      { text: `• **help** — ${t(locale, 'help.cmdHelp')}` },
      { text: `• **signout** — ${t(locale, 'help.cmdSignout')}` },
    ],
    examplesTitle: t(locale, 'help.examples'),
    examples: examples(locale),
    footer: t(locale, 'help.compose'),
  });
}

/** Reply to a command Convene couldn't parse; `reason` is what it couldn't read (user text, escaped here). */
export function renderUsageCard(locale: string, reason?: string): AdaptiveCard {
  return expandInfo(usageCardData(locale, reason));
}

/** The data INFO_CARD_TEMPLATE is expanded with for renderUsageCard. */
export function usageCardData(locale: string, reason?: string): InfoCardData {
  return info({
    title: t(locale, 'usage.title'),
    intro: reason?.trim() ? t(locale, 'usage.reason', { reason: md(reason, 200) }) : '',
    examplesTitle: t(locale, 'usage.tryOne'),
    examples: examples(locale),
  });
}

export type WelcomeScope = 'personal' | 'groupChat' | 'team';

/** Sent when Convene is installed in a personal chat, a group chat or a team. */
export function renderWelcomeCard(locale: string, scope: WelcomeScope): AdaptiveCard {
  return expandInfo(welcomeCardData(locale, scope));
}

/** The data INFO_CARD_TEMPLATE is expanded with for renderWelcomeCard. */
export function welcomeCardData(locale: string, scope: WelcomeScope): InfoCardData {
  return info({
    title: t(locale, 'welcome.title'),
    intro: t(locale, `welcome.${scope}`),
    examplesTitle: t(locale, 'help.examples'),
    examples: examples(locale),
    footer: t(locale, 'help.compose'),
  });
}

/** Keys usable with renderNoticeCard. */
export type NoticeKey = Extract<StringKey, `notice.${string}`> | Extract<StringKey, `error.${string}`>;

interface NoticeData {
  readonly text: string;
}

export const NOTICE_CARD_TEMPLATE: AdaptiveCard = {
  type: 'AdaptiveCard',
  $schema: ADAPTIVE_CARD_SCHEMA,
  version: '1.5',
  body: [{ type: 'TextBlock', text: '${text}', wrap: true }],
};

const expandNotice = compileTemplate<NoticeData>(NOTICE_CARD_TEMPLATE);

/**
 * A one-line note ("I've sent you a sign-in prompt in our 1:1 chat", "Only the organizer can change this meeting").
 * String parameters are user text and are escaped; numbers are inserted as they are.
 */
export function renderNoticeCard(locale: string, key: NoticeKey, params?: TranslateParams): AdaptiveCard {
  return expandNotice(noticeCardData(locale, key, params));
}

/** The data NOTICE_CARD_TEMPLATE is expanded with. */
export function noticeCardData(locale: string, key: NoticeKey, params?: TranslateParams): NoticeData {
  const safe = params
    ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? md(v, 200) : v]))
    : undefined;
  return { text: t(locale, key, safe) };
}
