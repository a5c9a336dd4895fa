import type { Middleware, TurnContext } from 'botbuilder';

/**
 * Local development only (config `DEV_LOCALE`, refused when BOT_ID is set): the Agents Playground always sends
 * en-US, so this makes every turn read as if the Teams client's locale were `locale` (`activity.locale` and the
 * `clientInfo` entity, where readTurn looks), so the Chinese and Japanese cards can be seen locally.
 */
export class DevLocaleMiddleware implements Middleware {
  constructor(private readonly locale: string) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    activity.locale = this.locale;
    for (const entity of activity.entities ?? []) {
      if (entity.type === 'clientInfo') entity['locale'] = this.locale;
    }
    await next();
  }
}
