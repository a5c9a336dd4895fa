/**
 * `npm run certs`: make sure the local CA and the localhost server certificate exist before any process that
 * needs them starts, because Node reads NODE_EXTRA_CA_CERTS only at start-up. Fast when they already exist.
 */
import { ensureLocalCertificates } from '../emulators/tls/local-ca';

const dir = process.argv[2] ?? '.local/certs';
const started = Date.now();
const certs = ensureLocalCertificates(dir);
process.stdout.write(`local CA ready: ${certs.caPath} (${Date.now() - started} ms)\n`);
