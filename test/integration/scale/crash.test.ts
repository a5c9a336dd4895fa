import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from '../../../emulators/entra';
import { LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { ADA, freePort, invokeActivity, messageActivity } from '../../support/harness';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server';

type Json = Record<string, unknown>;

/** Short, so "free again after the lease" is seconds here (production: 30 s). */
const LEASE_IN_MS = 1500;
const isMeetingCard = (a: Json) => JSON.stringify(a).includes('meetup-join');
const isMayExistCard = (a: Json) => /may exist/.test(JSON.stringify(a));
const cardOf = (activity: Json): Json => (activity.attachments as { content: Json }[])[0]!.content;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One Convene process (src/index.ts through tsx), configured only by environment variables. */
class Instance {
  private child: ChildProcess | undefined;
  private out = '';
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get output(): string {
    return this.out;
  }

  /** Starts the process unless it is running; resolves once /healthz answers 200. */
  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return;
    this.out = '';
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/index.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
        ...this.env,
        PORT: String(this.port),
        BOT_ENDPOINT: `http://127.0.0.1:${this.port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (c: Buffer) => (this.out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.out += c.toString()));
    const until = Date.now() + 30_000;
    for (;;) {
      assert.ok(Date.now() < until, `instance on ${this.port} never became healthy:\n${this.out}`);
      assert.equal(child.exitCode, null, `instance on ${this.port} exited:\n${this.out}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/healthz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
  }

  /** kill -9: no shutdown hook runs, claims stay as they were. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  post(activity: Json): Promise<{ status: number; body: unknown }> {
    return fetch(`http://127.0.0.1:${this.port}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    }).then(async (res) => {
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    });
  }
}

/**
 * Issue #14 fault tests: two Convene processes on one Redis; one is killed (SIGKILL) in the middle of a create and of
 * a card change, then restarted. No duplicate meeting, nothing frozen past the lease, the user told what happened.
 */
describe('crash: kill -9 one of two instances on one Redis', function () {
  this.timeout(90_000);
  let redis: RedisServerHandle;
  let entra: EntraEmulator;
  let graph: GraphEmulator;
  let connector: FakeConnector;
  let a: Instance;
  let b: Instance;

  before(async () => {
    redis = await startRedisServer();
    entra = await startEntraEmulator({ clients: [DEFAULT_CLIENT] });
    graph = await startGraphEmulator({ jwksUrl: entra.jwksUri });
    // Application mode: the test is about state, not sign-in, so no user needs to sign in to either process.
    graph.grantAccessPolicy(LOCAL_CLIENT_ID, 'global');
    connector = await startFakeConnector();
    const env = {
      AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
      AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
      AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
      AAD_APP_OAUTH_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.baseUrl,
      MEETINGS_AUTH_MODE: 'application',
      REDIS_URL: redis.url,
      SIGNING_SECRET: 'crash-test-signing-secret-0123456789abcdef',
      CLAIM_LEASE_MS: String(LEASE_IN_MS),
      LOG_LEVEL: 'warn',
    };
    a = new Instance(await freePort(), env);
    b = new Instance(await freePort(), env);
    await Promise.all([a.start(), b.start()]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await connector?.close();
    await graph?.close();
    await entra?.close();
    await redis?.stop();
  });
  beforeEach(() => {
    graph.reset();
    graph.grantAccessPolicy(LOCAL_CLIENT_ID, 'global');
    connector.reset();
  });
  afterEach(async function () {
    graph.setLatency(0);
    if (this.currentTest?.state === 'failed')
      process.stderr.write(`instance A:\n${a.output}\ninstance B:\n${b.output}\n`);
    await a.start().catch(() => undefined);
  });

  /** Kills A once Graph has received the POST it is waiting on (the stand-in then carries it out). */
  async function killAOnceGraphHas(method: string): Promise<void> {
    const until = Date.now() + 10_000;
    while (!graph.requests.some((r) => r.method === method)) {
      assert.ok(Date.now() < until, `A never sent its ${method}`);
      await sleep(20);
    }
    await a.kill9();
  }

  it('in the middle of a plain create: Teams redelivers to B, which answers with the one meeting within the lease', async () => {
    graph.setLatency(1500);
    const activity = messageActivity({ connector }, 'meet crash plain tomorrow 10am', { user: ADA });
    const inFlight = a.post(activity).catch((e: unknown) => e);
    await killAOnceGraphHas('POST');
    await inFlight;
    await sleep(1600); // the stand-in finishes the POST A sent: the meeting exists
    graph.setLatency(0);
    const started = Date.now();
    assert.equal((await b.post(activity)).status, 200);
    const card = await connector.waitForMessage((c) => isMeetingCard(c.activity), 10_000);
    assert.ok(Date.now() - started < LEASE_IN_MS + 5000, 'not frozen past the lease');
    assert.match(JSON.stringify(card.activity), /crash plain/);
    assert.equal(graph.meetings.length, 1, 'no duplicate meeting');
  });

  it('in the middle of a passcode create (a plain POST): B says the meeting may exist instead of making a second one', async () => {
    graph.setLatency(1500);
    const activity = messageActivity({ connector }, 'meet crash locked tomorrow 11am passcode', { user: ADA });
    const inFlight = a.post(activity).catch((e: unknown) => e);
    await killAOnceGraphHas('POST');
    await inFlight;
    await sleep(1600);
    graph.setLatency(0);
    assert.equal((await b.post(activity)).status, 200);
    const card = await connector.waitForMessage((c) => isMayExistCard(c.activity), 10_000);
    assert.match(JSON.stringify(card.activity), /"verb":"createAnyway"/, 'a safe way on, explicit about the risk');
    assert.equal(graph.meetings.length, 1, 'no duplicate meeting');

    // A, restarted, answers a Retry of the same request the same way (nothing frozen, nothing repeated).
    await a.start();
    const requestKey = (cardOf(card.activity).actions as { data: { requestKey: string } }[])[0]!.data.requestKey;
    const retried = await a.post(
      invokeActivity(
        { connector },
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: 'retry', data: { requestKey } } },
        { user: ADA, replyToId: card.id },
      ),
    );
    assert.equal(retried.status, 200);
    assert.match(JSON.stringify(retried.body), /may exist/);
    assert.equal(graph.meetings.length, 1);
  });

  it('in the middle of a card change (Rename): the change is free again after the lease and applies once', async () => {
    await b.post(messageActivity({ connector }, 'meet crash rename tomorrow 1pm', { user: ADA, kind: 'groupChat' }));
    const posted = await connector.waitForMessage(
      (c) => isMeetingCard(c.activity) && JSON.stringify(c.activity).includes('crash rename'),
      10_000,
    );
    const data = (cardOf(posted.activity).refresh as { action: { data: Json } }).action.data;
    const rename = (subject: string, id: string) =>
      invokeActivity(
        { connector },
        'adaptiveCard/action',
        { action: { type: 'Action.Execute', verb: 'rename', data: { ...data, renameSubject: subject } } },
        { user: ADA, kind: 'groupChat', replyToId: posted.id, id },
      );

    graph.setLatency(1500);
    const inFlight = a.post(rename('Renamed after the crash', 'rename-1')).catch((e: unknown) => e);
    await killAOnceGraphHas('PATCH');
    await inFlight;
    graph.setLatency(0);
    await a.start();
    await sleep(LEASE_IN_MS + 200);
    // Teams retries the invoke (same card, same version): it applies instead of silently doing nothing for 24 hours.
    const res = await a.post(rename('Renamed after the crash', 'rename-2'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(JSON.stringify(res.body), /Renamed after the crash/);
    const meeting = graph.meetings.find((m) => m.id !== undefined)!;
    assert.equal(meeting.subject, 'Renamed after the crash');
    assert.equal(graph.meetings.length, 1);
  });

  it('Redis restarted in the middle of a run: requests fail clearly (200 + an error card, never 5xx), then recover; no duplicates', async () => {
    // Earlier tests' messages (a change notice among them) are not this run's answers.
    connector.reset();
    const hours = ['9am', '10am', '11am', '12pm', '1pm', '2pm', '3pm', '4pm'];
    const commands = Array.from({ length: 12 }, (_, i) =>
      messageActivity({ connector }, `meet redis run ${i} tomorrow ${hours[i % 8]}`, { user: ADA }),
    );
    const statuses: number[] = [];
    const sendAll = (list: Json[]) =>
      Promise.all(list.map(async (activity, i) => statuses.push((await (i % 2 === 0 ? a : b).post(activity)).status)));
    await sendAll(commands.slice(0, 4));
    await redis.kill();
    await sendAll(commands.slice(4, 8));
    const during = connector.messages().filter((c) => !isMeetingCard(c.activity));
    assert.ok(during.length >= 4, 'the commands sent during the outage were answered with error cards');
    await redis.restart();
    for (const instance of [a, b]) {
      const until = Date.now() + 10_000;
      while ((await fetch(`http://127.0.0.1:${instance.port}/healthz`)).status !== 200) {
        assert.ok(Date.now() < until, 'healthy again after the restart');
        await sleep(100);
      }
    }
    await sendAll(commands.slice(8));
    assert.ok(
      statuses.every((s) => s === 200),
      `every delivery answered 200: ${statuses.join(',')}`,
    );
    const failed = connector.messages().filter((c) => !isMeetingCard(c.activity));
    for (const call of failed)
      assert.match(
        JSON.stringify(call.activity),
        /can't save|try again|Retry/i,
        `an outage is said plainly: ${JSON.stringify(call.activity).slice(0, 1500)}`,
      );
    // Teams redelivers everything (the restarted Redis lost the delivery records): one meeting per command.
    await sendAll(commands);
    const subjects = graph.meetings.map((m) => m.subject);
    assert.equal(new Set(subjects).size, subjects.length, `no duplicate meeting: ${subjects.join(' | ')}`);
    assert.equal(graph.meetings.length, commands.length, 'every command has its meeting after recovery');
  });
});
