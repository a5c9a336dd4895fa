import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvFile } from '../../../scripts/app-package/env-file';
import { fillJsonPlaceholders } from '../../../scripts/app-package/placeholders';

export const ROOT = join(__dirname, '..', '..', '..');

export function localEnv(): Record<string, string> {
  return loadEnvFile(ROOT, 'local');
}

/** The parts of a Teams manifest the tests read. */
export interface TestManifest {
  [key: string]: unknown;
  manifestVersion: string;
  bots: Array<{
    botId: string;
    scopes: string[];
    supportsFiles?: boolean;
    isNotificationOnly?: boolean;
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description?: string }> }>;
  }>;
  composeExtensions: Array<{
    botId: string;
    commands: Array<{
      id: string;
      type?: string;
      fetchTask?: boolean;
      context?: string[];
      initialRun?: boolean;
      parameters?: Array<{ name: string }>;
    }>;
  }>;
  webApplicationInfo: { id: string; resource: string };
  permissions: string[];
  validDomains: string[];
}

/** appPackage/manifest.json with its placeholders filled from env/.env.local (a fresh copy each call). */
export function filledLocalManifest(): TestManifest {
  const template = readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8');
  return JSON.parse(fillJsonPlaceholders(template, localEnv())) as TestManifest;
}

/** Deletes the property at `path` (object keys / array indexes as strings). */
export function deletePath(root: unknown, path: readonly string[]): void {
  let parent = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  delete parent[path[path.length - 1]!];
}
