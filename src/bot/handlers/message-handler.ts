import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { renderClarifyCard, renderHelpCard, renderNoticeCard, renderUsageCard } from '../../cards';
import { t } from '../../i18n';
import type { TokenProvider } from '../../auth/token-provider';
import { parseCommand } from '../../meetings/command-parser';
import { messageKey } from '../../meetings/idempotency';
import type { Clock } from '../../meetings/ports';
import type { MeetingCommands } from '../meeting-commands';
import { readCommandText, readTurn } from '../turn-reader';

export interface MessageHandlerDeps {
  readonly commands: MeetingCommands;
  readonly tokens: Pick<TokenProvider, 'signOut'>;
  readonly clock: Clock;
}

/** `@Convene …` in a channel, or any text in a chat: parse, act, reply. */
export class MessageHandler {
  constructor(private readonly deps: MessageHandlerDeps) {}

  async handle(context: TurnContext): Promise<void> {
    // A card the user sent from the compose box (COMPOSE_SUBMIT_RESULT=insert) reaches the bot in a personal chat;
    // its text is only the card's placeholder markup. Nothing was asked: no "didn't understand" reply.
    if (isCardOnly(context)) return;
    const turn = readTurn(context);
    const text = readCommandText(context);
    if (!turn.user || !text.text) {
      await reply(context, renderUsageCard(turn.locale));
      return;
    }
    const command = parseCommand(text.text, { now: this.deps.clock.now(), timeZone: turn.timeZone, locale: turn.locale });
    switch (command.kind) {
      case 'help':
        return reply(context, renderHelpCard(turn.locale));
      case 'signout':
        await this.deps.tokens.signOut(turn.user);
        return reply(context, renderNoticeCard(turn.locale, 'notice.signedOut'));
      case 'create':
        return this.deps.commands.create(context, turn, command, text, messageKey(turn.user, context.activity.id ?? ''));
      case 'clarify': {
        const requestKey = messageKey(turn.user, context.activity.id ?? '');
        // Kept so the card's time buttons (`confirmCreate`) create it without retyping; the start is chosen there.
        const placeholder = new Date(this.deps.clock.now()).toISOString();
        await this.deps.commands.keepClarify(
          context,
          turn,
          { ...command, startDateTime: command.startDateTime ?? placeholder, endDateTime: command.endDateTime ?? placeholder },
          text,
          requestKey,
        );
        return reply(
          context,
          renderClarifyCard({
            locale: turn.locale,
            timeZone: turn.timeZone,
            // Interim until the clarify card shows unreadable words and the picker (next commits).
            reason: command.reason === 'past' ? 'past' : 'ambiguous',
            requestedText: command.unreadable?.join(', ') ?? text.text,
            ...(command.startDateTime ? { requestedStart: command.startDateTime } : {}),
            requestKey,
            suggestions: command.suggestions,
          }),
        );
      }
      case 'invalid':
        return reply(
          context,
          renderUsageCard(
            turn.locale,
            t(turn.locale, `usage.invalid.${command.reason}`, { limit: command.limit ?? 0, length: command.length ?? 0 }),
          ),
        );
      case 'greeting':
      case 'unknown':
        return reply(context, renderUsageCard(turn.locale));
    }
  }
}

/** An Adaptive Card attachment and no text besides markup (`<attachment …>`, Teams' inline-card `<span>`s). */
function isCardOnly(context: TurnContext): boolean {
  const { text, attachments } = context.activity;
  if (!attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')) return false;
  return (text ?? '').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim() === '';
}

async function reply(context: TurnContext, card: object): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
