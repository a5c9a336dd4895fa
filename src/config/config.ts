import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** botbuilder's own authentication keys, passed through unchanged when present (design.md §6). */
const BOTBUILDER_PASSTHROUGH_KEYS = [
  'MicrosoftAppType',
  'ChannelService',
  'ValidateAuthority',
  'ToBotFromChannelOpenIdMetadataUrl',
  'BotOpenIdMetadata',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'OAuthApiEndpoint',
  'CallerId',
] as const;

const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const httpUrl = (schemes: readonly string[]) =>
  z
    .url()
    .refine((u) => schemes.includes(new URL(u).protocol), { message: `must be a ${schemes.join(' or ')} URL` })
    .transform((u) => u.replace(/\/+$/, ''));

/**
 * How the bot's identity is registered with Azure Bot Service. Azure stopped creating MultiTenant bots after
 * 2025-07-31 ("use single-tenant or user-assigned managed identity going forward":
 * https://learn.microsoft.com/en-us/bot-framework/portal-register-bot); MultiTenant is kept for bots
 * registered before that. botbuilder compares the type case-insensitively, and the Toolkit's templates write
 * `UserAssignedMsi`, so any casing is read as the canonical name.
 */
const BOT_TYPES = ['SingleTenant', 'UserAssignedMSI', 'MultiTenant'] as const;
export type BotType = (typeof BOT_TYPES)[number];

function canonicalBotType(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return BOT_TYPES.find((t) => t.toLowerCase() === v.trim().toLowerCase()) ?? v;
}

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  BOT_ID: optionalString,
  BOT_PASSWORD: optionalString,
  BOT_TENANT_ID: optionalString,
  BOT_TYPE: z.preprocess(
    (v) => canonicalBotType(emptyToUndefined(v)),
    z.enum(BOT_TYPES, { message: `must be one of ${BOT_TYPES.join(', ')}` }).optional(),
  ),
  BOT_ENDPOINT: z.preprocess(emptyToUndefined, httpUrl(['http:', 'https:']).optional()),
  AAD_APP_CLIENT_ID: optionalString,
  AAD_APP_CLIENT_SECRET: optionalString,
  AAD_APP_TENANT_ID: optionalString,
  AAD_APP_ID_URI: optionalString,
  AAD_APP_OAUTH_AUTHORITY_HOST: z.preprocess(
    emptyToUndefined,
    httpUrl(['https:']).default('https://login.microsoftonline.com'),
  ),
  // v1.0 by default: beta "is not supported for production use" (learn.microsoft.com/graph/versioning-and-support).
  GRAPH_BASE_URL: z.preprocess(
    emptyToUndefined,
    httpUrl(['http:', 'https:'])
      .refine((u) => /\/(v1\.0|beta)$/.test(u), { message: 'must end in the Graph version, /v1.0 or /beta' })
      .default('https://graph.microsoft.com/v1.0'),
  ),
  MEETINGS_AUTH_MODE: z.preprocess(emptyToUndefined, z.enum(['delegated', 'application']).default('delegated')),
  // Teams live events are retired: `live` makes a town hall; `broadcast` keeps the seed's isBroadcast request.
  LIVE_MEETINGS: z.preprocess(emptyToUndefined, z.enum(['townhall', 'broadcast']).default('townhall')),
  REDIS_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  TEAMS_SSO: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true')),
  COMPOSE_SUBMIT_RESULT: z.preprocess(emptyToUndefined, z.enum(['preview', 'insert']).default('preview')),
  // Local development only (issue #17): the Agents Playground always sends en-US, so `npm run dev -- --locale zh-CN`
  // sets this to answer as if the Teams client were Chinese or Japanese.
  DEV_LOCALE: z.preprocess(emptyToUndefined, z.enum(['en-US', 'zh-CN', 'ja-JP']).optional()),
  SIGNING_SECRET: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
  NODE_ENV: optionalString,
  // harden-state: claim leases (storage/claims.ts); shorter only for crash tests.
  CLAIM_LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).max(300_000).default(30_000)),
  // Running without inbound authentication (issue #14 finding 4): see checkUnauthenticatedStart.
  ALLOW_UNAUTHENTICATED_BOT: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
});

export interface Config {
  readonly port: number;
  readonly bot: {
    readonly id: string | undefined;
    readonly password: string | undefined;
    readonly tenantId: string | undefined;
    /** Undefined when BOT_TYPE is unset, which only an empty BOT_ID (unauthenticated, local only) allows. */
    readonly type: BotType | undefined;
    /** Public base URL of this bot, without a trailing slash. */
    readonly endpoint: string;
    /** True when BOT_ID is empty: inbound JWTs are not checked (local only). */
    readonly unauthenticated: boolean;
    /**
     * ALLOW_UNAUTHENTICATED_BOT=true: an unauthenticated bot may serve a non-loopback BOT_ENDPOINT and callers that
     * are not on this machine. Without it, an unauthenticated bot answers loopback callers only.
     */
    readonly allowUnauthenticatedRemote: boolean;
  };
  readonly aad: {
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    readonly tenantId: string | undefined;
    readonly appIdUri: string | undefined;
    readonly authorityHost: string;
  };
  readonly graphBaseUrl: string;
  readonly meetingsAuthMode: 'delegated' | 'application';
  /**
   * What `live` makes: `townhall` (Graph virtualEvents/townhalls, delegated VirtualEvent.ReadWrite) or `broadcast`
   * (the seed's isBroadcast onlineMeeting, for tenants that still schedule live events; Graph makes a regular meeting
   * of it since live events stopped returning data on 2024-09-30).
   */
  readonly liveMeetings: 'townhall' | 'broadcast';
  readonly redisUrl: string | undefined;
  readonly teamsSso: boolean;
  /**
   * How the compose extension answers a created meeting: `preview` (botMessagePreview; Convene posts the card on
   * Send and records it) or `insert` (a `result` card put into the compose box for the user to send, for clients
   * without botMessagePreview such as the Agents Playground).
   */
  readonly composeSubmitResult: 'preview' | 'insert';
  /** Dev only (BOT_ID empty): every turn is answered as if the client's Teams locale were this one. */
  readonly devLocale: 'en-US' | 'zh-CN' | 'ja-JP' | undefined;
  readonly signingSecret: string;
  /** A claim (a create, a card change, a sign-in completion) held by a dead instance is free again after this. */
  readonly claimLeaseInMs: number;
  readonly log: { readonly level: string; readonly pretty: boolean };
  /** botbuilder's ConfigurationBotFrameworkAuthentication settings (MicrosoftApp* plus pass-through keys). */
  readonly botFrameworkAuth: Readonly<Record<string, string>>;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once. Throws ConfigError naming the first missing or malformed variable.
 * The result is deeply frozen.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  if (e.DEV_LOCALE && e.BOT_ID) {
    throw new ConfigError('Invalid configuration: DEV_LOCALE is for local development only and needs BOT_ID empty');
  }
  checkAadApp(e);
  checkBotIdentity(e);
  const endpoint = e.BOT_ENDPOINT ?? `http://localhost:${e.PORT}`;
  checkUnauthenticatedStart(e.BOT_ID, endpoint, e.ALLOW_UNAUTHENTICATED_BOT === 'true');
  checkSharedSigningSecret(e.REDIS_URL, e.SIGNING_SECRET);
  const appIdUri =
    e.AAD_APP_ID_URI ??
    (e.BOT_ID ? `api://botid-${e.BOT_ID}` : e.AAD_APP_CLIENT_ID ? `api://${e.AAD_APP_CLIENT_ID}` : undefined);
  const botFrameworkAuth = botFrameworkAuthFrom(e, env);
  const config: Config = {
    port: e.PORT,
    bot: {
      id: e.BOT_ID,
      password: e.BOT_PASSWORD,
      tenantId: e.BOT_TENANT_ID,
      type: e.BOT_TYPE,
      endpoint,
      unauthenticated: !e.BOT_ID,
      allowUnauthenticatedRemote: e.ALLOW_UNAUTHENTICATED_BOT === 'true',
    },
    aad: {
      clientId: e.AAD_APP_CLIENT_ID,
      clientSecret: e.AAD_APP_CLIENT_SECRET,
      tenantId: e.AAD_APP_TENANT_ID,
      appIdUri,
      authorityHost: e.AAD_APP_OAUTH_AUTHORITY_HOST,
    },
    graphBaseUrl: e.GRAPH_BASE_URL,
    meetingsAuthMode: e.MEETINGS_AUTH_MODE,
    liveMeetings: e.LIVE_MEETINGS,
    redisUrl: e.REDIS_URL,
    teamsSso: e.TEAMS_SSO === 'true',
    composeSubmitResult: e.COMPOSE_SUBMIT_RESULT,
    devLocale: e.DEV_LOCALE,
    // A random per-process secret is fine for one instance; several instances must share SIGNING_SECRET.
    signingSecret: e.SIGNING_SECRET ?? randomBytes(32).toString('hex'),
    claimLeaseInMs: e.CLAIM_LEASE_MS,
    log: {
      level: e.LOG_LEVEL,
      pretty: e.LOG_FORMAT ? e.LOG_FORMAT === 'pretty' : e.NODE_ENV === 'development',
    },
    botFrameworkAuth,
  };
  return deepFreeze(config);
}

type Env = z.infer<typeof envSchema>;

function checkAadApp(e: Env): void {
  if (e.MEETINGS_AUTH_MODE === 'delegated' || e.MEETINGS_AUTH_MODE === 'application') {
    for (const name of ['AAD_APP_CLIENT_ID', 'AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID'] as const) {
      if (!e[name]) {
        throw new ConfigError(
          `Missing configuration: ${name} is required when MEETINGS_AUTH_MODE=${e.MEETINGS_AUTH_MODE}`,
        );
      }
    }
  }
}

/** botbuilder's own settings: the bot identity under its names, and its parameterised keys passed through unchanged. */
function botFrameworkAuthFrom(e: Env, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const botFrameworkAuth: Record<string, string> = {};
  if (e.BOT_ID) botFrameworkAuth.MicrosoftAppId = e.BOT_ID;
  if (e.BOT_PASSWORD) botFrameworkAuth.MicrosoftAppPassword = e.BOT_PASSWORD;
  if (e.BOT_TENANT_ID) botFrameworkAuth.MicrosoftAppTenantId = e.BOT_TENANT_ID;
  // With BOT_ID empty botbuilder must see no type: its default (MultiTenant without an id) disables JWT checks.
  if (e.BOT_ID && e.BOT_TYPE) botFrameworkAuth.MicrosoftAppType = e.BOT_TYPE;
  for (const key of BOTBUILDER_PASSTHROUGH_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') botFrameworkAuth[key] = value;
  }
  return botFrameworkAuth;
}

/**
 * The bot-identity rules botbuilder's ConfigurationServiceClientCredentialFactory asserts at its first use, checked at
 * start-up instead so the message names the environment variable. BOT_ID empty is the local unauthenticated mode,
 * except for UserAssignedMSI, whose client id is BOT_ID.
 */
function checkBotIdentity(e: z.infer<typeof envSchema>): void {
  const missing = (name: string, why: string) => new ConfigError(`Missing configuration: ${name} is required ${why}`);
  if (e.BOT_ID && !e.BOT_TYPE) {
    throw missing('BOT_TYPE', `when BOT_ID is set (${BOT_TYPES.join(', ')}; Azure no longer creates MultiTenant bots)`);
  }
  switch (e.BOT_TYPE) {
    case 'UserAssignedMSI':
      if (!e.BOT_ID) throw missing("BOT_ID (the managed identity's client id)", 'when BOT_TYPE=UserAssignedMSI');
      if (!e.BOT_TENANT_ID)
        throw missing("BOT_TENANT_ID (the managed identity's tenant)", 'when BOT_TYPE=UserAssignedMSI');
      if (e.BOT_PASSWORD) {
        throw new ConfigError(
          'Invalid configuration: BOT_PASSWORD must be empty when BOT_TYPE=UserAssignedMSI (a managed identity has no secret)',
        );
      }
      return;
    case 'SingleTenant':
      if (!e.BOT_TENANT_ID) throw missing("BOT_TENANT_ID (the bot app's tenant)", 'when BOT_TYPE=SingleTenant');
      if (e.BOT_ID && !e.BOT_PASSWORD) throw missing('BOT_PASSWORD', 'when BOT_TYPE=SingleTenant and BOT_ID is set');
      return;
    case 'MultiTenant':
    case undefined:
      return;
  }
}

/**
 * With BOT_ID empty nothing checks who posts to /api/messages: anyone who can reach it can act as any user. That is
 * fine on a developer's machine (BOT_ENDPOINT on loopback) and nowhere else unless the operator says so explicitly.
 */
function checkUnauthenticatedStart(botId: string | undefined, endpoint: string, optedIn: boolean): void {
  if (botId || optedIn || isLoopbackUrl(endpoint)) return;
  throw new ConfigError(
    `Unsafe configuration: BOT_ID is empty, so /api/messages would accept unauthenticated requests, and BOT_ENDPOINT ` +
      `(${new URL(endpoint).host}) is not loopback. Set BOT_ID (and BOT_PASSWORD), or set ALLOW_UNAUTHENTICATED_BOT=true ` +
      `if this really must run without authentication.`,
  );
}

/** Several instances (Redis) must verify each other's sign-in state and .ics links: one random key per process can't. */
function checkSharedSigningSecret(redisUrl: string | undefined, signingSecret: string | undefined): void {
  if (redisUrl && !signingSecret) {
    throw new ConfigError(
      'Missing configuration: SIGNING_SECRET is required when REDIS_URL is set (every instance must share it)',
    );
  }
}

/** localhost, 127.0.0.0/8 or [::1]: a URL only this machine can reach. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The process environment, parsed once at start-up (the only place that reads process.env). */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env);
}
