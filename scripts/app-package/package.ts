/**
 * Builds the Teams app package for one environment: fills appPackage/manifest.json from env/.env.<env>, validates
 * the result (official schema, icons, env cross-checks) and writes appPackage/build/appPackage.<env>.zip
 * (manifest.json, color.png, outline.png at the root) and appPackage/build/manifest.<env>.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { loadEnvFile } from './env-file';
import { fillJsonPlaceholders } from './placeholders';
import { checkCopilotPluginRules } from './copilot-rules';
import { checkColorIcon, checkManifestAgainstEnv, checkOutlineIcon, validateManifestSchema } from './validate';

export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly envName: string,
    readonly problems: readonly string[],
  ) {
    super(`app package "${envName}" is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface PackageAppOptions {
  /** Project root (holds appPackage/ and env/). */
  readonly root: string;
  /** Environment name: env/.env.<envName>. */
  readonly envName: string;
  /** Output folder; default <root>/appPackage/build. */
  readonly outDir?: string;
}

export interface PackageAppResult {
  readonly zipPath: string;
  readonly manifestPath: string;
  readonly manifest: Record<string, unknown>;
}

interface Icons {
  readonly color: string;
  readonly outline: string;
}

/** Validates manifest + icon bytes together; the same checks run on a built zip's contents. */
export async function validateAppPackageContents(
  manifest: unknown,
  files: ReadonlyMap<string, Buffer>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string[]> {
  const problems = await validateManifestSchema(manifest);
  const icons = ((manifest as Record<string, unknown> | null)?.['icons'] ?? {}) as Partial<Icons>;
  for (const [kind, check] of [
    ['color', checkColorIcon],
    ['outline', checkOutlineIcon],
  ] as const) {
    const file = icons[kind];
    if (typeof file !== 'string') continue; // the schema check reports it
    const buf = files.get(file);
    if (!buf) problems.push(`icons.${kind} refers to "${file}", which is not in the package`);
    else problems.push(...check(buf, `${kind} icon (${file})`));
  }
  problems.push(...checkManifestAgainstEnv(manifest, env));
  problems.push(...checkCopilotPluginRules(manifest));
  return problems;
}

/** Reads a built zip back and validates it exactly like a fresh package. */
export async function validateAppPackageZip(
  zipPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string[]> {
  const zip = new AdmZip(zipPath);
  const files = new Map<string, Buffer>();
  for (const entry of zip.getEntries()) {
    if (!entry.isDirectory) files.set(entry.entryName, entry.getData());
  }
  const manifestBuf = files.get('manifest.json');
  if (!manifestBuf) return [`${zipPath}: no manifest.json at the root`];
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestBuf.toString('utf8'));
  } catch (err) {
    return [`${zipPath}: manifest.json is not JSON (${(err as Error).message})`];
  }
  return validateAppPackageContents(manifest, files, env);
}

/**
 * Builds and validates the package.
 * @throws EnvFileError (env file missing/malformed), PlaceholderError (a `${{NAME}}` without value),
 *         PackageError (schema, icon or consistency problems). Nothing is written unless every check passes.
 */
export async function packageApp(options: PackageAppOptions): Promise<PackageAppResult> {
  const { root, envName } = options;
  const outDir = options.outDir ?? join(root, 'appPackage', 'build');
  const env = loadEnvFile(root, envName);
  const templatePath = join(root, 'appPackage', 'manifest.json');
  const filled = fillJsonPlaceholders(readFileSync(templatePath, 'utf8'), env, `${templatePath} (env/.env.${envName})`);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(filled) as Record<string, unknown>;
  } catch (err) {
    throw new PackageError(envName, [`filled manifest is not JSON: ${(err as Error).message}`]);
  }

  const icons = (manifest['icons'] ?? {}) as Partial<Icons>;
  const files = new Map<string, Buffer>();
  for (const file of [icons.color, icons.outline]) {
    if (typeof file !== 'string') continue;
    const path = join(root, 'appPackage', file);
    if (existsSync(path)) files.set(file, readFileSync(path));
  }
  const problems = await validateAppPackageContents(manifest, files, env);
  if (problems.length > 0) throw new PackageError(envName, problems);

  mkdirSync(outDir, { recursive: true });
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = join(outDir, `manifest.${envName}.json`);
  writeFileSync(manifestPath, manifestText);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(manifestText, 'utf8'));
  for (const [name, buf] of files) zip.addFile(name, buf);
  const zipPath = join(outDir, `appPackage.${envName}.zip`);
  zip.writeZip(zipPath);
  return { zipPath, manifestPath, manifest };
}
