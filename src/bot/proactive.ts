import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';

/** Sends into a conversation outside the turn that started it (sign-in completion, card updates for everyone). */
export interface ProactiveMessenger {
  continue(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export class AdapterProactiveMessenger implements ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    /** Empty when the bot runs unauthenticated (local). */
    private readonly botAppId: string,
  ) {}

  async continue(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, reference, logic);
  }
}
