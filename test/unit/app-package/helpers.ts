import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvFile } from '../../../scripts/app-package/env-file.js';
import { fillJsonPlaceholders } from '../../../scripts/app-package/placeholders.js';

export const ROOT = join(__dirname, '..', '..', '..');

export function localEnv(): Record<string, string> {
  return loadEnvFile(ROOT, 'local');
}

/** appPackage/manifest.json with its placeholders filled from env/.env.local (a fresh copy each call). */
export function filledLocalManifest(): Record<string, unknown> & { [k: string]: any } {
  const template = readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8');
  return JSON.parse(fillJsonPlaceholders(template, localEnv())) as Record<string, any>;
}
