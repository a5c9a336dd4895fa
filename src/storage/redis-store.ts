import { randomUUID } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import type { Logger } from '../logging/logger';
import { AppError } from '../meetings/errors';
import type { IdGenerator } from '../meetings/ports';
import type { KeyValueStore, Versioned } from './storage';

export interface RedisStoreOptions {
  /** `redis://[:password@]host[:port][/db]` or `rediss://…`. The password is never logged nor put in an error. */
  readonly url: string;
  /** Prepended to every key, e.g. `convene:` so several apps can share one Redis. */
  readonly keyPrefix?: string;
  /** Start-up budget: TCP connect, AUTH and the ready check must finish within it. Default 2000. */
  readonly connectTimeoutInMs?: number;
  /** A command that gets no reply within this time fails with storage_unavailable. Default 1000. */
  readonly commandTimeoutInMs?: number;
  /** Upper bound of the back-off between reconnection attempts after an outage. Default 1000. */
  readonly maxReconnectDelayInMs?: number;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** Etag source; defaults to random UUIDs. Etags must not be empty. */
  readonly idGenerator?: IdGenerator;
}

/** Each key is a hash: `e` holds the etag, `v` the JSON value. */
const ETAG_FIELD = 'e';
const VALUE_FIELD = 'v';

/**
 * KEYS[1] key; ARGV: etag, json, ttl ('' = no expiry).
 * Unconditional write that also clears a previous TTL when none is given.
 */
const SET_SCRIPT = `
redis.call('HSET', KEYS[1], '${ETAG_FIELD}', ARGV[1], '${VALUE_FIELD}', ARGV[2])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return ARGV[1]
`;

/**
 * KEYS[1] key; ARGV: mode ('absent' | 'match'), expected etag, new etag, json, ttl ('' = no expiry).
 * Returns the new etag, or false (nil) when the precondition fails. If the key already carries the new etag the
 * write is ours (a resent command whose first reply was lost), so it reports success again.
 */
const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('HGET', KEYS[1], '${ETAG_FIELD}')
if current == ARGV[3] then return ARGV[3] end
if ARGV[1] == 'absent' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return false end
elseif current ~= ARGV[2] then
  return false
end
redis.call('HSET', KEYS[1], '${ETAG_FIELD}', ARGV[3], '${VALUE_FIELD}', ARGV[4])
if ARGV[5] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[5]) else redis.call('PERSIST', KEYS[1]) end
return ARGV[3]
`;

interface ScriptCommands {
  conveneSet(key: string, etag: string, json: string, ttl: string): Promise<string>;
  conveneCompareAndSet(
    key: string,
    mode: 'absent' | 'match',
    expectedEtag: string,
    etag: string,
    json: string,
    ttl: string,
  ): Promise<string | null>;
}

type ScriptedRedis = Redis & ScriptCommands;

/** ioredis re-exports redis-errors' ReplyError (an error reply from the server) typed as `any`. */
const RedisReplyError = ReplyError as unknown as abstract new (...args: never[]) => Error;

interface RedisStoreParts {
  readonly client: ScriptedRedis;
  readonly endpoint: string;
  readonly keyPrefix: string;
  readonly idGenerator: IdGenerator;
  readonly logger: Pick<Logger, 'info' | 'warn'> | undefined;
}

/**
 * Redis error replies whose first word (the protocol's error code) means "try again later", not "your command is
 * wrong". https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors
 */
const TRANSIENT_REPLY_CODES = new Set([
  'LOADING',
  'BUSY',
  'OOM',
  'MASTERDOWN',
  'READONLY',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'NOAUTH',
  'WRONGPASS',
]);

/**
 * KeyValueStore over Redis (ioredis), shared by every instance behind one bot registration.
 *
 * - Each write gets a fresh etag; compareAndSet runs as one Lua script, so exactly one of several concurrent
 *   writers with the same expected etag wins.
 * - While Redis is unreachable every method rejects quickly with AppError `storage_unavailable` (no offline
 *   queue, no retries per request, a command timeout); the client keeps reconnecting in the background and the
 *   same store works again once Redis is back.
 *
 * Create it with {@link connectRedisStore}, which fails fast when Redis can't be reached at start-up.
 */
export class RedisStore implements KeyValueStore {
  private closed = false;
  private readonly client: ScriptedRedis;
  private readonly endpoint: string;
  private readonly keyPrefix: string;
  private readonly idGenerator: IdGenerator;
  private readonly logger: Pick<Logger, 'info' | 'warn'> | undefined;

  /** Use {@link connectRedisStore}: it configures and connects the client this wraps. */
  private constructor(parts: RedisStoreParts) {
    this.client = parts.client;
    this.endpoint = parts.endpoint;
    this.keyPrefix = parts.keyPrefix;
    this.idGenerator = parts.idGenerator;
    this.logger = parts.logger;
  }

  /** @internal Used by {@link connectRedisStore}. */
  static fromConnectedClient(parts: RedisStoreParts): RedisStore {
    return new RedisStore(parts);
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const [etag, json] = await this.run('get', () => this.client.hmget(this.k(key), ETAG_FIELD, VALUE_FIELD));
    if (etag == null || json == null) return undefined;
    return { value: JSON.parse(json) as T, etag };
  }

  async compareAndSet<T>(
    key: string,
    value: T,
    expectedEtag: string | null,
    ttlInMs?: number,
  ): Promise<string | undefined> {
    const json = toJson(value);
    const ttl = toTtlArg(ttlInMs);
    const etag = this.newEtag();
    const mode = expectedEtag === null ? 'absent' : 'match';
    const result = await this.run('compareAndSet', () =>
      this.client.conveneCompareAndSet(this.k(key), mode, expectedEtag ?? '', etag, json, ttl),
    );
    return result ?? undefined;
  }

  async set<T>(key: string, value: T, ttlInMs?: number): Promise<string> {
    const json = toJson(value);
    const ttl = toTtlArg(ttlInMs);
    const etag = this.newEtag();
    return this.run('set', () => this.client.conveneSet(this.k(key), etag, json, ttl));
  }

  async delete(key: string): Promise<void> {
    await this.run('delete', () => this.client.del(this.k(key)));
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.ping());
  }

  /** Closes the connection (QUIT when connected, otherwise drops it) and stops reconnecting. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch (error) {
        // QUIT raced a dropped connection; drop it locally below, there is nothing left to flush.
        this.logger?.warn({ redis: this.endpoint, error: safeErrorSummary(error) }, 'Redis QUIT failed; disconnecting');
      }
    }
    this.client.disconnect();
  }

  private k(key: string): string {
    return this.keyPrefix + key;
  }

  private newEtag(): string {
    const etag = this.idGenerator.newId();
    if (etag === '') throw new Error('RedisStore: the idGenerator returned an empty etag');
    return etag;
  }

  private async run<R>(operation: string, command: () => Promise<R>): Promise<R> {
    if (this.closed) {
      throw new AppError('storage_unavailable', 503, 'Storage is closed.', { details: { operation } });
    }
    try {
      return await command();
    } catch (error) {
      throw redisFailure(error, operation, this.endpoint);
    }
  }
}

/**
 * Connects to Redis and resolves once it answers, or rejects within `connectTimeoutInMs` with AppError
 * `storage_unavailable` whose message names host:port (never the password). There is no retry loop at start-up:
 * a wrong REDIS_URL should stop the process, not hang it. After a successful start the client reconnects by
 * itself after outages.
 */
export async function connectRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const connectTimeoutInMs = options.connectTimeoutInMs ?? 2000;
  const endpoint = describeEndpoint(options.url);
  const logger = options.logger;
  const health: ConnectionHealth = { started: false, healthy: false, lastError: undefined };
  const client = createRedisClient(options, connectTimeoutInMs, health);
  watchConnection(client, endpoint, health, logger);
  await connectWithin(client, connectTimeoutInMs, endpoint, health);
  health.started = true;
  health.healthy = true;
  logger?.info({ redis: endpoint }, 'Connected to Redis');
  return RedisStore.fromConnectedClient({
    client,
    endpoint,
    keyPrefix: options.keyPrefix ?? '',
    idGenerator: options.idGenerator ?? { newId: () => randomUUID() },
    logger,
  });
}

/** Whether the first connection succeeded and whether the connection is up now (for one log line per change). */
interface ConnectionHealth {
  started: boolean;
  healthy: boolean;
  lastError: Error | undefined;
}

function createRedisClient(
  options: RedisStoreOptions,
  connectTimeoutInMs: number,
  health: ConnectionHealth,
): ScriptedRedis {
  const maxReconnectDelayInMs = options.maxReconnectDelayInMs ?? 1000;
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutInMs,
    commandTimeout: options.commandTimeoutInMs ?? 1000,
    // Fail requests at once while disconnected instead of queueing them until Redis is back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // No reconnect loop before the first successful connection; afterwards back off up to the configured cap.
    retryStrategy: (attempt) =>
      health.started ? Math.min(50 * 2 ** Math.min(attempt, 10), maxReconnectDelayInMs) : null,
  }) as ScriptedRedis;
  client.defineCommand('conveneSet', { numberOfKeys: 1, lua: SET_SCRIPT });
  client.defineCommand('conveneCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET_SCRIPT });
  return client;
}

function watchConnection(
  client: ScriptedRedis,
  endpoint: string,
  health: ConnectionHealth,
  logger: RedisStoreOptions['logger'],
): void {
  // Without an 'error' listener ioredis prints every failed reconnect to the console.
  client.on('error', (error: Error) => {
    health.lastError = error;
    if (health.started && health.healthy) {
      health.healthy = false;
      logger?.warn({ redis: endpoint, error: safeErrorSummary(error) }, 'Redis connection lost; reconnecting');
    }
  });
  client.on('close', () => {
    if (health.started && health.healthy) {
      health.healthy = false;
      logger?.warn({ redis: endpoint }, 'Redis connection closed; reconnecting');
    }
  });
  client.on('ready', () => {
    if (health.started && !health.healthy) logger?.info({ redis: endpoint }, 'Redis connection restored');
    health.healthy = true;
  });
}

async function connectWithin(
  client: ScriptedRedis,
  connectTimeoutInMs: number,
  endpoint: string,
  health: ConnectionHealth,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`no answer within ${connectTimeoutInMs} ms`));
        }, connectTimeoutInMs);
      }),
    ]);
  } catch (error) {
    client.disconnect();
    const reason = timedOut || !health.lastError ? error : health.lastError;
    throw new AppError('storage_unavailable', 503, `Cannot connect to Redis at ${endpoint}: ${reasonText(reason)}`, {
      cause: reason,
      details: { redis: endpoint, errorCode: errorCode(reason) },
    });
  } finally {
    clearTimeout(timer);
  }
}

/** `host:port` of a Redis URL, without credentials. */
export function describeEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Node's TypeError carries the whole input (password included) in `input`, so it is not passed on as cause.
    throw new AppError('storage_unavailable', 503, 'The Redis URL is not a valid URL (expected redis://host:port).');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new AppError(
      'storage_unavailable',
      503,
      `The Redis URL must start with redis:// or rediss:// (got ${parsed.protocol}//${parsed.host}).`,
    );
  }
  return `${parsed.hostname || 'localhost'}:${parsed.port || '6379'}`;
}

function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('RedisStore: the value is not JSON-serializable');
  return json;
}

function toTtlArg(ttlInMs: number | undefined): string {
  if (ttlInMs === undefined) return '';
  if (!Number.isFinite(ttlInMs) || ttlInMs <= 0) {
    throw new RangeError(`RedisStore: ttlInMs must be a positive number of milliseconds (got ${ttlInMs})`);
  }
  return String(Math.ceil(ttlInMs));
}

function redisFailure(error: unknown, operation: string, endpoint: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof RedisReplyError) {
    const code = error.message.split(' ', 1)[0] ?? '';
    if (!TRANSIENT_REPLY_CODES.has(code)) {
      return new AppError('internal', 500, `Redis rejected ${operation}: ${error.message}`, {
        cause: error,
        details: { redis: endpoint, operation },
      });
    }
  }
  // Connection closed, stream not writeable (offline), command timeout, MaxRetriesPerRequestError, LOADING, …
  return new AppError(
    'storage_unavailable',
    503,
    `Redis at ${endpoint} is unavailable (${operation}): ${reasonText(error)}`,
    {
      cause: error,
      details: { redis: endpoint, operation, errorCode: errorCode(error) },
    },
  );
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function reasonText(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  return errorCode(error) ?? error.message;
}

function safeErrorSummary(error: unknown): {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
} {
  if (!(error instanceof Error)) return { name: 'unknown', code: undefined, message: String(error) };
  return { name: error.name, code: errorCode(error), message: error.message };
}
