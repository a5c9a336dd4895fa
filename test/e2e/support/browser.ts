/**
 * Headless Debian Chromium for the end-to-end tests, hermetic: every request to a host other than loopback is
 * aborted (the Playground's CDN fonts included), and the Entra stand-in's certificate is trusted by its public key
 * (`--ignore-certificate-errors-spki-list`, honoured because the profile is a fresh user-data dir), not by
 * ignoring certificate errors everywhere.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureLocalCertificates } from '../../../emulators/tls/local-ca';
import { REPO_ROOT } from '../../../scripts/dev-stack';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'test-results/e2e');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface E2eBrowser {
  readonly context: BrowserContext;
  /** Hosts of requests that were blocked (not loopback), for the report. */
  readonly blocked: ReadonlySet<string>;
  close(): Promise<void>;
}

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: the form Chromium's SPKI allow-list takes. */
export function spkiHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export async function launchBrowser(): Promise<E2eBrowser> {
  const certs = ensureLocalCertificates(resolve(REPO_ROOT, '.local/certs'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'convene-e2e-chromium-'));
  const blocked = new Set<string>();
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: { width: 1280, height: 860 },
      timezoneId: 'UTC',
      locale: 'en-US',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--ignore-certificate-errors-spki-list=${spkiHash(certs.cert)}`,
      ],
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  await context.route(
    (url) => !LOOPBACK_HOSTS.has(url.hostname),
    async (route) => {
      blocked.add(new URL(route.request().url()).hostname);
      await route.abort('blockedbyclient');
    },
  );
  return {
    context,
    blocked,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves `test-results/e2e/<scenario>-<step>.png` and returns its path. */
export async function screenshot(page: Page, scenario: string, step: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${scenario}-${step}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
