import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Graceful shutdown (SIGTERM), resolves when the process has exited. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, to simulate an outage; resolves when the process has exited. */
  kill(): Promise<void>;
  /** Starts a fresh, empty server on the same port (after stop() or kill(); stops a running one first). */
  restart(): Promise<void>;
}

export interface StartRedisServerOptions {
  /** Default: a free loopback port. */
  readonly port?: number;
  /** `requirepass`, to test URLs that carry a password. */
  readonly password?: string;
  /** How long to wait for the server to answer PING. Default 5000. */
  readonly startTimeoutInMs?: number;
}

/** Servers still running when the test process exits are killed, so no redis-server outlives a mocha run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

const INSTALL_HINT = 'run `scripts/ensure-system-deps.sh redis` (as root) or `apt-get install -y redis-server`';

/**
 * Spawns Debian's `redis-server` on 127.0.0.1 with no persistence and waits until it answers PING.
 * Throws a clear error if `redis-server` is not installed. Always call stop() in `after()`.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = findRedisServer();
  const port = options.port ?? (await freePort());
  const startTimeoutInMs = options.startTimeoutInMs ?? 5000;
  const password = options.password;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ];
    args.push('--loglevel', 'warning', '--logfile', '');
    if (password !== undefined) args.push('--requirepass', password);
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<never>((_, reject) => {
      proc.once('exit', (code, signal) =>
        reject(
          new Error(
            `redis-server on port ${port} exited during start-up (code ${code}, signal ${signal}): ${stderr.trim()}`,
          ),
        ),
      );
      proc.once('error', reject);
    });
    exited.catch(() => undefined); // observed through Promise.race below; avoids an unhandled rejection later.
    await Promise.race([waitForPong(port, password, startTimeoutInMs), exited]);
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGTERM');
      await launch();
    },
  };
}

/** Path of the redis-server binary, or a clear error saying how to install it. */
export function findRedisServer(): string {
  const found = spawnSync('/bin/sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`redis-server is not installed (not found on PATH); ${INSTALL_HINT}`);
  }
  return path;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPong(port: number, password: string | undefined, timeoutInMs: number): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  let lastReason = 'no attempt';
  while (Date.now() < deadline) {
    lastReason = await pingOnce(port, password);
    if (lastReason === 'ok') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING within ${timeoutInMs} ms (${lastReason})`);
}

/** One raw RESP PING (with AUTH first when a password is set); resolves 'ok' or the reason it failed. */
function pingOnce(port: number, password: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const finish = (reason: string): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(500, () => finish('timeout'));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.once('connect', () => {
      const auth = password === undefined ? '' : `AUTH ${password}\r\n`;
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('+PONG')) finish('ok');
      else if (reply.includes('-')) finish(reply.trim());
    });
  });
}
