/**
 * Soak run (issue #14): N commands (default 100,000) against one Convene process on the in-memory store, mixed
 * with link sign-ins and card clicks; prints the bot's heap after a forced GC at the start and at the end.
 *
 *   npm run soak -- --commands 100000 --concurrency 16
 *
 * Convene runs as its own process (`--expose-gc` and an IPC channel turn on its heap probe, src/index.ts), so the
 * stand-ins and this driver are not in the numbers. The workload keeps Convene's retained state bounded on purpose:
 * meeting commands draw their activity ids from a fixed pool (after the first delivery a command is a redelivery,
 * which posts nothing), so a growing heap means a leak, not more meetings kept.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { DEFAULT_CLIENT, startEntraEmulator } from '../emulators/entra';
import {
  LOCAL_CLIENT_ID,
  LOCAL_CLIENT_SECRET,
  LOCAL_TENANT_ID,
  LOCAL_USERS,
  type LocalUser,
} from '../emulators/fixtures';
import { startGraphEmulator } from '../emulators/graph';
import { startFakeConnector, type FakeConnector } from '../test/support/fake-connector';
import { completeSignInLink, freePort, invokeActivity, messageActivity, signInLinkFrom } from '../test/support/harness';

interface Heap {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly rss: number;
  readonly external: number;
}

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const COMMANDS = argument('commands', 100_000);
const CONCURRENCY = argument('concurrency', 16);
const POOL = argument('pool', 500);
/** One link sign-in every N operations (0: none) and the share of card clicks that rename (the rest refresh). */
const SIGN_IN_EVERY = argumentOrZero('signin-every', 100);
const RENAME_PERCENT = argumentOrZero('rename-percent', 33);
function argumentOrZero(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be an integer >= 0`);
  return value;
}

const HOURS = ['9am', '10am', '11am', '1pm', '2pm', '3pm', '4pm'];
const MEMBERS = LOCAL_USERS.filter((u) => !u.home);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function heapOf(child: ChildProcess): Promise<Heap> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const heap = (message as { heap?: Heap }).heap;
      if (!heap) return;
      child.off('message', onMessage);
      resolve(heap);
    };
    child.on('message', onMessage);
    child.send('heap');
  });
}

async function main(): Promise<void> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const entra = await startEntraEmulator({
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${baseUrl}/auth/callback`] }],
  });
  const graph = await startGraphEmulator({ jwksUrl: entra.jwksUri });
  const connector: FakeConnector = await startFakeConnector();
  const child = fork('src/index.ts', [], {
    execArgv: ['--expose-gc', '--require', 'tsx/cjs'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
      PORT: String(port),
      BOT_ENDPOINT: baseUrl,
      AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
      AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
      AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
      AAD_APP_OAUTH_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.baseUrl,
      TEAMS_SSO: 'false',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const until = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > until) throw new Error('Convene never became healthy');
    try {
      if ((await fetch(`${baseUrl}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const post = async (activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const signInByLink = async (user: LocalUser): Promise<void> => {
    await post(messageActivity({ connector }, 'signout', { user }));
    await post(
      messageActivity({ connector }, `meet soak sign-in ${user.givenName} tomorrow 9am`, {
        user,
        id: `sign-in-${user.id}-${Date.now()}-${Math.random()}`,
      }),
    );
    const prompt = await connector.waitForMessage(
      (c) => c.conversationId.includes(user.id) && signInLinkFrom(c.activity) !== undefined,
      10_000,
    );
    const done = await completeSignInLink(signInLinkFrom(prompt.activity)!, user);
    if (done.status !== 200) throw new Error(`sign-in failed: ${done.status}`);
  };

  /** Cards Convene posted, by the meeting they show: the targets of card clicks. */
  const cards = new Map<string, { cardId: string; user: LocalUser; data: { meetingKey: string; version: number } }>();
  const remember = () => {
    for (const call of connector.messages()) {
      const content = (
        call.activity.attachments as
          { content?: { refresh?: { action?: { data?: { meetingKey: string; version: number } } } } }[] | undefined
      )?.[0]?.content;
      const data = content?.refresh?.action?.data;
      const user = MEMBERS.find((u) => call.conversationId.includes(u.id)) ?? MEMBERS[0]!;
      if (data && cards.size < POOL) cards.set(data.meetingKey, { cardId: call.id, user, data });
    }
    connector.reset();
    // The stand-ins record every request; this driver's memory is not what is measured, but keep it bounded too.
    (graph.requests as unknown[]).length = 0;
  };

  for (const user of MEMBERS) await signInByLink(user);
  let done = 0;
  let failures = 0;
  const failuresByStatus = new Map<number, number>();
  let signIns = MEMBERS.length;
  let clicks = 0;
  const op = async (n: number): Promise<void> => {
    const user = MEMBERS[n % MEMBERS.length]!;
    const kind = n % 100;
    let status: number;
    if (SIGN_IN_EVERY > 0 && n % SIGN_IN_EVERY === 0) {
      await signInByLink(user);
      signIns += 1;
      status = 200;
    } else if (kind < 30 && cards.size > 0) {
      const keys = [...cards.keys()];
      const target = cards.get(keys[n % keys.length]!)!;
      const verb = clicks % 100 < RENAME_PERCENT ? 'rename' : 'refresh';
      const data = verb === 'rename' ? { ...target.data, renameSubject: `soak renamed ${n}` } : target.data;
      const res = await post(
        invokeActivity(
          { connector },
          'adaptiveCard/action',
          { action: { type: 'Action.Execute', verb, data } },
          { user: target.user, replyToId: target.cardId },
        ),
      );
      const version = (res.body as { value?: { refresh?: { action?: { data?: { version?: number } } } } } | undefined)
        ?.value?.refresh?.action?.data?.version;
      if (version !== undefined) cards.set(target.data.meetingKey, { ...target, data: { ...target.data, version } });
      clicks += 1;
      status = res.status;
    } else if (kind < 40) {
      status = (await post(messageActivity({ connector }, 'help', { user }))).status;
    } else {
      const slot = n % POOL;
      const id = `soak-${slot}`;
      status = (
        await post(
          messageActivity({ connector }, `meet soak ${slot} tomorrow ${HOURS[slot % HOURS.length]}`, {
            user: MEMBERS[slot % MEMBERS.length]!,
            id,
          }),
        )
      ).status;
    }
    if (status !== 200) {
      failures += 1;
      failuresByStatus.set(status, (failuresByStatus.get(status) ?? 0) + 1);
    }
  };

  // Long enough to fill the meeting pool, so the measured run starts at its steady state.
  const warmUp = Math.max(2_000, POOL * 4);
  for (let n = 0; n < warmUp; n += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, warmUp - n) }, (_, i) => op(n + i)));
    if (n % 500 === 0) remember();
  }
  remember();
  const start = await heapOf(child);
  const started = Date.now();
  console.log(
    `soak: ${COMMANDS} commands, concurrency ${CONCURRENCY}, pool ${POOL} meetings, a link sign-in every ${SIGN_IN_EVERY || '-'}, ` +
      `${RENAME_PERCENT}% of clicks rename; warm-up ${warmUp}`,
  );
  console.log(
    `start (after GC): heapUsed ${mb(start.heapUsed)} MB, heapTotal ${mb(start.heapTotal)} MB, rss ${mb(start.rss)} MB`,
  );
  for (let n = 0; n < COMMANDS; n += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, COMMANDS - n) }, (_, i) => op(warmUp + n + i)));
    done = n + CONCURRENCY;
    if (n % 1_000 < CONCURRENCY) remember();
    if (n % 10_000 < CONCURRENCY && n > 0) {
      const mid = await heapOf(child);
      console.log(
        `  ${done} commands, ${((Date.now() - started) / 1000).toFixed(0)} s: heapUsed ${mb(mid.heapUsed)} MB`,
      );
    }
  }
  remember();
  const end = await heapOf(child);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `end (after GC):   heapUsed ${mb(end.heapUsed)} MB, heapTotal ${mb(end.heapTotal)} MB, rss ${mb(end.rss)} MB`,
  );
  console.log(
    `heapUsed change: ${mb(end.heapUsed - start.heapUsed)} MB over ${COMMANDS} commands (${seconds.toFixed(0)} s, ${(COMMANDS / seconds).toFixed(0)}/s)`,
  );
  console.log(
    `link sign-ins ${signIns}, card clicks ${clicks}, non-200 answers ${failures} ${JSON.stringify([...failuresByStatus])}`,
  );
  child.kill('SIGTERM');
  await once(child, 'exit');
  await connector.close();
  await graph.close();
  await entra.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
