import { strict as assert } from 'node:assert';
import { decideRetry, parseRetryAfter } from '../../../src/graph/retry-policy';

const OPTIONS = { maxRetries: 3, maxRetryDelayInMs: 10_000, baseDelayInMs: 500 };
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('parseRetryAfter()', () => {
  it('reads seconds', () => assert.equal(parseRetryAfter('5', NOW), 5000));
  it('reads an HTTP date relative to now', () =>
    assert.equal(parseRetryAfter('Tue, 01 Jan 2030 00:00:03 GMT', NOW), 3000));
  it('clamps a date in the past to 0', () => assert.equal(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', NOW), 0));
  it('ignores missing or malformed values', () => {
    assert.equal(parseRetryAfter(null, NOW), undefined);
    assert.equal(parseRetryAfter('', NOW), undefined);
    assert.equal(parseRetryAfter('soon', NOW), undefined);
  });
});

describe('decideRetry()', () => {
  it('honours Retry-After', () =>
    assert.deepEqual(decideRetry(0, 2000, NOW, undefined, OPTIONS), { retry: true, delayInMs: 2000 }));
  it('backs off exponentially without Retry-After, capped', () => {
    assert.deepEqual(
      [0, 1, 2].map((n) => decideRetry(n, undefined, NOW, undefined, OPTIONS)),
      [
        { retry: true, delayInMs: 500 },
        { retry: true, delayInMs: 1000 },
        { retry: true, delayInMs: 2000 },
      ],
    );
    assert.deepEqual(decideRetry(2, undefined, NOW, undefined, { ...OPTIONS, maxRetryDelayInMs: 1500 }), {
      retry: true,
      delayInMs: 1500,
    });
  });
  it('stops after maxRetries', () =>
    assert.deepEqual(decideRetry(3, undefined, NOW, undefined, OPTIONS), { retry: false, reason: 'max_retries' }));
  it('never starts a wait that ends after the deadline', () => {
    assert.deepEqual(decideRetry(0, 2000, NOW, NOW + 1999, OPTIONS), { retry: false, reason: 'deadline' });
    assert.deepEqual(decideRetry(0, 2000, NOW, NOW + 2000, OPTIONS), { retry: true, delayInMs: 2000 });
  });
  it('does not wait for a Retry-After longer than maxRetryDelayInMs', () =>
    assert.deepEqual(decideRetry(0, 60_000, NOW, undefined, OPTIONS), {
      retry: false,
      reason: 'retry_after_too_long',
    }));
});
