/**
 * Load test (a script, not a timed test): 50 concurrent users send 2,000 "meet" commands across two Convene
 * instances on one redis-server, with ~5% of Graph writes answered 429 (Retry-After 0 or 1). Then counts, on the
 * stand-ins: meetings made, duplicates (by externalId / idempotency key and by the command's unique subject),
 * commands that got no meeting card, and 5xx answers. Exits non-zero when any count is off.
 *
 *   npm run bench:load   [LOAD_USERS=50 LOAD_COMMANDS=2000 LOAD_429_RATE=0.05]
 */
import { DEFAULT_CLIENT, startEntraEmulator } from '../emulators/entra';
import { LOCAL_USERS, type LocalUser } from '../emulators/fixtures';
import { startGraphEmulator } from '../emulators/graph';
import { startFakeConnector } from '../test/support/fake-connector';
import { freePort, messageActivity, signIn, startHarness, type Harness } from '../test/support/harness';
import { startRedisServer } from '../test/support/redis-server';

const USERS = Number(process.env.LOAD_USERS ?? 50);
const COMMANDS = Number(process.env.LOAD_COMMANDS ?? 2000);
const RATE_429 = Number(process.env.LOAD_429_RATE ?? 0.05);
const HOURS = ['9am', '10am', '11am', '1pm', '2pm', '3pm', '4pm', '5pm'];

function loadUsers(count: number): LocalUser[] {
  const extra = Array.from({ length: Math.max(0, count - LOCAL_USERS.filter((u) => !u.external).length) }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return {
      id: `29:load-user-${n}`,
      aadObjectId: `b2f2b2b2-0000-4000-8000-00000000${n}`,
      name: `Load User ${n}`,
      givenName: 'Load',
      surname: `User ${n}`,
      upn: `load${n}@convene.local`,
    } satisfies LocalUser;
  });
  return [...LOCAL_USERS.filter((u) => !u.external), ...extra].slice(0, count);
}

async function main(): Promise<void> {
  const users = loadUsers(USERS);
  const redis = await startRedisServer();
  const port1 = await freePort();
  const publicUrl = `http://127.0.0.1:${port1}`;
  const entra = await startEntraEmulator({
    users: [...LOCAL_USERS, ...users.filter((u) => !LOCAL_USERS.includes(u))],
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${publicUrl}/auth/callback`] }],
  });
  const graph = await startGraphEmulator({ jwksUrl: entra.jwksUri });
  const connector = await startFakeConnector();
  const shared = { entra, graph, connector };
  const instances: Harness[] = [];
  try {
    // Both behind one public URL (instance 1's), as behind a load balancer; they share only Redis and the stand-ins.
    instances.push(
      await startHarness({
        ...shared,
        port: port1,
        env: { REDIS_URL: redis.url, TEAMS_SSO: 'false', BOT_ENDPOINT: publicUrl },
      }),
    );
    instances.push(
      await startHarness({ ...shared, env: { REDIS_URL: redis.url, TEAMS_SSO: 'false', BOT_ENDPOINT: publicUrl } }),
    );
    for (const user of users) await signIn(instances[0]!, user);
    connector.reset();
    graph.reset();

    const statuses = new Map<number, number>();
    const sent: { id: string; subject: string }[] = [];
    let injected = 0;
    let next = 0;
    const started = Date.now();
    await Promise.all(
      users.map(async (user, u) => {
        for (;;) {
          const n = next++;
          if (n >= COMMANDS) return;
          if (Math.random() < RATE_429) {
            graph.injectFaults({ status: 429, retryAfter: Math.random() < 0.5 ? 0 : 1, count: 1, method: 'POST' });
            injected++;
          }
          const subject = `loadtest${String(n).padStart(5, '0')}x`;
          const passcode = n % 10 === 0 ? ' passcode' : '';
          const instance = instances[(n + u) % instances.length]!;
          const activity = messageActivity(
            instance,
            `meet ${subject} tomorrow ${HOURS[n % HOURS.length]!}${passcode}`,
            { user },
          );
          sent.push({ id: activity.id as string, subject });
          const res = await instance.post(activity);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    await Promise.all(instances.map((h) => h.app.background.idle()));
    const elapsedInMs = Date.now() - started;

    const meetings = graph.meetings;
    const byExternalId = new Map<string, number>();
    for (const m of meetings)
      if (m.externalId) byExternalId.set(m.externalId, (byExternalId.get(m.externalId) ?? 0) + 1);
    const bySubject = new Map<string, number>();
    for (const m of meetings) bySubject.set(m.subject ?? '', (bySubject.get(m.subject ?? '') ?? 0) + 1);
    const duplicateExternalIds = [...byExternalId.values()].filter((c) => c > 1).length;
    const duplicateSubjects = [...bySubject.values()].filter((c) => c > 1).length;
    const cards = connector.messages().filter((c) => JSON.stringify(c.activity).includes('meetup-join'));
    const answered = new Set(cards.map((c) => c.activityId));
    const lost = sent.filter((s) => !answered.has(s.id)).length;
    const fiveXx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
    const graph429s = graph.requests.filter((r) => r.status === 429).length;

    const others = connector.messages().filter((c) => !JSON.stringify(c.activity).includes('meetup-join'));
    const reasons = new Map<string, number>();
    for (const c of others) {
      const texts = [...JSON.stringify(c.activity).matchAll(/"text":"([^"]{0,80})/g)]
        .map((m) => m[1])
        .slice(0, 2)
        .join(' | ');
      reasons.set(texts, (reasons.get(texts) ?? 0) + 1);
    }
    const result = {
      users: users.length,
      instances: instances.length,
      commands: sent.length,
      elapsedInMs,
      commandsPerSecond: Math.round((sent.length / elapsedInMs) * 1000),
      statuses: Object.fromEntries(statuses),
      graph429sInjected: injected,
      graph429sServed: graph429s,
      graphWrites: graph.requests.filter((r) => r.method === 'POST').length,
      meetings: meetings.length,
      duplicatesByExternalId: duplicateExternalIds,
      duplicatesBySubject: duplicateSubjects,
      meetingCards: cards.length,
      lost,
      fiveXx,
      otherReplies: Object.fromEntries(reasons),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const ok =
      meetings.length === COMMANDS &&
      duplicateExternalIds === 0 &&
      duplicateSubjects === 0 &&
      lost === 0 &&
      fiveXx === 0;
    process.stdout.write(ok ? 'load test: OK\n' : 'load test: FAILED\n');
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const h of instances.reverse()) await h.close();
    await connector.close();
    await graph.close();
    await entra.close();
    await redis.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`load test failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
