/**
 * Second step of `npm run build`: Convene as one file, dist/convene.js, which `npm start` runs.
 *
 * Why: a start loads ~1,400 CommonJS files (botbuilder, restify, msal, zod, chrono …). Resolving, reading and
 * compiling them one by one was most of start-to-healthy (~1.1 s on the benchmark machine); one bundled file starts in
 * ~0.8 s and ~15 MB smaller (README "Benchmark"). esbuild bundles from the TypeScript sources; `tsc` (step one) still
 * type-checks and emits dist/ for the benchmark's floor bots and the tools.
 *
 * Left outside the bundle, loaded from node_modules at run time:
 * - pino, pino-pretty: pino starts transports (pretty logs) in a worker thread by file path, which a bundle breaks;
 * - @microsoft/teams-js: its UMD file is served as is to the sign-in pages (require.resolve finds it);
 * - dtrace-provider: restify's optional native probe (a .node file), absent on most machines.
 * Whitespace and syntax are minified, identifiers are not, so stack traces stay readable (dist/convene.js.map maps
 * them back). No keepNames: it wraps every closure the code creates in a defineProperty call (~5 % of a command's
 * CPU); errors are told apart by class or by a name they set themselves (Convene's, msal's, jsonwebtoken's).
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The project folder, whether this runs from scripts/ (tsx) or dist/scripts/ (the built benchmark imports it). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = projectRoot();

/** Bundles `entry` (a TypeScript entry point) to `outfile` with Convene's options; the benchmark's floor bots use it too. */
export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['pino', 'pino-pretty', '@microsoft/teams-js', 'dtrace-provider'],
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

export function bundleConvene(outfile = resolve(ROOT, 'dist/convene.js')): Promise<void> {
  return bundle(resolve(ROOT, 'src/index.ts'), outfile);
}

if (require.main === module) {
  bundleConvene().catch((e: unknown) => {
    process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
