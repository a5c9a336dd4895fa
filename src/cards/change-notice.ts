import { formatDateTime, t } from '../i18n/index';
import { md } from './escape';
import type { MeetingOptions } from '../meetings/types';

/** One change to a meeting, as the short threaded message everyone in the chat reads (issue #15). */
export type ChangeNoticeView =
  | { readonly kind: 'rescheduled'; readonly startDateTime: string }
  | { readonly kind: 'renamed'; readonly previousSubject: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'options'; readonly options: MeetingOptions };

export interface ChangeNoticeContext {
  readonly locale: string;
  /** The organizer's zone: one message is read by everyone, so the zone is named ("4:30 PM (PST)"). */
  readonly timeZone: string;
  readonly actorName: string;
  readonly subject: string;
}

/** Markdown text for a Teams message; names and subjects are escaped. */
export function renderChangeNotice(change: ChangeNoticeView, c: ChangeNoticeContext): string {
  const base = { actor: md(c.actorName, 100), subject: md(c.subject, 200) };
  switch (change.kind) {
    case 'rescheduled':
      return t(c.locale, 'notice.change.rescheduled', {
        ...base,
        when: formatDateTime(change.startDateTime, c.locale, c.timeZone),
      });
    case 'renamed':
      return t(c.locale, 'notice.change.renamed', { ...base, previous: md(change.previousSubject, 200) });
    case 'cancelled':
      return t(c.locale, 'notice.change.cancelled', base);
    case 'options':
      return t(c.locale, 'notice.change.options', {
        ...base,
        summary: optionsSummary(change.options, c.locale).join('; '),
      });
  }
}

/** "Skip the lobby: everyone", "Meeting chat: off"… for the options that are set. */
export function optionsSummary(o: MeetingOptions, locale: string): string[] {
  const lines: string[] = [];
  if (o.lobbyScope) lines.push(`${t(locale, 'option.lobby')}: ${t(locale, `option.lobby.${o.lobbyScope}`)}`);
  if (o.dialInBypassesLobby) lines.push(t(locale, 'option.dialIn'));
  if (o.allowedPresenters)
    lines.push(`${t(locale, 'option.presenters')}: ${t(locale, `option.presenters.${o.allowedPresenters}`)}`);
  if (o.recordAutomatically) lines.push(t(locale, 'option.record'));
  if (o.allowMeetingChat) lines.push(`${t(locale, 'option.chat')}: ${t(locale, `option.chat.${o.allowMeetingChat}`)}`);
  return lines;
}
