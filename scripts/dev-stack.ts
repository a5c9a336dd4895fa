/**
 * The local development stack behind `npm run dev`, also used by the browser end-to-end tests:
 *   Entra stand-in (https, local CA) and Graph stand-in in this process,
 *   Convene from TypeScript as a child process (`node --import tsx src/index.ts`, so NODE_EXTRA_CA_CERTS is set at
 *   its start, design.md §7 "Local CA"),
 *   the Microsoft 365 Agents Playground as a child process (optional).
 *
 * This process must trust the local CA itself: the Graph stand-in fetches the Entra stand-in's JWKS over https.
 * `scripts/dev.ts` re-launches itself with NODE_EXTRA_CA_CERTS when it is missing; tests get it from the npm script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from '../emulators/entra';
import { LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, LOCAL_TENANT_ID } from '../emulators/fixtures';
import { startGraphEmulator, type GraphEmulator } from '../emulators/graph';
import { ensureLocalCertificates } from '../emulators/tls/local-ca';

export const REPO_ROOT = resolve(__dirname, '..');

export type StackSource = 'convene' | 'playground';

export interface DevStackOptions {
  /** Start the Agents Playground (default true). */
  readonly playground?: boolean;
  /** Delay the Graph stand-in adds to every request. */
  readonly graphLatencyInMs?: number;
  /** Convene's port if it is free, else any free one (default 3978). */
  readonly preferredPort?: number;
  /** The Playground's port if it is free, else any free one (default 56150). */
  readonly preferredPlaygroundPort?: number;
  /** Where the children's output goes, one line at a time (default: this process's stdout, prefixed). */
  readonly onOutput?: (source: StackSource, line: string) => void;
  /** Extra environment for Convene (after the stack's own, so it can override them). */
  readonly conveneEnv?: Readonly<Record<string, string>>;
  /** How long to wait for Convene's /healthz and the Playground's `Listening on` (default 60 000). */
  readonly startTimeoutInMs?: number;
}

export interface DevStack {
  /** Convene's base URL (BOT_ENDPOINT), `http://localhost:<port>`. */
  readonly conveneUrl: string;
  readonly port: number;
  /** `${conveneUrl}/api/messages`. */
  readonly messagesUrl: string;
  /** The Playground's URL to open in a browser; undefined with `playground: false`. */
  readonly playgroundUrl: string | undefined;
  readonly entra: EntraEmulator;
  readonly graph: GraphEmulator;
  /** The environment Convene was started with (secrets included: don't print it). */
  readonly conveneEnv: Readonly<Record<string, string>>;
  /** Stops the Playground, Convene and the stand-ins. Idempotent; never rejects. */
  stop(): Promise<void>;
  /** Resolves when a child exits on its own (it crashed, or someone killed it), with its name and exit code. */
  readonly childExited: Promise<{ source: StackSource; code: number | null; signal: NodeJS.Signals | null }>;
}

const CHILD_STOP_GRACE_IN_MS = 5_000;

/** Children still running when this process exits are killed, so a crashed launcher or test run leaves no orphans. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts everything; on any failure, stops what was started and rethrows. */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const onOutput = options.onOutput ?? defaultOutput;
  const startTimeoutInMs = options.startTimeoutInMs ?? 60_000;
  const cleanups: (() => Promise<void>)[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => onOutput('convene', `dev-stack: cleanup failed: ${messageOf(error)}`));
    }
  };

  try {
    const certs = ensureLocalCertificates(resolve(REPO_ROOT, '.local/certs'));
    const port = await portOrFree(options.preferredPort ?? 3978);
    const conveneUrl = `http://localhost:${port}`;

    const entra = await startEntraEmulator({
      tls: certs,
      clients: [{ ...DEFAULT_CLIENT, redirectUris: [`${conveneUrl}/auth/callback`] }],
    });
    cleanups.push(() => entra.close());
    const graph = await startGraphEmulator({ jwksUrl: entra.jwksUri });
    cleanups.push(() => graph.close());
    if (options.graphLatencyInMs) graph.setLatency(options.graphLatencyInMs);

    const conveneEnv: Record<string, string> = {
      PORT: String(port),
      BOT_ENDPOINT: conveneUrl,
      BOT_ID: '',
      AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
      AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
      AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
      AAD_APP_OAUTH_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.baseUrl,
      TEAMS_SSO: 'false',
      // The Agents Playground (0.2.28) can't show a botMessagePreview ("not supported yet"): insert the card into the
      // compose box instead, so the action command works end to end locally. Production keeps the preview.
      COMPOSE_SUBMIT_RESULT: 'insert',
      LOG_FORMAT: 'pretty',
      SIGNING_SECRET: randomBytes(32).toString('hex'),
      ...options.conveneEnv,
    };
    const exits: Promise<{ source: StackSource; code: number | null; signal: NodeJS.Signals | null }>[] = [];

    // One node process running the TypeScript directly (tsx's loader), so signals reach Convene itself.
    const convene = spawnChild(
      'convene',
      process.execPath,
      ['--import', 'tsx', 'src/index.ts'],
      {
        ...process.env,
        NODE_EXTRA_CA_CERTS: certs.caPath,
        ...conveneEnv,
      },
      onOutput,
    );
    cleanups.push(() => stopChild(convene));
    exits.push(exitOf('convene', convene));
    await waitForHealthy(`${conveneUrl}/healthz`, convene, startTimeoutInMs);

    let playgroundUrl: string | undefined;
    if (options.playground !== false) {
      const playgroundPort = await portOrFree(options.preferredPlaygroundPort ?? 56150);
      // BOT_ENDPOINT would be read as the messages URL (design.md §7): pass -e and drop it from the environment.
      const env = {
        ...withoutKeys(process.env, ['BOT_ENDPOINT', 'TEAMSAPPTESTER_PORT', 'M365_AGENTS_PLAYGROUND_SERVICE_URL']),
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      };
      const cli = resolve(REPO_ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');
      const args = [
        cli,
        '-e',
        `${conveneUrl}/api/messages`,
        '-c',
        'msteams',
        '-p',
        String(playgroundPort),
        '--disable-telemetry',
      ];
      let listening: ((port: number) => void) | undefined;
      const heard = new Promise<number>((resolve) => {
        listening = resolve;
      });
      const playground = spawnChild('playground', process.execPath, args, env, (source, line) => {
        // It falls back to a random port when ours is taken, so its own words are the truth.
        const match = /Listening on (\d+)/.exec(line);
        if (match?.[1]) listening?.(Number(match[1]));
        onOutput(source, line);
      });
      cleanups.push(() => stopChild(playground));
      exits.push(exitOf('playground', playground));
      const actualPort = await withTimeout(
        Promise.race([
          heard,
          exitOf('playground', playground).then(() =>
            Promise.reject(
              new Error('the Agents Playground exited during start-up (see devTools/m365agentsplayground.log)'),
            ),
          ),
        ]),
        startTimeoutInMs,
        'the Agents Playground did not print "Listening on <port>"',
      );
      playgroundUrl = `http://localhost:${actualPort}`;
      await waitForOk(`${playgroundUrl}/_debug/ping`, startTimeoutInMs);
    }

    return {
      conveneUrl,
      port,
      messagesUrl: `${conveneUrl}/api/messages`,
      playgroundUrl,
      entra,
      graph,
      conveneEnv,
      stop,
      childExited: Promise.race(exits),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function defaultOutput(source: StackSource, line: string): void {
  process.stdout.write(`${source === 'convene' ? 'convene    │' : 'playground │'} ${line}\n`);
}

function spawnChild(
  source: StackSource,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onOutput: (source: StackSource, line: string) => void,
): ChildProcess {
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', (error) => onOutput(source, `failed to start: ${error.message}`));
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => onOutput(source, line));
  }
  return child;
}

function exitOf(
  source: StackSource,
  child: ChildProcess,
): Promise<{ source: StackSource; code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ source, code: child.exitCode, signal: child.signalCode });
  }
  return once(child, 'exit').then(([code, signal]) => ({
    source,
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the child has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_GRACE_IN_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function waitForHealthy(url: string, child: ChildProcess, timeoutInMs: number): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Convene exited during start-up (code ${child.exitCode}, signal ${child.signalCode}); its output is above`,
      );
    }
    if (await isOk(url)) return;
    await sleep(150);
  }
  throw new Error(`Convene did not answer 200 on ${url} within ${timeoutInMs} ms`);
}

async function waitForOk(url: string, timeoutInMs: number): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (Date.now() < deadline) {
    if (await isOk(url)) return;
    await sleep(150);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutInMs} ms`);
}

async function isOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch (error) {
    // Not listening yet (ECONNREFUSED) or slow: the caller polls until its deadline.
    if (error instanceof Error) return false;
    throw error;
  }
}

/** `preferred` when nothing listens on it (any interface), else a free port the OS picks. */
export async function portOrFree(preferred: number): Promise<number> {
  if (await canListen(preferred)) return preferred;
  return freePort();
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function withoutKeys(env: NodeJS.ProcessEnv, keys: readonly string[]): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of keys) delete copy[key];
  return copy;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
