/**
 * Runs a command with a throw-away redis-server and REDIS_URL pointing at it, then stops the server.
 *   SIGNING_SECRET=$(openssl rand -hex 32) npx tsx scripts/with-redis.ts -- node dist/convene.js  (Convene needs one with Redis)
 *   npx tsx scripts/with-redis.ts -- npx mocha test/integration/storage/redis-store.test.ts
 * Exits with the command's exit code. Needs Debian's redis-server (scripts/ensure-system-deps.sh redis).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { startRedisServer } from '../test/support/redis-server';

async function main(): Promise<number> {
  const separator = process.argv.indexOf('--');
  const [command, ...args] = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  if (command === undefined) {
    console.error('usage: tsx scripts/with-redis.ts -- <command> [args...]');
    return 2;
  }

  const redis = await startRedisServer();
  console.error(`with-redis: redis-server listening at ${redis.url}`);
  try {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, REDIS_URL: redis.url } });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  } finally {
    await redis.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`with-redis: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
