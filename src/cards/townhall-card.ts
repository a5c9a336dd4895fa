import { formatMeetingTime, t } from '../i18n';
import { actionSet, adaptiveCard, cardBytes, execute, fact, factSet, openUrl, showCard, textBlock } from './builders';
import { md, plain, safeUrl } from './escape';
import { MAX_CARD_BYTES, type ActionData, type AdaptiveCard, type CardAction, type CardElement } from './types';

/** What the town hall card shows (a Teams town hall made for `live`). */
export interface TownhallCardView {
  readonly locale: string;
  readonly timeZone: string;
  readonly subject: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  /** The published town hall's session link: what attendees open. */
  readonly joinWebUrl: string;
  readonly organizerName: string;
  readonly coOrganizers: readonly string[];
  readonly state: 'active' | 'cancelled';
  /** `organizer` gets Cancel; everyone else the shared view (Teams swaps in the organizer's through refresh). */
  readonly audience: 'organizer' | 'everyone';
  readonly actionData: { readonly meetingKey: string; readonly version: number };
  readonly refreshUserIds: readonly string[];
  readonly notice?: string;
}

const MAX_SUBJECT = 250;
const MAX_NAME = 100;
const MAX_CO_ORGANIZERS = 20;
const MAX_REFRESH_USERS = 60;

/**
 * The town hall card (Adaptive Card 1.5, < 28 KB): says it is a town hall, holds the attendee join link, and gives
 * the organizer Cancel (verb `cancel`, confirmed first). User text (subject, names) is escaped; a cancelled town hall
 * shows no join link and no buttons.
 */
export function renderTownhallCard(view: TownhallCardView): AdaptiveCard {
  const { locale } = view;
  const cancelled = view.state === 'cancelled';
  const subject = view.subject.trim() ? md(view.subject, MAX_SUBJECT) : t(locale, 'meeting.noSubject');
  const when = formatMeetingTime(view.startDateTime, view.endDateTime, locale, view.timeZone);
  const joinUrl = cancelled ? undefined : safeUrl(view.joinWebUrl);
  const data: ActionData = { meetingKey: view.actionData.meetingKey, version: view.actionData.version };
  const body: CardElement[] = [];
  if (view.notice?.trim())
    body.push(textBlock(md(view.notice, 200), { color: 'accent', weight: 'bolder', size: 'small', wrap: true }));
  body.push(
    textBlock(t(locale, 'townhall.title'), { color: 'accent', weight: 'bolder', size: 'small', wrap: true }),
    textBlock(subject, { style: 'heading', size: 'large', weight: 'bolder', wrap: true, spacing: 'small' }),
  );
  if (cancelled) body.push(textBlock(t(locale, 'townhall.cancelled'), { color: 'attention', wrap: true }));
  body.push(textBlock(when, { isSubtle: true, wrap: true, spacing: 'small' }));
  if (joinUrl) {
    body.push(
      textBlock(t(locale, 'townhall.summary'), { wrap: true }),
      actionSet([openUrl(t(locale, 'townhall.join'), joinUrl, { style: 'positive' })]),
    );
  }
  const facts = [fact(t(locale, 'meeting.organizer'), md(view.organizerName, MAX_NAME) || '—')];
  if (joinUrl) facts.push(fact(t(locale, 'townhall.attendeeLink'), t(locale, 'townhall.audience')));
  const coOrganizers = view.coOrganizers.slice(0, MAX_CO_ORGANIZERS).map((n) => md(n, MAX_NAME) || '—');
  if (coOrganizers.length > 0) facts.push(fact(t(locale, 'townhall.coOrganizers'), coOrganizers.join(', ')));
  body.push(factSet(facts));

  const actions: CardAction[] = [];
  if (!cancelled && view.audience === 'organizer') {
    actions.push(
      showCard(
        t(locale, 'townhall.cancel'),
        [textBlock(t(locale, 'meeting.cancelConfirm'), { wrap: true })],
        [execute('cancel', t(locale, 'meeting.cancelYes'), data, { style: 'destructive' })],
      ),
    );
  }
  // Clients that don't run the per-user refresh: the organizer opens their view by hand (as on the meeting card).
  if (!cancelled && view.audience === 'everyone') actions.push(execute('manage', t(locale, 'meeting.manage'), data));

  const card = adaptiveCard(body, {
    fallbackText: `${t(locale, 'townhall.title')}: ${plain(view.subject, MAX_SUBJECT)} — ${when}`,
    ...(cancelled
      ? {}
      : {
          refresh: {
            action: { type: 'Action.Execute', verb: 'refresh', data },
            userIds: view.refreshUserIds.slice(0, MAX_REFRESH_USERS),
          },
        }),
    ...(actions.length > 0 ? { actions } : {}),
  });
  // Bounded above (subject, names and co-organizers are capped), so this only guards a future change.
  if (cardBytes(card) >= MAX_CARD_BYTES) throw new Error('town hall card over 28 KB');
  return card;
}
