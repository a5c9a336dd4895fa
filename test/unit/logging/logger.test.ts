import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, redactUrl } from '../../../src/logging/logger';

function capture(): { lines: () => Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', pretty: false, destination });
  return { logger, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger() redaction', () => {
  it('keeps error codes from the catalogue readable', () => {
    const { logger, lines } = capture();
    logger.info({ code: 'graph_throttled', status: 429 }, 'request failed');
    logger.info({ flow: 'create', err: { code: 'storage_unavailable' } }, 'nested');
    assert.equal(lines()[0]!.code, 'graph_throttled');
    assert.deepEqual(lines()[1]!.err, { code: 'storage_unavailable' });
  });

  it('redacts OAuth authorization codes in callback queries and bodies, and in logged URLs', () => {
    const { logger, lines } = capture();
    logger.info({ query: { code: 'M.oauth-code-1', state: 's1' } }, 'q');
    logger.info({ req: { query: { code: 'M.oauth-code-2' }, body: { code: 'M.oauth-code-3', state: 's2' } } }, 'r');
    logger.info({ body: { code: 'M.oauth-code-4' }, params: { code: 'M.oauth-code-5' } }, 'b');
    logger.info({ url: 'https://bot.example/auth/callback?code=M.oauth-code-6&state=s3&session_state=x' }, 'u');
    const text = JSON.stringify(lines());
    for (let i = 1; i <= 6; i++) assert.ok(!text.includes(`M.oauth-code-${i}`), `code ${i} is in the log: ${text}`);
    for (const state of ['s1', 's2', 's3'])
      assert.ok(!text.includes(`"${state}"`) && !text.includes(`=${state}`), `state ${state} logged`);
  });
});

describe('redactUrl()', () => {
  it('replaces secret query values and keeps the rest of the URL', () => {
    assert.equal(
      redactUrl('https://bot.example/auth/callback?code=abc&state=def&x=1'),
      'https://bot.example/auth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&x=1',
    );
    assert.equal(redactUrl('/auth/start?t=signed.token'), '/auth/start?t=%5Bredacted%5D');
    assert.equal(redactUrl('/healthz'), '/healthz');
  });

  it('hides a signed token in an .ics path', () => {
    assert.equal(redactUrl('/meetings/eyJhbGciOi.sig.ics'), '/meetings/[redacted].ics');
  });
});
