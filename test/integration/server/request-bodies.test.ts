import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { messageActivity, startHarness, type Harness } from '../../support/harness';

/** formidable's temporary files (restify's multipart parser writes one per uploaded part). */
const uploads = (): Set<string> => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('upload_')));

/** A multipart/form-data body with one 1 MB file part (small enough to be fast, large enough to be written out). */
function multipart(): { body: string; contentType: string } {
  const boundary = '----convene-test-boundary';
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n` +
    'a'.repeat(1024 * 1024) +
    `\r\n--${boundary}\r\nContent-Disposition: form-data; name="code"\r\n\r\nabc\r\n--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('request bodies: each route accepts only the content types it needs', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' } });
  });
  after(async () => h.close());

  for (const path of ['/api/messages', '/auth/callback', '/auth/start', '/healthz', '/meetings/x.ics']) {
    it(`answers a multipart POST to ${path} with a 4xx and writes nothing to disk`, async () => {
      const before = uploads();
      const { body, contentType } = multipart();
      const res = await fetch(`${h.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
      await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${path} → ${res.status}`);
      if (path === '/api/messages' || path === '/auth/callback') assert.equal(res.status, 415);
      const added = [...uploads()].filter((f) => !before.has(f));
      assert.deepEqual(added, [], 'no upload_* file left in the temp folder');
    });
  }

  it('answers /api/messages with 415 for anything but JSON, before reading the body', async () => {
    const activity = JSON.stringify(messageActivity(h, 'help'));
    for (const type of ['application/x-www-form-urlencoded', 'text/csv', 'application/octet-stream']) {
      const res = await h.postRaw(activity, type);
      assert.equal(res.status, 415, type);
      assert.match(res.body, /UnsupportedMediaType/);
    }
    // What the Bot Connector sends.
    assert.equal((await h.postRaw(activity, 'application/json; charset=utf-8')).status, 200);
  });

  it('answers plain text or a body with no type with 400, as the runtime contract says of a body that is not JSON', async () => {
    const activity = JSON.stringify(messageActivity(h, 'help'));
    assert.equal((await h.postRaw(activity, 'text/plain;charset=UTF-8')).status, 400);
    assert.equal((await h.postRaw('not json', '')).status, 400);
  });

  it('answers a compressed activity with 415: 256 KB of gzip would inflate past the size limit unchecked', async () => {
    // 4 MB of JSON in ~4 KB of gzip: restify's reader counted only the compressed bytes.
    const inflated = JSON.stringify(messageActivity(h, 'x'.repeat(4 * 1024 * 1024)));
    const res = await fetch(`${h.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: Uint8Array.from(gzipSync(inflated)),
    });
    assert.ok(res.status === 415, `gzip → ${res.status}`);
  });

  it('answers a POST /auth/callback that is not a form (response_mode=form_post) with 415', async () => {
    const res = await fetch(`${h.baseUrl}/auth/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: 'x', state: 'y' }),
    });
    assert.equal(res.status, 415);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    // A form post still reaches the callback (and fails on its invalid state, as it should).
    const form = await fetch(`${h.baseUrl}/auth/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'code=x&state=y',
    });
    assert.equal(form.status, 400);
  });

  describe('a client that stalls mid-body', () => {
    let slow: Harness;
    before(async () => {
      slow = await startHarness({ env: { TEAMS_SSO: 'false' }, bodyTimeoutInMs: 300 });
    });
    after(async () => slow.close());

    for (const [path, type] of [
      ['/api/messages', 'application/json'],
      ['/auth/callback', 'application/x-www-form-urlencoded'],
    ] as const) {
      it(`${path}: is answered 408 and the connection closed, instead of holding its buffer for minutes`, async () => {
        const { port } = new URL(slow.baseUrl);
        const socket = connect(Number(port), '127.0.0.1');
        let answer = '';
        socket.on('data', (c: Buffer) => (answer += c.toString('utf8')));
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: 1000\r\n\r\n{"type":"mess`,
        );
        // The server has 300 ms; give it far more before calling it stuck.
        const outcome = await Promise.race([
          closed.then(() => 'closed'),
          new Promise((r) => setTimeout(() => r('still open'), 5000)),
        ]);
        socket.destroy();
        assert.equal(outcome, 'closed', answer);
        assert.match(answer, /^HTTP\/1\.1 408/);
      });
    }
  });
});
