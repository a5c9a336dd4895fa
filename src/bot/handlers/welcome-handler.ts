import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { renderWelcomeCard } from '../../cards';
import type { KeyValueStore } from '../../storage/storage';
import { readTurn } from '../turn-reader';

const WELCOME_MEMORY_IN_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Greets a team, chat or person once when Convene is installed. Teams sends both conversationUpdate and
 * installationUpdate (and the Playground re-sends them on every page load), so the greeting is claimed per
 * conversation with compare-and-set.
 */
export class WelcomeHandler {
  constructor(private readonly store: KeyValueStore) {}

  async handle(context: TurnContext): Promise<void> {
    const turn = readTurn(context);
    const conversation = turn.conversationId.split(';')[0];
    if (!(await this.store.compareAndSet(`welcomed:${conversation}`, true, null, WELCOME_MEMORY_IN_MS))) return;
    const scope = turn.scope === 'channel' ? 'team' : turn.scope;
    await context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(renderWelcomeCard(turn.locale, scope))),
    );
  }
}
