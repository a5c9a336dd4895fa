import { randomUUID } from 'node:crypto';
import { ConfidentialClientApplication, LogLevel, type ICachePlugin } from '@azure/msal-node';
import {
  CardFactory,
  CloudAdapter,
  MessageFactory,
  ShowTypingMiddleware,
} from 'botbuilder';
import { MsalTokenProvider } from './auth/msal-token-provider';
import { SignInLinks } from './auth/sign-in-link';
import { SignedTokens } from './auth/signed-token';
import { SsoTokenValidator } from './auth/sso-token-validator';
import { BackgroundTasks } from './bot/background-tasks';
import { StrictBotFrameworkAuthentication } from './bot/bot-authentication';
import { ConnectorRetryMiddleware } from './bot/connector-retry';
import { ComposeMeetings } from './bot/compose/compose-meetings';
import { ConveneBot } from './bot/convene-bot';
import { GraphCallers } from './bot/graph-callers';
import { ComposeExtensionHandler } from './bot/handlers/compose-extension-handler';
import { CardActionHandler } from './bot/handlers/card-action-handler';
import { MessageHandler } from './bot/handlers/message-handler';
import { SignInHandler } from './bot/handlers/signin-handler';
import { WelcomeHandler } from './bot/handlers/welcome-handler';
import { MeetingCommands } from './bot/meeting-commands';
import { AdapterProactiveMessenger } from './bot/proactive';
import { SignInPrompter } from './bot/sign-in-prompter';
import { renderErrorCard } from './cards';
import type { Config } from './config/config';
import { GraphMeetingsGateway } from './graph';
import { GraphTownhallsGateway } from './graph/graph-townhalls-gateway';
import type { Logger } from './logging/logger';
import { CreateMeeting } from './meetings/create-meeting';
import { CreateTownhall } from './meetings/create-townhall';
import { KeptRequests } from './meetings/kept-requests';
import { ManageMeeting } from './meetings/manage-meeting';
import { MeetingRecords } from './meetings/meeting-records';
import { PendingRequests } from './meetings/pending-requests';
import type { Clock, IdGenerator } from './meetings/ports';
import { createHttpServer, type HttpServer } from './server/http-server';
import { CalendarLinks } from './server/ics-route';
import { MemoryStore } from './storage/memory-store';
import type * as RedisStoreModule from './storage/redis-store';
import type { KeyValueStore } from './storage/storage';

export interface ComposeOptions {
  readonly logger: Logger;
  /** Tests pass a fixed clock; production uses the system clock. */
  readonly clock?: Clock;
  readonly teamsJsPath: string;
  /** Per-request Graph timeout (default 10 s); fault tests shorten it to exercise the unknown-outcome path. */
  readonly graphRequestTimeoutInMs?: number;
  /** How long a request body may take to arrive (default 10 s); tests of stalled clients shorten it. */
  readonly bodyTimeoutInMs?: number;
}

export interface ConveneApp {
  readonly http: HttpServer;
  readonly store: KeyValueStore;
  readonly background: BackgroundTasks;
  /** Stops accepting work, waits for in-flight turns and background work, closes storage. */
  close(): Promise<void>;
}

/** The one place that wires concrete classes together (house-style rule 3). */
export async function composeApp(config: Config, options: ComposeOptions): Promise<ConveneApp> {
  const { logger } = options;
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const ids: IdGenerator = { newId: () => randomUUID() };
  const store: KeyValueStore = config.redisUrl
    ? await loadRedisStore().connectRedisStore({ url: config.redisUrl, keyPrefix: 'convene:', logger })
    : new MemoryStore(clock);

  const aad = requireAad(config);
  const authority = `${config.aad.authorityHost}/${aad.tenantId}`;
  // Metadata given up front: building a client per request costs no discovery call (design.md §7).
  const authorityMetadata = JSON.stringify({
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    issuer: `${authority}/v2.0`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  });
  const msalLogger = logger.child({ component: 'msal' });
  const createClient = (cachePlugin?: ICachePlugin) =>
    new ConfidentialClientApplication({
      auth: {
        clientId: aad.clientId,
        clientSecret: aad.clientSecret,
        authority,
        knownAuthorities: [new URL(config.aad.authorityHost).host],
        authorityMetadata,
      },
      ...(cachePlugin ? { cache: { cachePlugin } } : {}),
      system: {
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => {
            if (level <= LogLevel.Warning) msalLogger.warn({ msalLevel: level }, message);
          },
        },
      },
    });
  const ssoValidator = new SsoTokenValidator({
    authorityHost: config.aad.authorityHost,
    tenantId: aad.tenantId,
    audiences: [aad.clientId, ...(config.aad.appIdUri ? [config.aad.appIdUri] : [])],
  });
  const tokenProvider = new MsalTokenProvider({ createClient, store, ssoValidator, logger });
  const signedTokens = new SignedTokens(config.signingSecret, clock);
  const links = new SignInLinks({
    botEndpoint: config.bot.endpoint,
    tokens: signedTokens,
    store,
    tokenProvider,
    clock,
  });

  const gateway = new GraphMeetingsGateway({
    baseUrl: config.graphBaseUrl,
    clock,
    logger: logger.child({ component: 'graph' }),
    ...(options.graphRequestTimeoutInMs ? { requestTimeoutInMs: options.graphRequestTimeoutInMs } : {}),
  });
  const records = new MeetingRecords(store, clock);
  const pending = new PendingRequests(store, clock, ids);
  const callers = new GraphCallers(tokenProvider, config.meetingsAuthMode);
  const townhallsGateway = new GraphTownhallsGateway(gateway, logger.child({ component: 'graph' }));
  const townhallCaller = (user: Parameters<GraphCallers['townhall']>[0]) => callers.townhall(user);
  const townhalls =
    config.liveMeetings === 'townhall'
      ? new CreateTownhall({ gateway: townhallsGateway, callerFor: townhallCaller, store, records, clock })
      : undefined;
  const createMeeting = new CreateMeeting({ gateway, store, records, clock, ...(townhalls ? { townhalls } : {}) });
  const kept = new KeptRequests(store);
  const manageMeeting = new ManageMeeting({
    gateway, records, createMeeting, kept, clock, townhalls: { gateway: townhallsGateway, callerFor: townhallCaller },
  });
  const calendar = new CalendarLinks({ botEndpoint: config.bot.endpoint, tokens: signedTokens, records, logger });

  const adapter = new CloudAdapter(
    // Forged or broken channel tokens answer 401, not botbuilder's 500 (see StrictBotFrameworkAuthentication).
    new StrictBotFrameworkAuthentication(config.botFrameworkAuth),
  );
  // Bot Connector 429/5xx on a reply, proactive message or update: bounded backoff honouring Retry-After.
  adapter.use(new ConnectorRetryMiddleware({ logger: logger.child({ component: 'connector' }) }));
  // Typing only when a turn is slow (~500 ms), so fast replies cost no extra call (design.md §3).
  adapter.use(new ShowTypingMiddleware(500, 2000));
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : undefined, activityType: context.activity.type }, 'unhandled turn error');
    if (context.activity.type !== 'message') return;
    try {
      const locale = typeof context.activity.locale === 'string' ? context.activity.locale : 'en';
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(renderErrorCard({ locale, code: 'internal' }))));
    } catch (sendError) {
      // Must not throw: ShowTypingMiddleware calls this from a timer (an unhandled rejection ends the process), and
      // a throw here turns the message turn's 200 into a 500.
      logger.warn({ err: sendError instanceof Error ? { name: sendError.name, message: sendError.message } : undefined }, 'could not send the error card');
    }
  };
  const botAppId = config.bot.id ?? '';
  const background = new BackgroundTasks(logger);
  const prompter = new SignInPrompter({ links, teamsSso: config.teamsSso, appIdUri: config.aad.appIdUri, adapter, botAppId, logger });
  const proactive = new AdapterProactiveMessenger(adapter, botAppId);
  const commands = new MeetingCommands({
    createMeeting,
    records,
    pending,
    callers,
    prompter,
    proactive,
    clock,
    logger,
    botEndpoint: config.bot.endpoint,
    kept,
    calendar,
  });
  const cardActions = new CardActionHandler({
    manage: manageMeeting,
    records,
    commands,
    callers,
    links,
    prompter,
    proactive,
    background,
    calendar,
    teamsSso: config.teamsSso,
    appIdUri: config.aad.appIdUri,
    botEndpoint: config.bot.endpoint,
    clock,
    ids,
    logger: logger.child({ component: 'card-actions' }),
  });
  const composeExtension = new ComposeExtensionHandler(
    new ComposeMeetings({
      createMeeting, records, commands, callers, links, background, clock, ids, logger, manage: manageMeeting,
      botEndpoint: config.bot.endpoint,
      authMode: config.meetingsAuthMode,
      teamsSso: config.teamsSso,
      submitResult: config.composeSubmitResult,
    }),
  );
  const bot = new ConveneBot({
    message: new MessageHandler({ commands, tokens: tokenProvider, clock }),
    signIn: new SignInHandler({ callers, commands, store, clock, logger, background }),
    welcome: new WelcomeHandler(store),
    cardSubmit: cardActions,
    invokes: {
      'adaptiveCard/action': (c) => cardActions.invoke(c),
      'composeExtension/fetchTask': (c) => composeExtension.fetchTask(c),
      'composeExtension/submitAction': (c) => composeExtension.submitAction(c),
      'composeExtension/query': (c) => composeExtension.query(c),
    },
  });

  const http = createHttpServer({
    adapter,
    bot,
    store,
    logger,
    teamsJsPath: options.teamsJsPath,
    extraRoutes: (server) => calendar.register(server),
    loopbackCallersOnly: config.bot.unauthenticated && !config.bot.allowUnauthenticatedRemote,
    ...(options.bodyTimeoutInMs ? { bodyTimeoutInMs: options.bodyTimeoutInMs } : {}),
    auth: {
      links,
      logger,
      completion: {
        onSignedIn: async (user) => background.run('complete-after-callback', () => commands.completeAfterSignIn(user)),
      },
    },
  });

  return {
    http,
    store,
    background,
    async close() {
      await new Promise<void>((resolve) => {
        http.server.close(() => {
          resolve();
        });
      });
      await background.idle();
      await store.close();
    },
  };
}

/**
 * The Redis store module, loaded only when REDIS_URL is set: ioredis costs ~60 ms of start-up CPU and memory that a
 * single in-memory instance never uses. A CommonJS require, not import(): the test runner's loader hooks only require.
 */
function loadRedisStore(): typeof RedisStoreModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./storage/redis-store') as typeof RedisStoreModule;
}

function requireAad(config: Config): { clientId: string; clientSecret: string; tenantId: string } {
  const { clientId, clientSecret, tenantId } = config.aad;
  // loadConfig already fails start-up naming the missing variable; this narrows the types.
  if (!clientId || !clientSecret || !tenantId) throw new Error('AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET and AAD_APP_TENANT_ID are required');
  return { clientId, clientSecret, tenantId };
}
