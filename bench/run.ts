/**
 * `npm run bench`: Convene against the framework floor and the I/O floor, side by side (design.md §7 "Test honesty").
 *
 *   npm run bench -- [--users 50] [--commands 2000] [--graph-latency 0] [--only convene|io|framework]
 *                    [--warmup <n>] [--rounds 3] [--no-compose] [--profile]
 *
 * This process runs the Entra and Graph stand-ins, a lean Bot Connector stand-in and the load client. The bots run
 * ONE AT A TIME as separate child processes from the built JS (`node dist/...`), logging at `error` or not at all:
 *   framework  bench/bots/framework-floor.ts   botbuilder + restify, a small card per message
 *   io         bench/bots/io-floor.ts          + exactly one Graph createOrGet per message, token held from start
 *   convene    dist/convene.js                 what `npm start` runs, through the runtime contract, at the stand-ins
 * Like Convene (scripts/bundle.ts), each floor runs as one bundled file, so start-to-healthy compares like with like.
 * For Convene the N users first sign in through the real link flow. Then N concurrent users send M `meet …`
 * commands in personal chats (closed loop, keep-alive client); latency runs from the POST to the card's arrival at
 * the connector stand-in (matched by replyToId and conversation), after USERS × 20 warm-up commands. The bots take
 * turns for --rounds rounds; each bot's row is its median round. Results: bench/results/latest.json (gitignored).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from '../emulators/entra';
import {
  LOCAL_CLIENT_ID,
  LOCAL_CLIENT_SECRET,
  LOCAL_TENANT_ID,
  LOCAL_USERS,
  type LocalUser,
} from '../emulators/fixtures';
import { startGraphEmulator, type GraphEmulator } from '../emulators/graph';
import { ensureLocalCertificates } from '../emulators/tls/local-ca';
import { SignedTokens } from '../src/auth/signed-token';
import { bundle } from '../scripts/bundle';
import { completeSignInLink, freePort } from '../test/support/harness';
import { startLoadConnector, type LoadConnector } from './support/load-connector';

type BotName = 'framework' | 'io' | 'convene';
const ROOT = resolve(__dirname, '..', '..');
const DIST = resolve(ROOT, 'dist');
const RESULTS = resolve(ROOT, 'bench/results');
const CLK_TCK = 100;
const COMMAND_TEXT = 'meet Bench review tomorrow 3pm for 30 min';
const CARD_TIMEOUT_IN_MS = 30_000;
/** Starts per bot for the start-to-healthy median; the last of them is the one that then takes the load. */
const START_SAMPLES = 4;

const { values: opts } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    commands: { type: 'string', default: '2000' },
    'graph-latency': { type: 'string', default: '0' },
    only: { type: 'string', multiple: true },
    warmup: { type: 'string' },
    'no-compose': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
  },
});
const USERS = positive(opts.users, 'users');
/** Each round runs every bot once, in turn; each bot's row is its median round (see medianRound). */
const ROUNDS = positive(opts.rounds, 'rounds');
const COMMANDS = positive(opts.commands, 'commands');
const GRAPH_LATENCY = Number(opts['graph-latency']);
// 20 commands per user before measuring: with 4, the first commands after start (V8 still compiling the hot path,
// each user's first silent token through msal) landed in the measured run as 0.5–1.9 s outliers in Convene's p99.
const WARMUP = opts.warmup !== undefined ? Number(opts.warmup) : USERS * 20;
const ONLY = (opts.only ?? []).flatMap((o) => o.split(','));
for (const o of ONLY) if (!['convene', 'io', 'framework'].includes(o)) throw new Error(`--only: unknown bot ${o}`);
const BOTS: BotName[] = (['framework', 'io', 'convene'] as const).filter((b) => ONLY.length === 0 || ONLY.includes(b));

function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

interface BotResult {
  readonly bot: BotName;
  readonly startToHealthyInMs: number;
  /** Every start measured, sorted; startToHealthyInMs is their median. */
  readonly startsToHealthyInMs: readonly number[];
  readonly commands: number;
  readonly errors: number;
  readonly errorReasons: Record<string, number>;
  /** The bot's last output lines (errors only: bots run at log level `error` or silent). */
  readonly botOutputTail: string;
  readonly wallInMs: number;
  readonly throughputPerSec: number;
  readonly latencyInMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  readonly graphCallsPerMeeting: number | null;
  readonly meetingsCreated: number;
  readonly tokenCallsPerCommand: number;
  readonly tokenCallsAfterSignIn: number;
  readonly peakRssInMb: number;
  readonly cpu: { botSeconds: number; driverSeconds: number; botMsPerCommand: number; wallSeconds: number };
  readonly connector: { connections: number; typing: number; conversationMismatches: number };
}

// ---------------------------------------------------------------------------------------------- processes

interface ProcSample {
  readonly cpuSeconds: number;
  readonly hwmKb: number;
}

function sampleProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds, hwmKb };
  } catch {
    return undefined; // the process is gone
  }
}

interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  output(): string;
}

function spawnBot(script: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: resolve(ROOT, '.local/certs/ca.pem'),
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  if (proc.pid === undefined) throw new Error(`could not spawn ${script}`);
  return { proc, pid: proc.pid, output: () => tail };
}

async function stopBot(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.proc.once('exit', () => r()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function getStatus(url: string, agent?: http.Agent): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = http.get(url, { agent: agent ?? false }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode ?? 0));
    });
    req.on('error', () => resolvePromise(0));
  });
}

async function waitHealthy(child: Child, url: string, t0: number): Promise<number> {
  while (performance.now() - t0 < 30_000) {
    if (child.proc.exitCode !== null)
      throw new Error(`bot exited during start-up (${child.proc.exitCode}):\n${child.output()}`);
    if ((await getStatus(url)) === 200) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`bot not healthy within 30 s:\n${child.output()}`);
}

// ---------------------------------------------------------------------------------------------- load

function benchUsers(n: number): LocalUser[] {
  return Array.from({ length: n }, (_, i) => {
    const k = String(i + 1).padStart(3, '0');
    return {
      id: `29:bench-user-${k}`,
      aadObjectId: `b0000000-0000-4000-8000-000000000${k}`,
      name: `Bench User ${k}`,
      givenName: 'Bench',
      surname: `User ${k}`,
      upn: `bench${k}@convene.local`,
    };
  });
}

function messageBody(serviceUrl: string, user: LocalUser, id: string): string {
  return JSON.stringify({
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:convene-local-bot', name: 'Convene' },
    conversation: { id: conversationOf(user), conversationType: 'personal', tenantId: LOCAL_TENANT_ID },
    channelData: { tenant: { id: LOCAL_TENANT_ID } },
    text: COMMAND_TEXT,
    textFormat: 'plain',
    entities: [
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'America/Los_Angeles' },
    ],
  });
}

function conversationOf(user: LocalUser): string {
  return `a:personal-${user.id}`;
}

class Progress {
  private last = -1;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}
  update(done: number): void {
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    if (process.stderr.isTTY) {
      process.stderr.write(
        `\r  ${this.label.padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}`,
      );
      if (done >= this.total) process.stderr.write('\n');
    } else {
      const quarter = Math.floor((done / this.total) * 4);
      if (quarter > this.last) {
        this.last = quarter;
        process.stderr.write(`  ${this.label} ${done}/${this.total}\n`);
      }
    }
  }
}

interface LoadOutcome {
  readonly latencies: number[];
  readonly errors: number;
  readonly errorReasons: Record<string, number>;
  readonly mismatches: number;
  readonly wallInMs: number;
}

async function driveLoad(
  bot: BotName,
  agent: http.Agent,
  messagesUrl: string,
  connector: LoadConnector,
  users: readonly LocalUser[],
  total: number,
  label: string,
  onTick: () => void,
): Promise<LoadOutcome> {
  const url = new URL(messagesUrl);
  const pending = new Map<string, { conversation: string; resolve: (t: number) => void }>();
  let mismatches = 0;
  connector.onMessage = (m) => {
    const waiter = m.replyToId === undefined ? undefined : pending.get(m.replyToId);
    if (!waiter) return;
    const card = m.activity.attachments?.some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    if (!card) return;
    if (m.conversationId !== waiter.conversation) mismatches++;
    pending.delete(m.replyToId!);
    waiter.resolve(performance.now());
  };
  const post = (body: string): Promise<number> =>
    new Promise((resolvePost) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolvePost(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolvePost(0));
      req.end(body);
    });

  const latencies: number[] = [];
  const errorReasons: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  let done = 0;
  const progress = new Progress(label, total);
  const tick = setInterval(() => {
    progress.update(done);
    onTick();
  }, 100);
  const run = randomBytes(4).toString('hex');
  const t0 = performance.now();
  await Promise.all(
    users.map(async (user) => {
      while (next < total) {
        const i = next++;
        const id = `bench-${bot}-${run}-${i}`;
        const conversation = conversationOf(user);
        let timer: NodeJS.Timeout | undefined;
        const card = new Promise<number>((resolveCard) => {
          pending.set(id, { conversation, resolve: resolveCard });
          timer = setTimeout(() => resolveCard(-1), CARD_TIMEOUT_IN_MS);
        });
        const body = messageBody(connector.serviceUrl, user, id);
        const sent = performance.now();
        const [status, arrived] = await Promise.all([post(body), card]);
        clearTimeout(timer);
        pending.delete(id);
        if (status !== 200 || arrived < 0) {
          errors++;
          const reason = status !== 200 ? `HTTP ${status}` : 'no card within 30 s';
          errorReasons[reason] = (errorReasons[reason] ?? 0) + 1;
        } else latencies.push(arrived - sent);
        done++;
      }
    }),
  );
  const wallInMs = performance.now() - t0;
  clearInterval(tick);
  progress.update(total);
  return { latencies, errors, errorReasons, mismatches, wallInMs };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

// ---------------------------------------------------------------------------------------------- one bot

interface Stack {
  readonly entra: EntraEmulator;
  readonly graph: GraphEmulator;
  readonly connector: LoadConnector;
  readonly port: number;
  readonly users: readonly LocalUser[];
  readonly signingSecret: string;
}

function botLaunch(bot: BotName, stack: Stack): { script: string; env: Record<string, string>; nodeArgs: string[] } {
  const port = String(stack.port);
  // --profile writes a V8 CPU profile per bot process (open it in Chrome DevTools or speedscope for a flame graph).
  const profileArgs = opts.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(RESULTS, 'profiles')] : [];
  switch (bot) {
    case 'framework':
      return {
        script: resolve(DIST, 'bench/bots/framework-floor.bundle.js'),
        env: { PORT: port },
        nodeArgs: profileArgs,
      };
    case 'io':
      return {
        script: resolve(DIST, 'bench/bots/io-floor.bundle.js'),
        env: {
          PORT: port,
          GRAPH_BASE_URL: stack.graph.baseUrl,
          ENTRA_URL: stack.entra.url,
          TENANT_ID: LOCAL_TENANT_ID,
          CLIENT_ID: LOCAL_CLIENT_ID,
          CLIENT_SECRET: LOCAL_CLIENT_SECRET,
          USER_OID: stack.users[0]!.aadObjectId,
        },
        nodeArgs: profileArgs,
      };
    case 'convene':
      return {
        script: resolve(DIST, 'convene.js'),
        // The runtime contract (design.md §6), pointed at the stand-ins.
        env: {
          PORT: port,
          BOT_ENDPOINT: `http://127.0.0.1:${port}`,
          BOT_ID: '',
          AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
          AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
          AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
          AAD_APP_OAUTH_AUTHORITY_HOST: stack.entra.url,
          GRAPH_BASE_URL: stack.graph.baseUrl,
          SIGNING_SECRET: stack.signingSecret,
          LOG_LEVEL: 'error',
          LOG_FORMAT: 'json',
        },
        nodeArgs: profileArgs,
      };
  }
}

async function signInAll(stack: Stack, baseUrl: string): Promise<void> {
  const signer = new SignedTokens(stack.signingSecret, { now: () => Date.now() });
  let next = 0;
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      while (next < stack.users.length) {
        const user = stack.users[next++]!;
        const token = signer.sign({ o: user.aadObjectId, t: LOCAL_TENANT_ID }, 60_000);
        const outcome = await completeSignInLink(`${baseUrl}/auth/start?t=${encodeURIComponent(token)}`, user);
        if (outcome.status !== 200)
          throw new Error(`sign-in of ${user.upn} failed: ${outcome.status} ${outcome.page.slice(0, 300)}`);
      }
    }),
  );
}

async function benchBot(bot: BotName, stack: Stack): Promise<BotResult> {
  stack.graph.reset();
  stack.graph.setLatency(GRAPH_LATENCY);
  const launch = botLaunch(bot, stack);
  const baseUrl = `http://127.0.0.1:${stack.port}`;
  // One start varies by ±20 % on a shared machine: start to healthy is the median of START_SAMPLES starts.
  const starts: number[] = [];
  for (let i = 1; i < START_SAMPLES; i++)
    starts.push(await timedStart(launch.script, launch.env, `${baseUrl}/healthz`));
  const t0 = performance.now();
  const child = spawnBot(launch.script, launch.env, launch.nodeArgs);
  let peakKb = 0;
  const sample = (): ProcSample | undefined => {
    const s = sampleProc(child.pid);
    if (s) peakKb = Math.max(peakKb, s.hwmKb);
    return s;
  };
  const sampler = setInterval(sample, 100);
  // One keep-alive connection per user for warm-up and load, as the Bot Connector keeps its connections to a bot.
  // A fresh pool for the measured run made its first 50 requests open 50 connections at once, and Convene's p99
  // then measured that burst (0.3–1.9 s outliers), not the steady state.
  const agent = new http.Agent({ keepAlive: true, maxSockets: stack.users.length });
  try {
    starts.push(await waitHealthy(child, `${baseUrl}/healthz`, t0));
    starts.sort((a, b) => a - b);
    if (bot === 'convene') {
      process.stderr.write(`  convene: signing in ${stack.users.length} users through the link flow\n`);
      await signInAll(stack, baseUrl);
    }
    const connectionsAtStart = stack.connector.stats.connections;
    const tokensBefore = stack.entra.tokenRequests.length;
    const graphBefore = stack.graph.requests.length;
    const meetingsBefore = stack.graph.meetings.length;
    if (WARMUP > 0) {
      const warm = await driveLoad(
        bot,
        agent,
        `${baseUrl}/api/messages`,
        stack.connector,
        stack.users,
        WARMUP,
        `${bot} warm-up`,
        () => undefined,
      );
      if (warm.errors > 0) throw new Error(`${bot}: ${warm.errors} errors during warm-up:\n${child.output()}`);
    }
    const procBefore = sample();
    const cpuBefore = process.cpuUsage();
    const typingBefore = stack.connector.stats.typing;
    const load = await driveLoad(
      bot,
      agent,
      `${baseUrl}/api/messages`,
      stack.connector,
      stack.users,
      COMMANDS,
      bot,
      () => undefined,
    );
    const cpuDriver = process.cpuUsage(cpuBefore);
    const procAfter = sample();
    const sent = WARMUP + COMMANDS;
    const tokenCalls = stack.entra.tokenRequests.length - tokensBefore;
    const graphCalls = stack.graph.requests.length - graphBefore;
    const meetings = stack.graph.meetings.length - meetingsBefore;
    const sorted = [...load.latencies].sort((a, b) => a - b);
    const botSeconds = (procAfter?.cpuSeconds ?? NaN) - (procBefore?.cpuSeconds ?? NaN);
    return {
      bot,
      startToHealthyInMs: round(percentile(starts, 50)),
      startsToHealthyInMs: starts.map((ms) => round(ms)),
      commands: COMMANDS,
      errors: load.errors,
      errorReasons: load.errorReasons,
      botOutputTail: child.output().slice(-1500),
      wallInMs: round(load.wallInMs),
      throughputPerSec: round((COMMANDS - load.errors) / (load.wallInMs / 1000)),
      latencyInMs: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? NaN),
        mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
      },
      graphCallsPerMeeting: meetings > 0 ? round(graphCalls / meetings, 3) : null,
      meetingsCreated: meetings,
      tokenCallsPerCommand: round(tokenCalls / sent, 4),
      tokenCallsAfterSignIn: tokenCalls,
      peakRssInMb: round(peakKb / 1024, 1),
      cpu: {
        botSeconds: round(botSeconds, 2),
        driverSeconds: round((cpuDriver.user + cpuDriver.system) / 1e6, 2),
        botMsPerCommand: round((botSeconds * 1000) / COMMANDS, 3),
        wallSeconds: round(load.wallInMs / 1000, 2),
      },
      connector: {
        // Connections the bot opened to the connector stand-in over warm-up and load (keep-alive keeps this small).
        connections: stack.connector.stats.connections - connectionsAtStart,
        typing: stack.connector.stats.typing - typingBefore,
        conversationMismatches: load.mismatches,
      },
    };
  } finally {
    clearInterval(sampler);
    agent.destroy();
    sample();
    await stopBot(child);
  }
}

/** Starts the bot, waits until /healthz answers 200, stops it; the time to healthy. */
async function timedStart(script: string, env: Record<string, string>, healthUrl: string): Promise<number> {
  const t0 = performance.now();
  const child = spawnBot(script, env);
  try {
    return await waitHealthy(child, healthUrl, t0);
  } finally {
    await stopBot(child);
  }
}

/**
 * The round with the median throughput, whole: its latencies, CPU and RSS belong together (a per-column median would
 * mix rounds). Every round is in the JSON report.
 */
function medianRound(results: readonly BotResult[]): BotResult {
  const sorted = [...results].sort((a, b) => a.throughputPerSec - b.throughputPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function fmtLoad(l: readonly number[]): string {
  return l.map((x) => x.toFixed(2)).join('/');
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------- compose

interface ComposeResult {
  readonly graphLatencyInMs: number;
  readonly p50InMs: number | null;
  readonly p95InMs: number | null;
  readonly p99InMs: number | null;
  readonly output: string;
  readonly exitCode: number | null;
}

/** Reuses the colleague's bench/compose-submit.ts (built), Graph stand-in at 800 ms; parses its p-lines. */
async function composeSubmit(): Promise<ComposeResult> {
  process.stderr.write('  compose-extension submit (bench/compose-submit.ts, Graph at 800 ms)\n');
  const child = spawnBot(resolve(DIST, 'bench/compose-submit.js'), {}, []);
  const code = await new Promise<number | null>((r) => child.proc.once('exit', (c) => r(c)));
  const out = child.output();
  const ms = (name: string): number | null => {
    const m = new RegExp(`${name} (\\d+) ms`).exec(out);
    return m ? Number(m[1]) : null;
  };
  return {
    graphLatencyInMs: 800,
    p50InMs: ms('p50'),
    p95InMs: ms('p95'),
    p99InMs: ms('p99'),
    output: out.trim(),
    exitCode: code,
  };
}

// ---------------------------------------------------------------------------------------------- report

function table(results: readonly BotResult[], compose: ComposeResult | undefined): string {
  const by = (b: BotName) => results.find((r) => r.bot === b);
  const c = by('convene');
  const io = by('io');
  const fw = by('framework');
  const rows: [string, (r: BotResult) => number | string | null, 'higher' | 'lower' | 'none'][] = [
    ['throughput (commands/s)', (r) => r.throughputPerSec, 'higher'],
    ['latency p50 (ms)', (r) => r.latencyInMs.p50, 'lower'],
    ['latency p95 (ms)', (r) => r.latencyInMs.p95, 'lower'],
    ['latency p99 (ms)', (r) => r.latencyInMs.p99, 'lower'],
    ['errors', (r) => r.errors, 'none'],
    ['Graph calls per meeting', (r) => r.graphCallsPerMeeting, 'none'],
    ['token calls per command', (r) => r.tokenCallsPerCommand, 'none'],
    ['peak RSS of bot (MB)', (r) => r.peakRssInMb, 'lower'],
    ['CPU s, bot process', (r) => r.cpu.botSeconds, 'lower'],
    ['CPU ms per command, bot', (r) => r.cpu.botMsPerCommand, 'lower'],
    ['CPU s, driver+stand-ins', (r) => r.cpu.driverSeconds, 'none'],
    ['wall s (load phase)', (r) => r.cpu.wallSeconds, 'none'],
    ['start to healthy (ms)', (r) => r.startToHealthyInMs, 'lower'],
    [
      'start to healthy, fastest–slowest (ms)',
      (r) => `${r.startsToHealthyInMs[0]}–${r.startsToHealthyInMs.at(-1)}`,
      'none',
    ],
    ['connector TCP connections', (r) => r.connector.connections, 'none'],
  ];
  const header = ['metric', 'framework floor', 'I/O floor', 'Convene', 'Convene/I-O', 'Convene/framework'];
  const fmt = (n: number | string | null | undefined): string =>
    n === null || n === undefined || Number.isNaN(n) ? '–' : String(n);
  const ratio = (a: number | string | null | undefined, b: number | string | null | undefined): string =>
    typeof a !== 'number' || typeof b !== 'number' || b === 0 || Number.isNaN(a) || Number.isNaN(b)
      ? '–'
      : `${(a / b).toFixed(2)}×`;
  const lines: string[][] = rows.map(([name, get, kind]) => {
    const [f, i, cv] = [fw, io, c].map((r) => (r ? get(r) : undefined));
    return [name, fmt(f), fmt(i), fmt(cv), kind === 'none' ? '' : ratio(cv, i), kind === 'none' ? '' : ratio(cv, f)];
  });
  if (compose) lines.push(['compose submit p99 @ Graph 800 ms (ms)', '', '', fmt(compose.p99InMs), '', '']);
  const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  const row = (cells: string[]) =>
    `| ${cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join(' | ')} |`;
  return [
    row(header),
    `|${widths.map((w, k) => (k === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...lines.map(row),
  ].join('\n');
}

interface Target {
  readonly name: string;
  readonly value: string;
  readonly met: boolean;
}

function targets(results: readonly BotResult[], compose: ComposeResult | undefined): Target[] {
  const c = results.find((r) => r.bot === 'convene');
  const io = results.find((r) => r.bot === 'io');
  const out: Target[] = [];
  if (c && io) {
    const t = c.throughputPerSec / io.throughputPerSec;
    const p50 = c.latencyInMs.p50 / io.latencyInMs.p50;
    const p99 = c.latencyInMs.p99 / io.latencyInMs.p99;
    out.push({ name: 'throughput ≥ 0.9× I/O floor', value: `${t.toFixed(2)}×`, met: t >= 0.9 });
    out.push({ name: 'p50 ≤ 1.15× I/O floor', value: `${p50.toFixed(2)}×`, met: p50 <= 1.15 });
    out.push({ name: 'p99 ≤ 1.5× I/O floor', value: `${p99.toFixed(2)}×`, met: p99 <= 1.5 });
  }
  if (c) {
    out.push({
      name: 'token-endpoint calls per command after sign-in = 0',
      value: String(c.tokenCallsPerCommand),
      met: c.tokenCallsAfterSignIn === 0,
    });
    out.push({
      name: 'Graph calls per meeting = 1.0',
      value: String(c.graphCallsPerMeeting),
      met: c.graphCallsPerMeeting === 1,
    });
    out.push({ name: 'peak RSS ≤ 150 MB', value: `${c.peakRssInMb} MB`, met: c.peakRssInMb <= 150 });
    out.push({
      name: 'start to healthy ≤ 1 s',
      value: `${c.startToHealthyInMs} ms`,
      met: c.startToHealthyInMs <= 1000,
    });
    out.push({ name: 'no errors', value: String(c.errors), met: c.errors === 0 });
  }
  if (compose) {
    out.push({
      name: 'compose submit p99 ≤ 1.5 s @ Graph 800 ms',
      value: `${compose.p99InMs} ms`,
      met: compose.p99InMs !== null && compose.p99InMs <= 1500,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const certs = ensureLocalCertificates(resolve(ROOT, '.local/certs'));
  const port = await freePort();
  const users = benchUsers(USERS);
  const entra = await startEntraEmulator({
    tls: certs,
    users: [...LOCAL_USERS, ...users],
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [`http://127.0.0.1:${port}/auth/callback`] }],
  });
  const graph = await startGraphEmulator({ jwksUrl: entra.jwksUri });
  const connector = await startLoadConnector();
  const stack: Stack = { entra, graph, connector, port, users, signingSecret: randomBytes(32).toString('hex') };
  mkdirSync(RESULTS, { recursive: true });
  for (const floor of ['framework-floor', 'io-floor']) {
    await bundle(resolve(ROOT, `bench/bots/${floor}.ts`), resolve(DIST, `bench/bots/${floor}.bundle.js`));
  }
  const machine = {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageAtStart: loadavg(),
  };
  process.stderr.write(
    `bench: ${USERS} users × ${COMMANDS} commands (+${WARMUP} warm-up), Graph latency ${GRAPH_LATENCY} ms, bots: ${BOTS.join(', ')}; ` +
      `${machine.nproc} × ${machine.cpuModel}, node ${machine.node}\n`,
  );

  // The bots take turns round by round, so a busy spell on the machine hits all of them rather than one.
  const rounds = new Map<BotName, BotResult[]>(BOTS.map((b) => [b, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) process.stderr.write(`round ${round}/${ROUNDS}\n`);
      for (const bot of BOTS) rounds.get(bot)!.push(await benchBot(bot, stack));
    }
  } finally {
    await connector.close();
    await graph.close();
    await entra.close();
  }
  const compose =
    !opts['no-compose'] && (ONLY.length === 0 || ONLY.includes('convene')) ? await composeSubmit() : undefined;

  const results = BOTS.map((bot) => medianRound(rounds.get(bot)!));
  const printed = table(results, compose);
  const verdicts = targets(results, compose);
  const report = {
    at: new Date().toISOString(),
    // Other processes on the machine skew absolute numbers; the load average shows how busy it was.
    machine: { ...machine, loadAverageAtEnd: loadavg() },
    options: {
      users: USERS,
      commands: COMMANDS,
      warmup: WARMUP,
      rounds: ROUNDS,
      graphLatencyInMs: GRAPH_LATENCY,
      bots: BOTS,
    },
    results,
    allRounds: Object.fromEntries(rounds),
    compose,
    targets: verdicts,
    table: printed,
  };
  writeFileSync(resolve(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `\nConvene benchmark: ${USERS} users, ${COMMANDS} commands, ${ROUNDS} round(s) (each row: the bot's median round by throughput), Graph latency ${GRAPH_LATENCY} ms; ${machine.nproc} × ${machine.cpuModel}, node ${machine.node}`,
  );
  console.log(
    `load average (1/5/15 min) at start ${fmtLoad(machine.loadAverageAtStart)}, at end ${fmtLoad(loadavg())}\n`,
  );
  console.log(printed);
  if (verdicts.length > 0) {
    console.log('\nTargets:');
    for (const t of verdicts) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.name}: ${t.value}`);
  }
  console.log(`\nwritten to ${resolve(RESULTS, 'latest.json')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
