import { t, type StringKey, type TranslateParams } from '../i18n/index.js';
import { adaptiveCard, textBlock } from './builders.js';
import { md } from './escape.js';
import type { AdaptiveCard, TextBlock } from './types.js';

/** The parts of an info card; empty text leaves its part out. */
interface InfoCard {
  readonly title: string;
  readonly intro?: string;
  readonly lines?: readonly string[];
  readonly examplesTitle?: string;
  readonly examples?: readonly string[];
  readonly footer?: string;
}

/** One layout for help, usage and welcome: title, intro, a list, examples in monospace-free quotes, a footer. */
function infoCard(card: InfoCard): AdaptiveCard {
  const { intro, examplesTitle, footer } = card;
  const listItem = (text: string): TextBlock => textBlock(text, { wrap: true, spacing: 'small' });
  return adaptiveCard([
    textBlock(card.title, { style: 'heading', size: 'medium', weight: 'bolder', wrap: true }),
    ...(intro ? [textBlock(intro, { wrap: true })] : []),
    ...(card.lines ?? []).map(listItem),
    ...(examplesTitle ? [textBlock(examplesTitle, { weight: 'bolder', wrap: true, spacing: 'medium' })] : []),
    ...(card.examples ?? []).map(listItem),
    ...(footer ? [textBlock(footer, { isSubtle: true, wrap: true, spacing: 'medium' })] : []),
  ]);
}

const EXAMPLES = ['example.1', 'example.2', 'example.3'] as const satisfies readonly StringKey[];

function examples(locale: string): string[] {
  return EXAMPLES.map((key) => `• ${md(t(locale, key))}`);
}

/** Reply to `help`: the commands and three examples. */
export function renderHelpCard(locale: string): AdaptiveCard {
  return infoCard({
    title: t(locale, 'help.title'),
    intro: t(locale, 'help.intro'),
    lines: [
      `• **meet** \\[…\\] — ${t(locale, 'help.cmdMeet')}`,
      `• **help** — ${t(locale, 'help.cmdHelp')}`,
      `• **signout** — ${t(locale, 'help.cmdSignout')}`,
    ],
    examplesTitle: t(locale, 'help.examples'),
    examples: examples(locale),
    footer: t(locale, 'help.compose'),
  });
}

/** Reply to a command Convene couldn't parse; `reason` is what it couldn't read (user text, escaped here). */
export function renderUsageCard(locale: string, reason?: string): AdaptiveCard {
  return infoCard({
    title: t(locale, 'usage.title'),
    intro: reason?.trim() ? t(locale, 'usage.reason', { reason: md(reason, 200) }) : '',
    examplesTitle: t(locale, 'usage.tryOne'),
    examples: examples(locale),
  });
}

export type WelcomeScope = 'personal' | 'groupChat' | 'team';

/** Sent when Convene is installed in a personal chat, a group chat or a team. */
export function renderWelcomeCard(locale: string, scope: WelcomeScope): AdaptiveCard {
  return infoCard({
    title: t(locale, 'welcome.title'),
    intro: t(locale, `welcome.${scope}`),
    examplesTitle: t(locale, 'help.examples'),
    examples: examples(locale),
    footer: t(locale, 'help.compose'),
  });
}

/** Keys usable with renderNoticeCard. */
export type NoticeKey = Extract<StringKey, `notice.${string}`> | Extract<StringKey, `error.${string}`>;

/**
 * A one-line note ("I've sent you a sign-in prompt in our 1:1 chat", "Only the organizer can change this meeting").
 * String parameters are user text and are escaped; numbers are inserted as they are.
 */
export function renderNoticeCard(locale: string, key: NoticeKey, params?: TranslateParams): AdaptiveCard {
  const safe = params
    ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? md(v, 200) : v]))
    : undefined;
  return adaptiveCard([textBlock(t(locale, key, safe), { wrap: true })]);
}
