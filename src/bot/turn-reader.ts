import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { parseLocaleTag } from '../i18n/locale';
import { parseTimeZone } from '../meetings/time-zone';
import type { UserRef } from '../meetings/types';

export type Scope = 'personal' | 'groupChat' | 'channel';

/** What Convene needs from an incoming activity, read in one place (botbuilder shapes stay in bot/). */
export interface TurnInfo {
  readonly user: UserRef | undefined;
  readonly userName: string;
  readonly teamsUserId: string;
  readonly scope: Scope;
  readonly locale: string;
  readonly timeZone: string;
  /** Channel id without `;messageid=…` when the activity came from a channel. */
  readonly channelId: string | undefined;
  readonly conversationId: string;
}

export function readTurn(context: TurnContext): TurnInfo {
  const activity = context.activity;
  // Client-supplied fields: only strings are taken (a number here once broke every reply of the turn).
  const clientInfo = (activity.entities ?? []).find((e) => e.type === 'clientInfo') as
    { locale?: unknown; timezone?: unknown } | undefined;
  const conversationType = activity.conversation?.conversationType;
  const scope: Scope =
    conversationType === 'channel'
      ? 'channel'
      : conversationType === 'groupChat' || activity.conversation?.isGroup
        ? 'groupChat'
        : 'personal';
  const tenantId =
    text(activity.conversation?.tenantId) ??
    text((activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id);
  const aadObjectId = text(activity.from?.aadObjectId);
  return {
    user: tenantId && aadObjectId ? { tenantId, aadObjectId } : undefined,
    userName: activity.from?.name ?? '',
    teamsUserId: activity.from?.id ?? '',
    scope,
    // Validated here, at the edge: both end up in caches, stored requests and Graph's Accept-Language.
    locale: parseLocaleTag(clientInfo?.locale) ?? parseLocaleTag(activity.locale) ?? 'en-US',
    timeZone: parseTimeZone(clientInfo?.timezone) ?? parseTimeZone(activity.localTimezone) ?? 'UTC',
    channelId: scope === 'channel' ? channelIdOf(activity) : undefined,
    conversationId: activity.conversation?.id ?? '',
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The channel's thread id: channelData.channel.id, else conversation.id without `;messageid=`. */
export function channelIdOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = text((activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id);
  const raw = fromChannelData ?? activity.conversation?.id;
  return raw?.split(';')[0];
}

export interface CommandText {
  /** Text without the bot's own mention, other mentions kept as `<at>Name</at>`. */
  readonly text: string;
  /** Mentions of people other than the bot, in order. */
  readonly mentions: readonly { readonly id: string; readonly name: string; readonly text: string }[];
}

/** A `mention` entity (client-supplied: only strings are taken, as in readTurn). */
const mentionSchema = z.object({
  text: z.string().optional().catch(undefined),
  mentioned: z
    .object({ id: z.string().optional().catch(undefined), name: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

export function readCommandText(context: TurnContext): CommandText {
  const activity = context.activity;
  const botId = activity.recipient?.id;
  let text = activity.text ?? '';
  const mentions: { id: string; name: string; text: string }[] = [];
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const parsed = mentionSchema.safeParse(entity);
    if (!parsed.success) continue;
    const mention = parsed.data;
    const mentionText = mention.text ?? '';
    if (mention.mentioned?.id === botId) {
      if (mentionText) text = text.split(mentionText).join(' ');
    } else if (mention.mentioned?.id) {
      mentions.push({ id: mention.mentioned.id, name: mention.mentioned.name ?? '', text: mentionText });
    }
  }
  return {
    text: text
      .replace(/&nbsp;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    mentions,
  };
}

/**
 * Reference for proactive replies; in a channel it targets the thread of the triggering post. For an invoke (a card
 * button) the thread is the card's message (`replyToId`): the invoke's own id is no message.
 */
export function replyReference(context: TurnContext): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(context.activity);
  const activity = context.activity;
  const root = activity.type === 'invoke' ? activity.replyToId : activity.id;
  if (
    activity.conversation?.conversationType === 'channel' &&
    !activity.conversation.id.includes(';messageid=') &&
    root
  ) {
    return {
      ...reference,
      conversation: { ...reference.conversation!, id: `${activity.conversation.id};messageid=${root}` },
    };
  }
  return reference;
}

/**
 * Where a card Convene posted as a new message lives (compose extension Send): in a channel, the thread the new post
 * starts (`;messageid=<postedId>`); elsewhere the conversation itself. Not the invoke's id, which is no message.
 */
export function postedCardReference(context: TurnContext, postedId: string): Partial<ConversationReference> {
  const { activityId: _invoke, ...reference } = TurnContext.getConversationReference(context.activity);
  void _invoke;
  const conversation = context.activity.conversation;
  if (conversation?.conversationType === 'channel' && !conversation.id.includes(';messageid=')) {
    return {
      ...reference,
      conversation: { ...reference.conversation!, id: `${conversation.id};messageid=${postedId}` },
    };
  }
  return reference;
}
