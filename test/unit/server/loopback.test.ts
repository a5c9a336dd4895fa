import assert from 'node:assert/strict';
import { isLoopbackAddress } from '../../../src/server/http-server';

describe('isLoopbackAddress()', () => {
  it('accepts 127.0.0.0/8 and ::1, also IPv4-mapped', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'])
      assert.equal(isLoopbackAddress(a), true, a);
  });

  it('refuses every other address, and a socket without one', () => {
    for (const a of [
      '10.0.0.1',
      '192.0.2.2',
      '::ffff:10.0.0.1',
      'fd00::2',
      '128.0.0.1',
      '0.0.0.0',
      '::',
      '',
      undefined,
    ]) {
      assert.equal(isLoopbackAddress(a), false, String(a));
    }
  });
});
