import { TeamsActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { CardActionHandler, CardVerbRoutes } from './handlers/card-action-handler';
import type { CardVerbs } from './handlers/card-verbs';
import type { ComposeExtensionHandler } from './handlers/compose-extension-handler';
import type { MessageHandler } from './handlers/message-handler';
import type { SignInHandler } from './handlers/signin-handler';
import type { WelcomeHandler } from './handlers/welcome-handler';
import { invokeErrorResponse } from './responses';

export type InvokeRoute = (context: TurnContext) => Promise<InvokeResponse>;
export type ActivityRoute = (context: TurnContext) => Promise<void>;

/** Everything Teams can send Convene, and which handler answers it. */
export interface RouteTable {
  /** A chat message (an @mention in a channel): a card's Action.Submit fallback, or a command. */
  readonly message: ActivityRoute;
  /** Convene added to a team, chat or personal scope (conversationUpdate with the bot among membersAdded). */
  readonly botAdded: ActivityRoute;
  /** installationUpdate `add`. */
  readonly installed: ActivityRoute;
  /** Invokes by `activity.name`; any other name answers 501. */
  readonly invokes: Readonly<Record<string, InvokeRoute>>;
}

export interface EntryPoints {
  readonly message: MessageHandler;
  readonly signIn: SignInHandler;
  readonly welcome: WelcomeHandler;
  readonly compose: ComposeExtensionHandler;
  readonly cardActions: Pick<CardActionHandler, 'invoke' | 'accepts' | 'submit'>;
}

/** The bot's routes in one readable place (design.md §1 entry points); ConveneBot only dispatches on them. */
export function routeTable(e: EntryPoints): RouteTable {
  return {
    message: (c) => (e.cardActions.accepts(c) ? e.cardActions.submit(c) : e.message.handle(c)),
    botAdded: (c) => e.welcome.handle(c),
    installed: (c) => e.welcome.handle(c),
    invokes: {
      'signin/tokenExchange': (c) => e.signIn.tokenExchange(c),
      'signin/verifyState': (c) => e.signIn.verifyState(c),
      'signin/failure': (c) => e.signIn.failure(c),
      'adaptiveCard/action': (c) => e.cardActions.invoke(c),
      'composeExtension/fetchTask': (c) => e.compose.fetchTask(c),
      'composeExtension/submitAction': (c) => e.compose.submitAction(c),
      'composeExtension/query': (c) => e.compose.query(c),
    },
  };
}

/** Meeting-card verbs (runtime contract: reschedule, rename, cancel, refresh; and Convene's own). */
export function cardVerbRoutes(v: CardVerbs): CardVerbRoutes {
  return {
    reschedule: (p) => v.reschedule(p),
    rename: (p) => v.rename(p),
    cancel: (p) => v.cancel(p),
    refresh: (p) => v.refresh(p),
    manage: (p) => v.manage(p),
    newLike: (p) => v.newLike(p),
    retry: (p) => v.retry(p),
    createAnyway: (p) => v.createAnyway(p),
    confirmCreate: (p) => v.confirmCreate(p),
    dismiss: (p) => v.dismiss(p),
  };
}

/** Dispatches Teams activities on the route table above; no business logic here. */
export class ConveneBot extends TeamsActivityHandler {
  constructor(private readonly routes: RouteTable) {
    super();
    this.onMessage(async (context, next) => {
      await this.routes.message(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await this.routes.botAdded(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.routes.installed(context);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const route = this.routes.invokes[context.activity.name ?? ''];
    if (!route) return { status: 501 };
    try {
      return await route(context);
    } catch (e) {
      // Without this, botbuilder's onTurnError swallows the error and the invoke answers 501 ("not implemented").
      const answer = invokeErrorResponse(e);
      if (!answer) throw e;
      return answer;
    }
  }
}
