import { composeApp } from './composition-root';
import { ConfigError, loadConfigFromProcess } from './config/config';
import { createLogger } from './logging/logger';

const SHUTDOWN_GRACE_IN_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromProcess();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`convene: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty });
  const app = await composeApp(config, {
    logger,
    teamsJsPath: require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'),
  });
  if (config.bot.unauthenticated && config.bot.allowUnauthenticatedRemote) {
    logger.warn(
      'BOT_ID is empty and ALLOW_UNAUTHENTICATED_BOT=true: /api/messages is NOT authenticated and answers anyone who reaches it.',
    );
  } else if (config.bot.unauthenticated) {
    logger.warn(
      'BOT_ID is empty: requests to /api/messages are NOT authenticated; only callers on this machine are answered.',
    );
  }
  app.http.server.listen(config.port, () => {
    // The Node version in the log shows which runtime `npm start` found first on PATH (README "Node").
    const storage = config.redisUrl ? 'redis' : 'memory';
    logger.info(
      { port: config.port, endpoint: config.bot.endpoint, storage, node: process.version },
      'Convene is listening',
    );
  });

  installHeapProbe();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight turns');
    const timer = setTimeout(() => {
      logger.warn('shutdown grace period over; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_IN_MS);
    timer.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        logger.error({ err: e instanceof Error ? { name: e.name, message: e.message } : undefined }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The soak run (bench/soak.ts) starts Convene with `--expose-gc` and an IPC channel and asks for the heap after a
 * forced GC. Without both (every ordinary start) nothing is installed.
 */
function installHeapProbe(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const send = process.send?.bind(process);
  if (typeof gc !== 'function' || !send) return;
  process.on('message', (message: unknown) => {
    if (message !== 'heap') return;
    gc();
    const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
    send({ heap: { heapUsed, heapTotal, rss, external } });
  });
  // The IPC channel must not keep a stopping process alive.
  process.channel?.unref();
}

main().catch((e: unknown) => {
  process.stderr.write(`convene: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
