/**
 * Offline checks for a filled Teams app manifest and its icons. Schema validation uses the JSON schemas shipped in
 * `@microsoft/app-manifest` (the Toolkit's own package) and its `AppManifestUtils.validateAgainstSchema` (ajv),
 * given the schema object so the package never fetches it over the network.
 * Every check returns a list of human-readable problems; an empty list means it passed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';

type JsonObject = Record<string, unknown>;

const SCHEMA_ROOT = join(
  dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
);

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Manifest schema versions shipped by @microsoft/app-manifest, oldest first (devPreview excluded). */
export function shippedSchemaVersions(): string[] {
  return readdirSync(SCHEMA_ROOT)
    .filter((d) => /^v\d+(\.\d+)*$/.test(d))
    .map((d) => d.slice(1))
    .sort(compareVersions);
}

export function newestSchemaVersion(): string {
  const versions = shippedSchemaVersions();
  const newest = versions[versions.length - 1];
  if (!newest) throw new Error(`no Teams manifest schemas found under ${SCHEMA_ROOT}`);
  return newest;
}

const schemaCache = new Map<string, JsonObject>();

/** The official JSON schema for a manifestVersion, read from node_modules (never fetched). */
export function loadManifestSchema(manifestVersion: string): JsonObject {
  const cached = schemaCache.get(manifestVersion);
  if (cached) return cached;
  if (!shippedSchemaVersions().includes(manifestVersion)) {
    throw new Error(
      `@microsoft/app-manifest ships no schema for manifestVersion "${manifestVersion}" ` +
        `(available: ${shippedSchemaVersions().join(', ')})`,
    );
  }
  const text = readFileSync(join(SCHEMA_ROOT, `v${manifestVersion}`, 'MicrosoftTeams.schema.json'), 'utf8');
  // Same clean-up the package applies to fetched schemas: some versions carry a "\a" escape ajv's regex rejects.
  const schema = JSON.parse(text.replace(/\\a/g, '\\x07')) as JsonObject;
  schemaCache.set(manifestVersion, schema);
  return schema;
}

/** Validates a filled manifest against the official schema for its manifestVersion. */
export async function validateManifestSchema(manifest: unknown): Promise<string[]> {
  if (typeof manifest !== 'object' || manifest === null) return ['manifest is not a JSON object'];
  const m = manifest as JsonObject;
  const version = m['manifestVersion'];
  if (typeof version !== 'string') return ['manifestVersion is missing or not a string'];
  let schema: JsonObject;
  try {
    schema = loadManifestSchema(version);
  } catch (err) {
    return [(err as Error).message];
  }
  const problems: string[] = [];
  const declared = m['$schema'];
  if (typeof declared === 'string' && !declared.includes(`/v${version}/`)) {
    problems.push(`$schema (${declared}) does not match manifestVersion ${version}`);
  }
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest as TeamsManifest,
    schema as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
  );
  return problems.concat(errors.map((e) => `schema v${version}: ${e.trim()}`));
}

export interface IconExpectation {
  readonly width: number;
  readonly height: number;
}
export const COLOR_ICON: IconExpectation = { width: 192, height: 192 };
export const OUTLINE_ICON: IconExpectation = { width: 32, height: 32 };

function readPng(buf: Buffer, label: string): PNG | string {
  try {
    return PNG.sync.read(buf);
  } catch (err) {
    return `${label}: not a readable PNG (${(err as Error).message})`;
  }
}

/** color icon: 192×192 and fully opaque. */
export function checkColorIcon(buf: Buffer, label = 'color icon'): string[] {
  const png = readPng(buf, label);
  if (typeof png === 'string') return [png];
  const problems: string[] = [];
  if (png.width !== COLOR_ICON.width || png.height !== COLOR_ICON.height) {
    problems.push(`${label}: must be ${COLOR_ICON.width}x${COLOR_ICON.height}, is ${png.width}x${png.height}`);
  }
  for (let i = 3; i < png.data.length; i += 4) {
    if (png.data[i] !== 255) {
      problems.push(`${label}: must be opaque, found a pixel with alpha ${png.data[i]}`);
      break;
    }
  }
  return problems;
}

/**
 * outline icon: 32×32, every visible pixel pure white (alpha may vary for anti-aliasing), with a transparent
 * background (corners fully transparent) and a glyph (at least one visible pixel).
 */
export function checkOutlineIcon(buf: Buffer, label = 'outline icon'): string[] {
  const png = readPng(buf, label);
  if (typeof png === 'string') return [png];
  const problems: string[] = [];
  const { width, height, data } = png;
  if (width !== OUTLINE_ICON.width || height !== OUTLINE_ICON.height) {
    problems.push(`${label}: must be ${OUTLINE_ICON.width}x${OUTLINE_ICON.height}, is ${width}x${height}`);
  }
  let visible = 0;
  let nonWhite = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    visible++;
    if (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255) nonWhite++;
  }
  if (visible === 0) problems.push(`${label}: is fully transparent (no glyph)`);
  if (nonWhite > 0) problems.push(`${label}: ${nonWhite} visible pixel(s) are not white; the glyph must be white`);
  const corners = [0, width - 1, (height - 1) * width, height * width - 1];
  if (corners.some((p) => data[p * 4 + 3] !== 0)) {
    problems.push(`${label}: background must be transparent (a corner pixel is not)`);
  }
  return problems;
}

/** host[:port] of a URL, or undefined when it is not a URL. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined; // not a URL: the caller reports it
  }
}

/**
 * Cross-checks the filled manifest against the environment it was filled from: the bot's domain is a valid
 * domain, SSO points at the Entra app (`webApplicationInfo`), and the bot ids agree.
 */
export function checkManifestAgainstEnv(
  manifest: unknown,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const m = (manifest ?? {}) as JsonObject;
  const problems: string[] = [];
  const validDomains = Array.isArray(m['validDomains']) ? (m['validDomains'] as unknown[]) : [];

  const domains = new Set<string>();
  if (env['BOT_DOMAIN']) domains.add(env['BOT_DOMAIN']);
  if (env['BOT_ENDPOINT']) {
    const host = hostOf(env['BOT_ENDPOINT']);
    if (host === undefined) problems.push(`BOT_ENDPOINT is not a URL: ${env['BOT_ENDPOINT']}`);
    else domains.add(host);
  }
  if (domains.size === 0) problems.push('neither BOT_DOMAIN nor BOT_ENDPOINT is set: cannot check validDomains');
  for (const d of domains) {
    if (!validDomains.includes(d)) problems.push(`validDomains must contain the bot's domain "${d}"`);
  }

  const wai = (m['webApplicationInfo'] ?? {}) as JsonObject;
  if (wai['resource'] !== env['AAD_APP_ID_URI']) {
    problems.push(
      `webApplicationInfo.resource (${String(wai['resource'])}) must equal AAD_APP_ID_URI (${String(env['AAD_APP_ID_URI'])})`,
    );
  }
  if (wai['id'] !== env['AAD_APP_CLIENT_ID']) {
    problems.push(
      `webApplicationInfo.id (${String(wai['id'])}) must equal AAD_APP_CLIENT_ID (${String(env['AAD_APP_CLIENT_ID'])})`,
    );
  }

  const bots = Array.isArray(m['bots']) ? (m['bots'] as JsonObject[]) : [];
  const extensions = Array.isArray(m['composeExtensions']) ? (m['composeExtensions'] as JsonObject[]) : [];
  for (const [where, item] of [
    ...bots.map((b, i) => [`bots[${i}].botId`, b] as const),
    ...extensions.map((c, i) => [`composeExtensions[${i}].botId`, c] as const),
  ]) {
    if (item['botId'] !== env['BOT_ID']) {
      problems.push(`${where} (${String(item['botId'])}) must equal BOT_ID (${String(env['BOT_ID'])})`);
    }
  }
  if (m['id'] !== env['TEAMS_APP_ID']) {
    problems.push(`id (${String(m['id'])}) must equal TEAMS_APP_ID (${String(env['TEAMS_APP_ID'])})`);
  }
  return problems;
}
