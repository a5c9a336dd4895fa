import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { meetingKeyFor } from '../meetings/idempotency';
import type { MeetingRecords } from '../meetings/meeting-records';
import type { MeetingRecord } from '../meetings/types';
import { renderRecordCard } from './meeting-view';
import { postedCardReference, replyReference } from './turn-reader';

export interface MeetingCardPosterDeps {
  readonly records: Pick<MeetingRecords, 'setCardActivity'>;
  readonly botEndpoint: string;
  /** Signed "Add to calendar" links. */
  readonly calendar?: { linkFor(meetingKey: string): string };
}

/**
 * Where the card goes: `reply` answers the turn (in a channel, in the triggering post's thread); `new-post` is a
 * message of its own (the compose extension's Send: the invoke is no message, and in a channel it starts a thread).
 */
export type CardPlacement = 'reply' | 'new-post';

/** Posts a meeting card and records once where it is, so card buttons can update it for everyone later. */
export class MeetingCardPoster {
  constructor(private readonly deps: MeetingCardPosterDeps) {}

  async post(
    context: TurnContext,
    record: MeetingRecord,
    organizerTeamsId: string,
    placement: CardPlacement = 'reply',
  ): Promise<void> {
    const meetingKey = meetingKeyFor(record.meeting.id);
    // Everyone gets the shared view; the organizer is in refresh.userIds, so Teams swaps in their manage view.
    const card = renderRecordCard(organizerTeamsId ? { ...record, organizerTeamsId } : record, {
      locale: record.request.locale,
      timeZone: record.request.timeZone,
      audience: 'everyone',
      botEndpoint: this.deps.botEndpoint,
      ...(this.deps.calendar ? { icsUrl: this.deps.calendar.linkFor(meetingKey) } : {}),
    });
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    if (placement === 'new-post') {
      context.onSendActivities(async (_ctx, activities, next) => {
        // botbuilder addresses every send of an invoke turn as a reply to the invoke's id, which is no message.
        for (const a of activities) delete a.replyToId;
        return next();
      });
    }
    const sent = await context.sendActivity(activity);
    if (!sent?.id) return;
    const reference = placement === 'new-post' ? postedCardReference(context, sent.id) : replyReference(context);
    await this.deps.records.setCardActivity(meetingKey, reference, sent.id, organizerTeamsId || undefined);
  }
}
