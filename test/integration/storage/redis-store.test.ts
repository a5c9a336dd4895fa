import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { createLogger } from '../../../src/logging/logger';
import { AppError } from '../../../src/meetings/errors';
import { connectRedisStore, describeEndpoint, type RedisStore } from '../../../src/storage/redis-store';
import { describeClaims } from '../../support/claims-contract';
import { describeKeyValueStore } from '../../support/key-value-store-contract';
import { freePort, startRedisServer, type RedisServerHandle } from '../../support/redis-server';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Awaits `promise`, asserts it rejected with AppError storage_unavailable, returns the error and the time taken. */
async function expectStorageUnavailable(promise: Promise<unknown>): Promise<{ error: AppError; elapsedInMs: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, 'storage_unavailable');
    return { error, elapsedInMs: Date.now() - started };
  }
  assert.fail('expected the promise to reject with storage_unavailable');
}

/** Captures log lines written through the real logger (with its redaction). */
function captureLogger(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', pretty: false, destination }), text: () => text };
}

describe('RedisStore', function () {
  let server: RedisServerHandle;

  before(async function () {
    server = await startRedisServer();
  });

  after(async function () {
    await server?.stop();
  });

  describeKeyValueStore('RedisStore', async () => {
    // A unique prefix per test keeps the tests independent on one shared server.
    const store = await connectRedisStore({ url: server.url, keyPrefix: `test:${randomUUID()}:` });
    return { store, elapse: sleep };
  });

  describeClaims('RedisStore', async () => {
    const store = await connectRedisStore({ url: server.url, keyPrefix: `claims:${randomUUID()}:` });
    return { store, dispose: () => store.close() };
  });

  describe('keyPrefix', function () {
    it('keeps stores with different prefixes apart and stores keys under the prefix', async function () {
      const prefix = `ns-${randomUUID()}:`;
      const namespaced = await connectRedisStore({ url: server.url, keyPrefix: prefix });
      const other = await connectRedisStore({ url: server.url, keyPrefix: `other-${randomUUID()}:` });
      const unprefixed = await connectRedisStore({ url: server.url });
      try {
        const etag = await namespaced.set('k', 'mine');
        assert.equal(await other.get('k'), undefined);
        assert.deepEqual(await unprefixed.get(`${prefix}k`), { value: 'mine', etag });
      } finally {
        await Promise.all([namespaced.close(), other.close(), unprefixed.close()]);
      }
    });
  });

  describe('connectRedisStore()', function () {
    it('rejects fast with storage_unavailable naming host:port but not the password when nothing listens', async function () {
      const port = await freePort();
      const { logger, text } = captureLogger();
      const { error, elapsedInMs } = await expectStorageUnavailable(
        connectRedisStore({ url: `redis://convene:s3cr3t-Pa55@127.0.0.1:${port}`, logger }),
      );
      assert.ok(elapsedInMs < 5000, `took ${elapsedInMs} ms`);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(error.message, /ECONNREFUSED/);
      assert.doesNotMatch(error.message, /s3cr3t/);
      assert.doesNotMatch(JSON.stringify(error.details), /s3cr3t/);
      assert.doesNotMatch(text(), /s3cr3t/);
    });

    it('gives up after connectTimeoutInMs when the server accepts but never answers', async function () {
      const sockets = new Set<Socket>();
      const silent: Server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        const { error, elapsedInMs } = await expectStorageUnavailable(
          connectRedisStore({ url: `redis://:hunter2-pw@127.0.0.1:${port}`, connectTimeoutInMs: 300 }),
        );
        assert.ok(elapsedInMs >= 250 && elapsedInMs < 5000, `took ${elapsedInMs} ms`);
        assert.match(error.message, new RegExp(`Cannot connect to Redis at 127\\.0\\.0\\.1:${port}`));
        assert.doesNotMatch(error.message, /hunter2/);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });

    it('rejects with storage_unavailable without echoing the password when the password is wrong', async function () {
      const secured = await startRedisServer({ password: 'right-password' });
      try {
        const { error } = await expectStorageUnavailable(
          connectRedisStore({ url: `redis://:wrong-password@127.0.0.1:${secured.port}`, connectTimeoutInMs: 1000 }),
        );
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${secured.port}`));
        assert.doesNotMatch(error.message, /wrong-password|right-password/);

        const store = await connectRedisStore({ url: `redis://:right-password@127.0.0.1:${secured.port}` });
        await store.ping();
        await store.close();
      } finally {
        await secured.stop();
      }
    });

    it('rejects a URL that is not redis:// without repeating its password', async function () {
      assert.throws(
        () => describeEndpoint('http://user:topsecret@example.com:80'),
        (error: unknown) => error instanceof AppError && !error.message.includes('topsecret'),
      );
      assert.throws(
        () => describeEndpoint('not a url :topsecret@'),
        (error: unknown) => error instanceof AppError && !error.message.includes('topsecret'),
      );
      assert.equal(describeEndpoint('redis://:pw@cache.internal'), 'cache.internal:6379');
    });
  });

  describe('outage and recovery', function () {
    let outage: RedisServerHandle;
    let store: RedisStore;
    let logs: () => string;

    before(async function () {
      outage = await startRedisServer({ password: 'outage-secret' });
      const captured = captureLogger();
      logs = captured.text;
      store = await connectRedisStore({
        url: `redis://:outage-secret@127.0.0.1:${outage.port}`,
        keyPrefix: 'outage:',
        maxReconnectDelayInMs: 200,
        logger: captured.logger,
      });
    });

    after(async function () {
      await store?.close();
      await outage?.stop();
    });

    it('rejects every operation with storage_unavailable within a second while Redis is down', async function () {
      await store.set('before', 1);
      // Hold replies back so these commands are really in flight when the server dies; they must not hang.
      const admin = new Redis(`redis://:outage-secret@127.0.0.1:${outage.port}`, {
        lazyConnect: true,
        retryStrategy: () => null,
      });
      admin.on('error', () => undefined); // the kill below drops this connection too
      await admin.connect();
      await admin.call('CLIENT', 'PAUSE', '10000', 'ALL');
      const inFlight = Array.from({ length: 20 }, (_, i) => expectStorageUnavailable(store.set(`inflight-${i}`, i)));
      await sleep(50);
      const killedAt = Date.now();
      await outage.kill();
      await Promise.all(inFlight);
      assert.ok(Date.now() - killedAt < 5000, `in-flight commands took ${Date.now() - killedAt} ms to fail`);
      admin.disconnect();

      for (const operation of [
        () => store.get('before'),
        () => store.set('k', 1),
        () => store.compareAndSet('k', 1, null),
        () => store.delete('k'),
        () => store.ping(),
      ]) {
        const { elapsedInMs, error } = await expectStorageUnavailable(operation());
        assert.ok(elapsedInMs < 5000, `took ${elapsedInMs} ms`);
        assert.ok(error.retryable);
        assert.doesNotMatch(error.message, /outage-secret/);
      }
    });

    it('works again on the same store once Redis is back on the same port', async function () {
      await outage.restart();
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          await store.ping();
          break;
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'storage_unavailable') || Date.now() > deadline)
            throw error;
          await sleep(50);
        }
      }
      const etag = await store.compareAndSet('after', { back: true }, null);
      assert.ok(etag);
      assert.deepEqual(await store.get('after'), { value: { back: true }, etag });
      // The restarted server is empty (no persistence), so the CAS script is reloaded transparently.
      assert.equal(await store.compareAndSet('after', { back: false }, null), undefined);
    });

    it('logged the outage and the recovery without the password', function () {
      const text = logs();
      assert.match(text, /Redis connection (lost|closed)/);
      assert.match(text, /Redis connection restored/);
      assert.doesNotMatch(text, /outage-secret/);
    });
  });

  describe('commandTimeoutInMs', function () {
    it('fails a command that gets no reply with storage_unavailable, and recovers when Redis answers again', async function () {
      const paused = await startRedisServer();
      const store = await connectRedisStore({ url: paused.url, commandTimeoutInMs: 200 });
      const admin = new Redis(paused.url);
      try {
        await admin.call('CLIENT', 'PAUSE', '600', 'ALL');
        const { elapsedInMs } = await expectStorageUnavailable(store.set('k', 1));
        assert.ok(elapsedInMs >= 150, `took ${elapsedInMs} ms`);
        await sleep(600);
        await store.set('k', 2);
        assert.equal((await store.get('k'))?.value, 2);
      } finally {
        admin.disconnect();
        await store.close();
        await paused.stop();
      }
    });
  });

  describe('close()', function () {
    it('is idempotent and makes later calls reject with storage_unavailable', async function () {
      const store = await connectRedisStore({ url: server.url });
      await store.close();
      await store.close();
      await expectStorageUnavailable(store.get('k'));
    });

    it('returns promptly while Redis is down', async function () {
      const doomed = await startRedisServer();
      const store = await connectRedisStore({ url: doomed.url });
      await doomed.kill();
      const started = Date.now();
      await store.close();
      assert.ok(Date.now() - started < 500);
    });
  });
});
