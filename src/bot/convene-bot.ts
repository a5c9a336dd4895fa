import { TeamsActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import { invokeErrorResponse } from './responses';
import type { RouteTable } from './routes';

/** Dispatches Teams activities on the route table (routes.ts); no business logic here. */
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
