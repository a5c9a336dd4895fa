import assert from 'node:assert/strict';
import {
  createNeedsBeta,
  createOrGetNeedsBeta,
  splitGraphBaseUrl,
  versionForCall,
  withGraphVersion,
} from '../../../src/graph/graph-version';

describe('graph-version', () => {
  describe('withGraphVersion()', () => {
    it('swaps only the version segment of the same base', () => {
      assert.equal(withGraphVersion('https://graph.microsoft.com/v1.0', 'beta'), 'https://graph.microsoft.com/beta');
      assert.equal(withGraphVersion('https://graph.microsoft.com/beta', 'v1.0'), 'https://graph.microsoft.com/v1.0');
      assert.equal(withGraphVersion('http://127.0.0.1:4100/v1.0', 'beta'), 'http://127.0.0.1:4100/beta');
      assert.equal(
        withGraphVersion('https://proxy.contoso.com/graph/v1.0', 'beta'),
        'https://proxy.contoso.com/graph/beta',
      );
    });

    it('refuses a base without a known version segment', () => {
      assert.throws(() => withGraphVersion('https://graph.microsoft.com', 'beta'), /must end in \/v1\.0 or \/beta/);
      assert.throws(
        () => withGraphVersion('https://graph.microsoft.com/v2.0', 'beta'),
        /must end in \/v1\.0 or \/beta/,
      );
    });
  });

  describe('splitGraphBaseUrl()', () => {
    it("gives graph-client's baseUrl and defaultVersion", () => {
      assert.deepEqual(splitGraphBaseUrl('https://graph.microsoft.com/v1.0'), {
        root: 'https://graph.microsoft.com',
        version: 'v1.0',
      });
      assert.deepEqual(splitGraphBaseUrl('http://127.0.0.1:9/a/b/beta'), {
        root: 'http://127.0.0.1:9/a/b',
        version: 'beta',
      });
    });
  });

  describe('versionForCall()', () => {
    it('goes to beta only for a call that needs it, and keeps a configured beta', () => {
      assert.equal(versionForCall('v1.0', false), 'v1.0');
      assert.equal(versionForCall('v1.0', true), 'beta');
      assert.equal(versionForCall('beta', false), 'beta');
    });

    it('createOrGet needs beta only with chatInfo; create only for the seed live-event body', () => {
      assert.equal(createOrGetNeedsBeta({}), false);
      assert.equal(createOrGetNeedsBeta({ chatThreadId: '19:x@thread.tacv2' }), true);
      assert.equal(createNeedsBeta({ live: false }), false);
      assert.equal(createNeedsBeta({ live: true }), true);
    });
  });
});
