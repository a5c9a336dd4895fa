import { TeamsActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import { isAppError } from '../meetings/errors';
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
    try {
      return await route(context);
    } catch (e) {
      // Without this, botbuilder's onTurnError swallows the error and the invoke answers 501 ("not implemented").
      // An outage (storage, sign-in) is a 503 the client may retry; the body is Teams' error shape, no detail.
      if (!isAppError(e) || e.status < 500) throw e;
      const status = e.status === 503 ? 503 : 500;
      return { status, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code: e.code, message: e.userMessage } } };
    }
  }
}
