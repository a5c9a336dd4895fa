import { t, type StringKey, type TranslateParams } from '../i18n/index';
import { adaptiveCard, textBlock } from './builders';
import { md } from './escape';
import type { AdaptiveCard, TextBlock } from './types';

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

/**
 * Where the card is read: in channels and group chats Convene only hears messages that @mention it, so examples
 * there are written with the mention (issue #17: channel help showed commands that would never reach it).
 */
export type HelpScope = 'personal' | 'groupChat' | 'channel';

const mentionFor = (scope: HelpScope): string => (scope === 'personal' ? '' : '@Convene ');

function examples(locale: string, scope: HelpScope): string[] {
  return EXAMPLES.map((key) => `• ${md(`${mentionFor(scope)}${t(locale, key)}`)}`);
}

/** Reply to `help`: the commands and three examples, written with `@Convene` outside personal chats. */
export function renderHelpCard(locale: string, scope: HelpScope = 'personal'): AdaptiveCard {
  const at = mentionFor(scope);
  return infoCard({
    title: t(locale, 'help.title'),
    intro: t(locale, scope === 'personal' ? 'help.intro' : 'help.introMention'),
    lines: [
      `• **${at}meet** \\[…\\] — ${t(locale, 'help.cmdMeet')}`,
      `• **${at}help** — ${t(locale, 'help.cmdHelp')}`,
      `• **${at}signout** — ${t(locale, 'help.cmdSignout')}`,
      // whole-chat (#15): who gets invited, and the option words.
      `• ${t(locale, 'help.everyone')}`,
      `• ${t(locale, 'help.options')}`,
    ],
    examplesTitle: t(locale, 'help.examples'),
    examples: examples(locale, scope),
    footer: t(locale, 'help.compose'),
  });
}

/**
 * Reply to a command Convene couldn't parse (`unknown`) or won't create (`refused`: a limit, named in `reason`);
 * `reason` is user text, escaped here.
 */
export function renderUsageCard(
  locale: string,
  reason?: string,
  scope: HelpScope = 'personal',
  kind: 'unknown' | 'refused' = 'unknown',
): AdaptiveCard {
  return infoCard({
    title: t(locale, kind === 'refused' ? 'usage.refusedTitle' : 'usage.title'),
    intro: !reason?.trim()
      ? ''
      : kind === 'refused'
        ? md(reason, 200)
        : t(locale, 'usage.reason', { reason: md(reason, 200) }),
    examplesTitle: t(locale, 'usage.tryOne'),
    examples: examples(locale, scope),
  });
}

export type WelcomeScope = 'personal' | 'groupChat' | 'team';

/** Sent when Convene is installed in a personal chat, a group chat or a team. */
export function renderWelcomeCard(locale: string, scope: WelcomeScope): AdaptiveCard {
  return infoCard({
    title: t(locale, 'welcome.title'),
    intro: t(locale, `welcome.${scope}`),
    examplesTitle: t(locale, 'help.examples'),
    examples: examples(locale, scope === 'team' ? 'channel' : scope),
    footer: t(locale, 'help.compose'),
  });
}

export type GreetingTopic = 'hello' | 'thanks';

/**
 * The answer to small talk (`hi`, `thanks`, 你好, ありがとう): one friendly line and a suggestion button that posts a
 * ready command as the user's message (imBack), plus Help.
 */
export function renderGreetingCard(locale: string, topic: GreetingTopic): AdaptiveCard {
  const suggestion = t(locale, 'greeting.suggestion');
  const imBack = (title: string, value: string) =>
    ({ type: 'Action.Submit', title, data: { msteams: { type: 'imBack', value } } }) as const;
  return adaptiveCard(
    [
      textBlock(t(locale, topic === 'hello' ? 'greeting.hello' : 'greeting.thanks'), { weight: 'bolder', wrap: true }),
      textBlock(t(locale, 'greeting.try'), { wrap: true }),
    ],
    { actions: [imBack(suggestion, suggestion), imBack(t(locale, 'greeting.help'), t(locale, 'greeting.helpWord'))] },
  );
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
