/**
 * `npm run package -- --env local|dev`: builds appPackage/build/appPackage.<env>.zip and manifest.<env>.json from
 * appPackage/manifest.json and env/.env.<env>, after validating it offline (official schema from
 * @microsoft/app-manifest, icon sizes and colours, validDomains and webApplicationInfo against the env).
 * Exits 1 with the list of problems when anything is wrong, 2 on bad arguments.
 */
import { join } from 'node:path';
import { EnvFileError } from './app-package/env-file';
import { PackageError, packageApp } from './app-package/package';
import { PlaceholderError } from './app-package/placeholders';

export { packageApp, validateAppPackageContents, validateAppPackageZip, PackageError } from './app-package/package';
export * from './app-package/validate';
export { fillJsonPlaceholders, listPlaceholders, PlaceholderError } from './app-package/placeholders';
export { parseEnvFile, loadEnvFile, EnvFileError } from './app-package/env-file';

function parseArgs(argv: readonly string[]): { envName: string; outDir?: string } {
  let envName: string | undefined;
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--env' || flag === '-e') envName = value();
    else if (flag === '--out') outDir = value();
    else if (flag === '--help' || flag === '-h') throw new UsageError('');
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  if (!envName) throw new UsageError('--env is required');
  return outDir === undefined ? { envName } : { envName, outDir };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: { envName: string; outDir?: string };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) console.error(`package-app: ${err.message}`);
    console.error('usage: npm run package -- --env <local|dev|…> [--out <dir>]');
    return 2;
  }
  const root = join(__dirname, '..');
  try {
    const result = await packageApp({ root, ...args });
    console.log(`package-app: wrote ${result.zipPath}`);
    console.log(`package-app: wrote ${result.manifestPath}`);
    return 0;
  } catch (err) {
    if (err instanceof PackageError || err instanceof PlaceholderError || err instanceof EnvFileError) {
      console.error(`package-app: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('package-app: unexpected failure', err);
      process.exitCode = 1;
    },
  );
}
