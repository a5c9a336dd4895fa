import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalCertificates } from '../../../emulators/tls/local-ca';

// The local CA that the Entra stand-in's TLS (and NODE_EXTRA_CA_CERTS) relies on.
describe('ensureLocalCertificates()', function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'convene-certs-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by it', function () {
    const certs = ensureLocalCertificates(dir);
    assert.equal(certs.caPath, join(dir, 'ca.pem'));
    const ca = new X509Certificate(certs.ca);
    const server = new X509Certificate(certs.cert);
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.ok(server.verify(ca.publicKey));
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('::1'), '::1');
    assert.match(certs.key, /^-----BEGIN PRIVATE KEY-----/);
  });

  it('reuses valid files without rewriting them', function () {
    const first = ensureLocalCertificates(dir);
    const before = statSync(join(dir, 'ca.pem')).mtimeMs;
    const second = ensureLocalCertificates(dir);
    assert.equal(second.ca, first.ca);
    assert.equal(second.cert, first.cert);
    assert.equal(statSync(join(dir, 'ca.pem')).mtimeMs, before);
  });

  it('regenerates all three files when one is unreadable', function () {
    const first = ensureLocalCertificates(dir);
    writeFileSync(join(dir, 'ca.pem'), 'not a certificate');
    const second = ensureLocalCertificates(dir);
    assert.notEqual(second.ca, first.ca);
    assert.notEqual(second.cert, first.cert);
    assert.ok(new X509Certificate(second.cert).verify(new X509Certificate(second.ca).publicKey));
  });

  it('regenerates when a file is missing', function () {
    const first = ensureLocalCertificates(dir);
    rmSync(join(dir, 'server-key.pem'));
    const second = ensureLocalCertificates(dir);
    assert.notEqual(second.key, first.key);
  });

  it('regenerates when the server certificate is about to expire', function () {
    const first = ensureLocalCertificates(dir);
    const inAYear = new Date(Date.now() + 386 * 24 * 60 * 60 * 1000);
    const second = ensureLocalCertificates(dir, { now: () => inAYear });
    assert.notEqual(second.cert, first.cert);
  });
});
