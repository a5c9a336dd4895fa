import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { renderGreetingCard, renderHelpCard, renderNoticeCard, renderUsageCard } from '../../cards';
import { replyLocale, t } from '../../i18n';
import type { TokenProvider } from '../../auth/token-provider';
import { parseCommand, type ParsedCommand } from '../../meetings/command-parser';
import { commandLanguage } from '../../meetings/command-words';
import type { UserRef } from '../../meetings/types';
import { messageKey } from '../../meetings/idempotency';
import type { Clock } from '../../meetings/ports';
import type { MeetingCommands } from '../meeting-commands';
import { readCommandText, readTurn, type CommandText, type TurnInfo } from '../turn-reader';

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
    const client = readTurn(context);
    const text = readCommandText(context);
    if (!client.user || !text.text) {
      await reply(context, renderUsageCard(client.locale, undefined, client.scope));
      return;
    }
    // Answer in the command's own language when it differs from the client's (issue #17: `会议 …` from en-US).
    const locale = replyLocale(client.locale, commandLanguage(text.text));
    const turn = locale === client.locale ? client : { ...client, locale };
    const command = parseCommand(text.text, { now: this.deps.clock.now(), timeZone: turn.timeZone, locale });
    return this.answer(context, { ...turn, user: client.user }, command, text);
  }

  private async answer(
    context: TurnContext,
    turn: TurnInfo & { user: UserRef },
    command: ParsedCommand,
    text: CommandText,
  ): Promise<void> {
    const { locale, scope } = turn;
    const key = messageKey(turn.user, context.activity.id ?? '');
    switch (command.kind) {
      case 'help':
        return reply(context, renderHelpCard(locale, scope));
      case 'signout':
        await this.deps.tokens.signOut(turn.user);
        return reply(context, renderNoticeCard(locale, 'notice.signedOut'));
      case 'greeting':
        return reply(context, renderGreetingCard(locale, command.topic));
      case 'create':
        return this.deps.commands.create(context, turn, command, text, key);
      case 'clarify':
        return this.deps.commands.ask(context, turn, command, text, key);
      case 'invalid':
        return reply(
          context,
          renderUsageCard(
            locale,
            t(locale, `usage.invalid.${command.reason}`, { limit: command.limit ?? 0, length: command.length ?? 0 }),
            scope,
            'refused',
          ),
        );
      case 'unknown':
        return reply(
          context,
          renderUsageCard(
            locale,
            command.word === undefined ? undefined : t(locale, 'usage.notACommand', { word: command.word }),
            scope,
          ),
        );
    }
  }
}

/** An Adaptive Card attachment and no text besides markup (`<attachment …>`, Teams' inline-card `<span>`s). */
function isCardOnly(context: TurnContext): boolean {
  const { text, attachments } = context.activity;
  if (!attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')) return false;
  return (
    (text ?? '')
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;/g, ' ')
      .trim() === ''
  );
}

async function reply(context: TurnContext, card: object): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
