import { TeamsActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { MessageHandler } from './handlers/message-handler';
import type { SignInHandler } from './handlers/signin-handler';
import type { WelcomeHandler } from './handlers/welcome-handler';

export type InvokeRoute = (context: TurnContext) => Promise<InvokeResponse>;

export interface ConveneBotHandlers {
  readonly message: MessageHandler;
  readonly signIn: SignInHandler;
  readonly welcome: WelcomeHandler;
  /** Further invoke routes by name (compose extension, card actions). */
  readonly invokes?: Readonly<Record<string, InvokeRoute>>;
  /** Action.Submit fallbacks of card buttons (older clients): a message whose `value` names a card verb. */
  readonly cardSubmit?: { accepts(context: TurnContext): boolean; submit(context: TurnContext): Promise<void> };
}

/** Routes Teams activities to one handler per entry point; no business logic here. */
export class ConveneBot extends TeamsActivityHandler {
  private readonly routes: Readonly<Record<string, InvokeRoute>>;

  constructor(private readonly entryPoints: ConveneBotHandlers) {
    super();
    this.routes = {
      'signin/tokenExchange': (c) => entryPoints.signIn.tokenExchange(c),
      'signin/verifyState': (c) => entryPoints.signIn.verifyState(c),
      'signin/failure': (c) => entryPoints.signIn.failure(c),
      ...entryPoints.invokes,
    };
    this.onMessage(async (context, next) => {
      if (this.entryPoints.cardSubmit?.accepts(context)) await this.entryPoints.cardSubmit.submit(context);
      else await this.entryPoints.message.handle(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await this.entryPoints.welcome.handle(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.entryPoints.welcome.handle(context);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const route = this.routes[context.activity.name ?? ''];
    if (!route) return { status: 501 };
    return route(context);
  }
}
