import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { msalClientFactory } from './auth/msal-client-factory';
import { MsalTokenProvider } from './auth/msal-token-provider';
import { SignInLinks } from './auth/sign-in-link';
import { SignedTokens } from './auth/signed-token';
import { SsoTokenValidator } from './auth/sso-token-validator';
import { BackgroundTasks } from './bot/background-tasks';
import { createBotAdapter } from './bot/bot-adapter';
import { ComposeMeetings } from './bot/compose/compose-meetings';
import { cardVerbRoutes, ConveneBot, routeTable } from './bot/convene-bot';
import { GraphCallers } from './bot/graph-callers';
import { ComposeExtensionHandler } from './bot/handlers/compose-extension-handler';
import { CardActionHandler } from './bot/handlers/card-action-handler';
import { CardVerbs } from './bot/handlers/card-verbs';
import { MessageHandler } from './bot/handlers/message-handler';
import { SignInHandler } from './bot/handlers/signin-handler';
import { WelcomeHandler } from './bot/handlers/welcome-handler';
import { MeetingCardPoster } from './bot/meeting-card-poster';
import { MeetingCommands } from './bot/meeting-commands';
import { AdapterProactiveMessenger } from './bot/proactive';
import { PendingCompletion } from './bot/sign-in-completion';
import { SignInPrompter } from './bot/sign-in-prompter';
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
import { Claims } from './storage/claims';
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
  // Every claim names this process; work it held is free again one lease after it dies (CLAIM_LEASE_MS).
  const claims = new Claims({
    store,
    clock,
    instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseInMs: config.claimLeaseInMs,
    logger,
  });
  const auth = composeAuth(config, { logger, clock, store, claims });
  const meetings = composeMeetings(config, options, {
    clock,
    store,
    claims,
    tokens: auth.signedTokens,
    callers: auth.callers,
  });
  const adapter = createBotAdapter(config, logger);
  const background = new BackgroundTasks(logger);
  const bot = composeBot(config, { logger, clock, ids, store, claims, adapter, background, auth, meetings });
  const http = createHttpServer({
    adapter,
    bot: bot.router,
    store,
    logger,
    teamsJsPath: options.teamsJsPath,
    extraRoutes: (server) => meetings.calendar.register(server),
    loopbackCallersOnly: config.bot.unauthenticated && !config.bot.allowUnauthenticatedRemote,
    ...(options.bodyTimeoutInMs ? { bodyTimeoutInMs: options.bodyTimeoutInMs } : {}),
    auth: { links: auth.links, logger, completion: bot.completion },
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

interface Shared {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly store: KeyValueStore;
  readonly claims: Claims;
}

type AuthParts = ReturnType<typeof composeAuth>;
type MeetingParts = ReturnType<typeof composeMeetings>;

function composeAuth(config: Config, { logger, clock, store }: Shared) {
  const aad = requireAad(config);
  const createClient = msalClientFactory({ authorityHost: config.aad.authorityHost, ...aad, logger });
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
  return { tokenProvider, signedTokens, links, callers: new GraphCallers(tokenProvider, config.meetingsAuthMode) };
}

function composeMeetings(
  config: Config,
  options: ComposeOptions,
  { clock, store, claims, tokens, callers }: Omit<Shared, 'logger'> & { tokens: SignedTokens; callers: GraphCallers },
) {
  const gateway = new GraphMeetingsGateway({
    baseUrl: config.graphBaseUrl,
    clock,
    logger: options.logger.child({ component: 'graph' }),
    ...(options.graphRequestTimeoutInMs ? { requestTimeoutInMs: options.graphRequestTimeoutInMs } : {}),
  });
  const records = new MeetingRecords(store, clock, claims);
  // `live` → town hall (LIVE_MEETINGS=townhall): delegated VirtualEvent.ReadWrite, asked for per call.
  const townhallsGateway = new GraphTownhallsGateway(gateway, options.logger.child({ component: 'graph' }));
  const callerFor = (user: Parameters<GraphCallers['townhall']>[0]) => callers.townhall(user);
  const townhalls =
    config.liveMeetings === 'townhall'
      ? new CreateTownhall({ gateway: townhallsGateway, callerFor, claims, records, clock })
      : undefined;
  const createMeeting = new CreateMeeting({ gateway, claims, records, clock, ...(townhalls ? { townhalls } : {}) });
  const kept = new KeptRequests(store);
  const manage = new ManageMeeting({
    gateway,
    records,
    createMeeting,
    kept,
    clock,
    townhalls: { gateway: townhallsGateway, callerFor },
  });
  const calendar = new CalendarLinks({ botEndpoint: config.bot.endpoint, tokens, records, logger: options.logger });
  return { records, createMeeting, kept, manage, calendar };
}

interface BotParts extends Shared {
  readonly ids: IdGenerator;
  readonly adapter: ReturnType<typeof createBotAdapter>;
  readonly background: BackgroundTasks;
  readonly auth: AuthParts;
  readonly meetings: MeetingParts;
}

function composeBot(config: Config, parts: BotParts) {
  const { logger, clock, ids, store, claims, adapter, background, auth, meetings } = parts;
  const { callers, links } = auth;
  const { records, createMeeting, kept, calendar } = meetings;
  const botAppId = config.bot.id ?? '';
  const pending = new PendingRequests(store, clock, ids, claims);
  const prompter = new SignInPrompter({
    links,
    teamsSso: config.teamsSso,
    appIdUri: config.aad.appIdUri,
    adapter,
    botAppId,
    logger,
  });
  const proactive = new AdapterProactiveMessenger(adapter, botAppId);
  const poster = new MeetingCardPoster({ records, botEndpoint: config.bot.endpoint, calendar });
  const commands = new MeetingCommands({
    createMeeting,
    claims,
    pending,
    callers,
    prompter,
    poster,
    clock,
    logger,
    kept,
  });
  const completion = new PendingCompletion({
    createMeeting,
    pending,
    callers,
    poster,
    proactive,
    prompter,
    keeper: commands,
    background,
    clock,
    logger,
  });
  const cardActions = composeCardActions(config, parts, { poster, proactive, prompter });
  const compose = composeComposeExtension(config, parts, poster);
  const router = new ConveneBot(
    routeTable({
      message: new MessageHandler({ commands, tokens: auth.tokenProvider, clock }),
      signIn: new SignInHandler({ callers, completion, claims, logger, background }),
      welcome: new WelcomeHandler(store),
      compose,
      cardActions,
    }),
  );
  return { router, completion };
}

interface ReplyParts {
  readonly poster: MeetingCardPoster;
  readonly proactive: AdapterProactiveMessenger;
  readonly prompter: SignInPrompter;
}

function composeCardActions(config: Config, parts: BotParts, reply: ReplyParts): CardActionHandler {
  const { logger, clock, ids, background, auth, meetings } = parts;
  const { callers, links } = auth;
  const { records, manage, calendar } = meetings;
  const { poster, proactive, prompter } = reply;
  const verbs = new CardVerbs({
    manage,
    records,
    poster,
    proactive,
    background,
    calendar,
    botEndpoint: config.bot.endpoint,
    logger: logger.child({ component: 'card-actions' }),
  });
  return new CardActionHandler({
    verbs: cardVerbRoutes(verbs),
    callers,
    links,
    prompter,
    clock,
    ids,
    teamsSso: config.teamsSso,
    appIdUri: config.aad.appIdUri,
    logger: logger.child({ component: 'card-actions' }),
  });
}

function composeComposeExtension(config: Config, parts: BotParts, poster: MeetingCardPoster): ComposeExtensionHandler {
  const { logger, clock, ids, background, auth, meetings } = parts;
  const { callers, links } = auth;
  const { records, createMeeting, manage, calendar } = meetings;
  return new ComposeExtensionHandler(
    new ComposeMeetings({
      createMeeting,
      records,
      poster,
      callers,
      links,
      background,
      clock,
      ids,
      logger,
      manage,
      calendar,
      botEndpoint: config.bot.endpoint,
      authMode: config.meetingsAuthMode,
      teamsSso: config.teamsSso,
      submitResult: config.composeSubmitResult,
    }),
  );
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
  if (!clientId || !clientSecret || !tenantId)
    throw new Error('AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET and AAD_APP_TENANT_ID are required');
  return { clientId, clientSecret, tenantId };
}
