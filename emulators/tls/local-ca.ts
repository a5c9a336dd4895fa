import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

/** Where the local CA and the `localhost` server certificate live, and their PEM text. */
export interface LocalCertificates {
  readonly dir: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** CA certificate (PEM): what `NODE_EXTRA_CA_CERTS` points at. */
  readonly ca: string;
  /** Server certificate (PEM) for localhost, 127.0.0.1 and ::1, signed by the CA. */
  readonly cert: string;
  /** Server private key (PKCS#8 PEM). */
  readonly key: string;
}

export interface EnsureLocalCertificatesOptions {
  /** Regenerate when the server certificate expires within this many days (default 7). */
  readonly renewBeforeDays?: number;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

const CA_FILE = 'ca.pem';
const CERT_FILE = 'server.pem';
const KEY_FILE = 'server-key.pem';
const LOCK_FILE = '.generate.lock';
const DAY_MS = 24 * 60 * 60 * 1000;
// Browsers cap server certificates at 398 days even for private CAs in some configurations; stay under it.
const SERVER_VALIDITY_DAYS = 390;
const CA_VALIDITY_DAYS = 3650;
const LOCK_STALE_MS = 60_000;

/**
 * Returns the local CA and a server certificate for `localhost`, generating them once. Existing files are reused
 * when they parse, chain to each other, match their key and are not about to expire; anything else (missing,
 * expired, unreadable, mismatched) regenerates all three, because a server cert from one CA and `ca.pem` from
 * another would fail TLS in a way that is hard to diagnose. Synchronous on purpose: it runs before servers start.
 * Concurrent callers (several test processes) serialise on a lock file so they never mix two generations.
 */
export function ensureLocalCertificates(
  dir = '.local/certs',
  options: EnsureLocalCertificatesOptions = {},
): LocalCertificates {
  const absDir = resolve(dir);
  const now = options.now ?? (() => new Date());
  const renewBeforeMs = (options.renewBeforeDays ?? 7) * DAY_MS;
  const existing = readValid(absDir, now().getTime() + renewBeforeMs, true);
  if (existing) return existing;

  mkdirSync(absDir, { recursive: true });
  return withLock(join(absDir, LOCK_FILE), () => {
    // Another process may have generated them while we waited for the lock.
    const again = readValid(absDir, now().getTime() + renewBeforeMs, false);
    if (again) return again;
    const generated = generate(now());
    writeAtomically(join(absDir, KEY_FILE), generated.key, 0o600);
    writeAtomically(join(absDir, CERT_FILE), generated.cert);
    writeAtomically(join(absDir, CA_FILE), generated.ca);
    return paths(absDir, generated);
  });
}

function paths(dir: string, pem: { ca: string; cert: string; key: string }): LocalCertificates {
  return { dir, caPath: join(dir, CA_FILE), certPath: join(dir, CERT_FILE), keyPath: join(dir, KEY_FILE), ...pem };
}

/** Cheap check with node:crypto (no forge parsing): this is the hot path on every `npm test`. */
function readValid(dir: string, mustBeValidUntilMs: number, warn: boolean): LocalCertificates | undefined {
  let pem: { ca: string; cert: string; key: string };
  try {
    pem = {
      ca: readFileSync(join(dir, CA_FILE), 'utf8'),
      cert: readFileSync(join(dir, CERT_FILE), 'utf8'),
      key: readFileSync(join(dir, KEY_FILE), 'utf8'),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const ca = new X509Certificate(pem.ca);
    const cert = new X509Certificate(pem.cert);
    const ok =
      ca.ca &&
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(pem.key)) &&
      cert.checkHost('localhost') !== undefined &&
      cert.checkIP('127.0.0.1') !== undefined &&
      Date.parse(cert.validTo) > mustBeValidUntilMs &&
      Date.parse(ca.validTo) > mustBeValidUntilMs;
    return ok ? paths(dir, pem) : undefined;
  } catch (error) {
    // Unparseable PEM is exactly the "unreadable" case: regenerate rather than fail the test run.
    if (warn) process.emitWarning(`local certificates in ${dir} are unreadable, regenerating: ${String(error)}`);
    return undefined;
  }
}

function generate(now: Date): { ca: string; cert: string; key: string } {
  // node:crypto generates RSA keys natively (~50 ms); forge's pure-JS keygen takes seconds.
  const caKeys = rsaKeyPair();
  const serverKeys = rsaKeyPair();

  const caCert = forge.pki.createCertificate();
  caCert.publicKey = caKeys.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  caCert.validity.notAfter = new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS);
  const caSubject = [
    { name: 'commonName', value: 'Convene Local Development CA' },
    { name: 'organizationName', value: 'Convene (local only)' },
  ];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKeys.privateKey, forge.md.sha256.create());

  const cert = forge.pki.createCertificate();
  cert.publicKey = serverKeys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    ca: forge.pki.certificateToPem(caCert),
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(serverKeys.privateKey))),
  };
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
  };
}

/** Positive 16-byte serial: a leading 0x00-0x7f byte keeps the DER integer non-negative. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function writeAtomically(path: string, content: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

function withLock<T>(lockPath: string, fn: () => T): T {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lockPath) || Date.now() > deadline) {
        // A crashed generator left its lock behind; take over rather than block every later run.
        rmSync(lockPath, { force: true });
        continue;
      }
      sleepSync(50);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function isStale(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
