import assert from 'node:assert/strict';
import { SignedTokens } from '../../../src/auth/signed-token';

describe('SignedTokens', () => {
  let now = 1_000_000;
  const tokens = new SignedTokens('a-secret-that-is-long-enough', { now: () => now });

  it('round-trips a payload until it expires', () => {
    const token = tokens.sign({ o: 'user' }, 1000);
    assert.equal(tokens.verify(token)?.o, 'user');
    now += 1001;
    assert.equal(tokens.verify(token), undefined);
  });

  it('refuses tampering, another secret and malformed tokens', () => {
    const token = tokens.sign({ o: 'user' }, 60_000);
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ o: 'admin', exp: now + 60_000 })).toString('base64url');
    assert.equal(tokens.verify(`${forged}.${mac}`), undefined);
    assert.equal(tokens.verify(`${body}.${mac}x`), undefined);
    assert.equal(new SignedTokens('another-secret-entirely', { now: () => now }).verify(token), undefined);
    for (const bad of ['', '.', 'a.b.c', 'nodot']) assert.equal(tokens.verify(bad), undefined);
  });
});
