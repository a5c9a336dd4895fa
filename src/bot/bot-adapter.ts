import { CloudAdapter, ShowTypingMiddleware } from 'botbuilder';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { appError } from '../meetings/errors';
import { StrictBotFrameworkAuthentication } from './bot-authentication';
import { ConnectorRetryMiddleware } from './connector-retry';
import { DevLocaleMiddleware } from './dev-locale';
import { errorCardActivity } from './responses';

/**
 * The Bot Framework adapter with Convene's middleware and last-resort error answer. Built here so botbuilder stays in
 * `src/bot/` and `src/server/` (the composition root only calls this).
 */
export function createBotAdapter(config: Pick<Config, 'botFrameworkAuth' | 'devLocale'>, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(
    // Forged or broken channel tokens answer 401, not botbuilder's 500 (see StrictBotFrameworkAuthentication).
    new StrictBotFrameworkAuthentication(config.botFrameworkAuth),
  );
  // Bot Connector 429/5xx on a reply, proactive message or update: bounded backoff honouring Retry-After.
  adapter.use(new ConnectorRetryMiddleware({ logger: logger.child({ component: 'connector' }) }));
  // Typing only when a turn is slow (~500 ms), so fast replies cost no extra call (design.md §3).
  adapter.use(new ShowTypingMiddleware(500, 2000));
  if (config.devLocale) adapter.use(new DevLocaleMiddleware(config.devLocale));
  adapter.onTurnError = async (context, error) => {
    logger.error(
      {
        err: error instanceof Error ? { name: error.name, message: error.message } : undefined,
        activityType: context.activity.type,
      },
      'unhandled turn error',
    );
    if (context.activity.type !== 'message') return;
    try {
      const locale = typeof context.activity.locale === 'string' ? context.activity.locale : 'en';
      await context.sendActivity(errorCardActivity(appError('internal'), { locale }));
    } catch (sendError) {
      // Must not throw: ShowTypingMiddleware calls this from a timer (an unhandled rejection ends the process), and
      // a throw here turns the message turn's 200 into a 500.
      logger.warn(
        { err: sendError instanceof Error ? { name: sendError.name, message: sendError.message } : undefined },
        'could not send the error card',
      );
    }
  };
  return adapter;
}
