import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from '../../emulators/entra';
import {
  LOCAL_CLIENT_ID,
  LOCAL_CLIENT_SECRET,
  LOCAL_TEAM,
  LOCAL_TENANT_ID,
  LOCAL_USERS,
  type LocalUser,
} from '../../emulators/fixtures';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/graph';
import { composeApp, type ConveneApp } from '../../src/composition-root';
import { loadConfig } from '../../src/config/config';
import { SignedTokens } from '../../src/auth/signed-token';
import { createLogger } from '../../src/logging/logger';
import type { Clock } from '../../src/meetings/ports';
import { startFakeConnector, type FakeConnector } from './fake-connector';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_MRI = '28:convene-local-bot';
export const [ADA, GRACE, ALAN, KATHERINE, LINUS] = LOCAL_USERS as [
  LocalUser,
  LocalUser,
  LocalUser,
  LocalUser,
  LocalUser,
];

export interface HarnessOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly clock?: Clock;
  /** Reuse stand-ins across harnesses (multi-instance tests). */
  readonly entra?: EntraEmulator;
  readonly graph?: GraphEmulator;
  readonly connector?: FakeConnector;
  /** Listen on this port (default: a free one), e.g. when the stand-ins must know the URL first. */
  readonly port?: number;
  /** Convene's log level (default debug, so a failing test's logs are complete; benches use warn). */
  readonly logLevel?: string;
  /** Shorter Graph request timeout (fault tests). */
  readonly graphRequestTimeoutInMs?: number;
  /** Shorter request-body deadline (stalled-client tests). */
  readonly bodyTimeoutInMs?: number;
}

export interface Harness {
  readonly entra: EntraEmulator;
  readonly graph: GraphEmulator;
  readonly connector: FakeConnector;
  readonly app: ConveneApp;
  readonly baseUrl: string;
  /** Every log line Convene wrote (JSON strings). */
  readonly logs: string[];
  post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  postRaw(body: string, contentType?: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real HTTP server in-process on a free port, talking over real HTTP to the Entra and Graph stand-ins and to
 * a fake Bot Connector that captures replies. Needs NODE_EXTRA_CA_CERTS=.local/certs/ca.pem (npm scripts set it).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const entra =
    options.entra ??
    (await startEntraEmulator({ clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${baseUrl}/auth/callback`] }] }));
  const graph = options.graph ?? (await startGraphEmulator({ jwksUrl: entra.jwksUri }));
  const connector = options.connector ?? (await startFakeConnector());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    PORT: String(port),
    BOT_ENDPOINT: baseUrl,
    AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
    AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
    AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
    AAD_APP_OAUTH_AUTHORITY_HOST: entra.url,
    GRAPH_BASE_URL: graph.baseUrl,
    SIGNING_SECRET: TEST_SIGNING_SECRET,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const app = await composeApp(config, {
    logger: createLogger({ level: options.logLevel ?? 'debug', pretty: false, destination: sink }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.graphRequestTimeoutInMs ? { graphRequestTimeoutInMs: options.graphRequestTimeoutInMs } : {}),
    ...(options.bodyTimeoutInMs ? { bodyTimeoutInMs: options.bodyTimeoutInMs } : {}),
    teamsJsPath: require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'),
  });
  await new Promise<void>((resolve) => app.http.server.listen(port, '127.0.0.1', () => resolve()));

  return {
    entra,
    graph,
    connector,
    app,
    baseUrl,
    logs,
    async post(activity) {
      const res = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? safeJson(text) : undefined };
    },
    async postRaw(body, contentType = 'application/json') {
      const res = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await app.close();
      if (!options.connector) await connector.close();
      if (!options.graph) await graph.close();
      if (!options.entra) await entra.close();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface ActivityOptions {
  readonly user?: LocalUser;
  readonly kind?: ConversationKind;
  readonly id?: string;
  readonly locale?: string;
  readonly timeZone?: string;
  readonly mentions?: readonly LocalUser[];
  readonly channelId?: string;
}

/** A Teams-shaped message activity (shapes from the protocol reference §4.1). */
export function messageActivity(
  h: Pick<Harness, 'connector'>,
  text: string,
  options: ActivityOptions = {},
): Record<string, unknown> {
  const user = options.user ?? ADA;
  const kind = options.kind ?? 'personal';
  const channelId = options.channelId ?? LOCAL_TEAM.channels[1].id;
  const mentionEntities: Record<string, unknown>[] = [];
  let fullText = text;
  if (kind !== 'personal') {
    fullText = `<at>Convene</at> ${text}`;
    mentionEntities.push({ type: 'mention', text: '<at>Convene</at>', mentioned: { id: BOT_MRI, name: 'Convene' } });
  }
  for (const m of options.mentions ?? []) {
    mentionEntities.push({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } });
  }
  return {
    ...base(h, user, kind, channelId, options),
    type: 'message',
    text: fullText,
    textFormat: 'plain',
    entities: [
      ...mentionEntities,
      {
        type: 'clientInfo',
        locale: options.locale ?? 'en-US',
        country: 'US',
        platform: 'Web',
        timezone: options.timeZone ?? 'America/Los_Angeles',
      },
    ],
  };
}

export function invokeActivity(
  h: Pick<Harness, 'connector'>,
  name: string,
  value: unknown,
  options: ActivityOptions & { replyToId?: string } = {},
): Record<string, unknown> {
  const user = options.user ?? ADA;
  const kind = options.kind ?? 'personal';
  return {
    ...base(h, user, kind, options.channelId ?? LOCAL_TEAM.channels[1].id, options),
    type: 'invoke',
    name,
    value,
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    entities: [
      { type: 'clientInfo', locale: options.locale ?? 'en-US', timezone: options.timeZone ?? 'America/Los_Angeles' },
    ],
  };
}

function base(
  h: Pick<Harness, 'connector'>,
  user: LocalUser,
  kind: ConversationKind,
  channelId: string,
  options: ActivityOptions,
) {
  const conversation =
    kind === 'personal'
      ? { id: `a:personal-${user.id}`, conversationType: 'personal', tenantId: LOCAL_TENANT_ID }
      : kind === 'groupChat'
        ? {
            id: '19:group-chat-convene@thread.v2',
            conversationType: 'groupChat',
            isGroup: true,
            tenantId: LOCAL_TENANT_ID,
          }
        : { id: channelId, conversationType: 'channel', isGroup: true, tenantId: LOCAL_TENANT_ID };
  return {
    id: options.id ?? randomUUID(),
    channelId: 'msteams',
    serviceUrl: h.connector.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: options.locale ?? 'en-US',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT_MRI, name: 'Convene' },
    conversation,
    channelData: {
      tenant: { id: LOCAL_TENANT_ID },
      ...(kind === 'channel' ? { channel: { id: channelId }, team: { id: LOCAL_TEAM.id } } : {}),
    },
  };
}

/** Pulls the sign-in link out of a sign-in card (Adaptive Card OpenUrl or OAuth card button). */
export function signInLinkFrom(activity: Record<string, unknown>): string | undefined {
  const text = JSON.stringify(activity);
  const match = /"(https?:\/\/[^"]*\/auth\/start\?t=[^"]+)"/.exec(text);
  return match?.[1];
}

/**
 * Walks the sign-in link the way a browser would: /auth/start → Entra's picker (posting the chosen user) →
 * /auth/callback. Returns the callback's status and page.
 */
export async function completeSignInLink(
  link: string,
  as: LocalUser,
): Promise<{ status: number; page: string; callbackUrl?: string }> {
  const start = await fetch(link, { redirect: 'manual' });
  if (start.status !== 302) return { status: start.status, page: await start.text() };
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('oid', as.aadObjectId);
  const picked = await fetch(`${authorize.origin}${authorize.pathname}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const callback = picked.headers.get('location');
  if (picked.status !== 302 || !callback) return { status: picked.status, page: await picked.text() };
  const done = await fetch(callback, { redirect: 'manual' });
  return { status: done.status, page: await done.text(), callbackUrl: callback };
}

/** Seeds a user's token cache through the real link flow, with a link signed as Convene signs them. */
export async function signIn(h: Harness, user: LocalUser): Promise<void> {
  const token = new SignedTokens(TEST_SIGNING_SECRET, { now: () => Date.now() }).sign(
    { o: user.aadObjectId, t: LOCAL_TENANT_ID },
    60_000,
  );
  const outcome = await completeSignInLink(`${h.baseUrl}/auth/start?t=${encodeURIComponent(token)}`, user);
  if (outcome.status !== 200) throw new Error(`sign-in failed: ${outcome.status} ${outcome.page.slice(0, 300)}`);
}

/**
 * A suite's harness (TEAMS_SSO=false), started once with `user` signed in by link; the Graph stand-in's and the
 * connector's records are cleared before each test. The object forwards to the harness the suite's before() started,
 * so tests use it like the harness itself.
 */
export function signedInHarness(user: LocalUser): Harness {
  let current: Harness | undefined;
  const started = (): Harness => {
    if (!current) throw new Error("the suite's harness starts in its before() hook");
    return current;
  };
  before(async () => {
    current = await startHarness({ env: { TEAMS_SSO: 'false' } });
    await signIn(current, user);
  });
  after(async () => current?.close());
  beforeEach(() => {
    started().graph.reset();
    started().connector.reset();
  });
  return new Proxy({} as Harness, { get: (_target, key) => Reflect.get(started(), key) as unknown });
}
