/**
 * The shared shell of the two baseline ("floor") bots: the same botbuilder CloudAdapter + restify stack Convene
 * runs on, with nothing else. No logging, no per-request construction, /healthz once ready. Not part of Convene.
 */
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import restify, { type Request, type Response } from 'restify';

export type MessageReply = (context: TurnContext) => Promise<string>;

/** A small Adaptive Card 1.5 holding one line of text and one join link. */
export function smallCard(joinUrl: string): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Meeting ready', weight: 'Bolder', wrap: true }],
    actions: [{ type: 'Action.OpenUrl', title: 'Join', url: joinUrl }],
  };
}

/** Starts restify on `port` and answers every message with the card for the join URL `joinUrlFor` returns. */
export async function startFloorBot(port: number, joinUrlFor: MessageReply): Promise<void> {
  // BOT_ID empty, as Convene runs in the bench: no inbound JWT check, no outbound token.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' }));
  // Errors only (the floors log nothing else): the bench shows them next to its error count.
  adapter.onTurnError = async (_context, error) => {
    process.stderr.write(`turn error: ${error instanceof Error ? error.message : String(error)}\n`);
  };
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const joinUrl = await joinUrlFor(context);
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(smallCard(joinUrl))));
    await next();
  });
  const server = restify.createServer({ name: 'floor', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, mapFiles: false }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  await new Promise<void>((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}
