import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { EnvFileError, parseEnvFile } from '../../../scripts/app-package/env-file';
import { PackageError, packageApp, validateAppPackageZip } from '../../../scripts/app-package/package';
import { fillJsonPlaceholders, PlaceholderError } from '../../../scripts/app-package/placeholders';
import { validateManifestSchema } from '../../../scripts/app-package/validate';
import { localEnv, ROOT } from './helpers';

describe('packageApp()', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), 'convene-pkg-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it('packages "local" into a zip with manifest.json, color.png and outline.png at the root that re-validates', async () => {
    const result = await packageApp({ root: ROOT, envName: 'local', outDir });
    assert.equal(result.zipPath, join(outDir, 'appPackage.local.zip'));
    assert.equal(result.manifestPath, join(outDir, 'manifest.local.json'));

    const zip = new AdmZip(result.zipPath);
    assert.deepEqual(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
      ['color.png', 'manifest.json', 'outline.png'],
    );
    const manifest = JSON.parse(zip.readAsText('manifest.json')) as Record<string, unknown>;
    assert.ok(!JSON.stringify(manifest).includes('${{'), 'no placeholder left');
    assert.deepEqual(await validateManifestSchema(manifest), []);
    assert.deepEqual(await validateAppPackageZip(result.zipPath, localEnv()), []);
    assert.deepEqual(JSON.parse(readFileSync(result.manifestPath, 'utf8')), manifest);
    assert.ok(zip.readFile('color.png')!.equals(readFileSync(join(ROOT, 'appPackage', 'color.png'))));
  });

  it('a zip re-validated against another environment reports the mismatch', async () => {
    const { zipPath } = await packageApp({ root: ROOT, envName: 'local', outDir });
    const problems = await validateAppPackageZip(zipPath, { ...localEnv(), AAD_APP_ID_URI: 'api://botid-x' });
    assert.ok(
      problems.some((p) => p.includes('AAD_APP_ID_URI')),
      JSON.stringify(problems),
    );
  });

  it('refuses "dev" while its ids are empty, naming the unfilled variables, and writes nothing', async () => {
    await assert.rejects(packageApp({ root: ROOT, envName: 'dev', outDir }), (err: unknown) => {
      assert.ok(err instanceof PlaceholderError);
      for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'BOT_DOMAIN', 'AAD_APP_CLIENT_ID', 'AAD_APP_ID_URI']) {
        assert.ok(err.missing.includes(name), `${name} reported`);
        assert.ok(err.message.includes(`\${{${name}}}`), `${name} named in the message`);
      }
      return true;
    });
    assert.equal(existsSync(join(outDir, 'appPackage.dev.zip')), false);
  });

  it('fails with EnvFileError for an unknown environment', async () => {
    await assert.rejects(packageApp({ root: ROOT, envName: 'nope', outDir }), EnvFileError);
  });

  it('PackageError lists every problem', () => {
    const err = new PackageError('dev', ['a', 'b']);
    assert.equal(err.message, 'app package "dev" is not valid:\n  - a\n  - b');
  });
});

describe('scripts/package-app.ts (CLI)', () => {
  it('exits 1 for --env dev with a message naming the unfilled variable', function () {
    this.timeout(30000);
    const outDir = mkdtempSync(join(tmpdir(), 'convene-pkg-cli-'));
    try {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'scripts', 'package-app.ts'), '--env', 'dev', '--out', outDir],
        { cwd: ROOT, encoding: 'utf8' },
      );
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /no value for \$\{\{TEAMS_APP_ID\}\}.*\$\{\{BOT_ID\}\}/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('exits 2 without --env', function () {
    this.timeout(30000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'package-app.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--env is required/);
  });
});

describe('fillJsonPlaceholders()', () => {
  it('fills values JSON-escaped and allows an empty APP_NAME_SUFFIX', () => {
    const out = fillJsonPlaceholders('{"a":"${{A}}","b":"x${{APP_NAME_SUFFIX}}"}', { A: 'q"\\', APP_NAME_SUFFIX: '' });
    assert.deepEqual(JSON.parse(out), { a: 'q"\\', b: 'x' });
  });

  it('names every missing or empty placeholder', () => {
    assert.throws(
      () => fillJsonPlaceholders('"${{A}} ${{B}} ${{A}} ${{C}}"', { A: '', C: 'c' }, 'm.json'),
      (err: unknown) =>
        err instanceof PlaceholderError &&
        err.missing.join() === 'A,B' &&
        err.message.startsWith('m.json: no value for ${{A}}, ${{B}}'),
    );
  });
});

describe('parseEnvFile()', () => {
  it('reads KEY=value lines, comments, quotes and empty values', () => {
    const env = parseEnvFile('# c\nA=1\n\nB=\nexport C="x y"\nD=\'z\' \nE=v # trailing\n');
    assert.deepEqual(env, { A: '1', B: '', C: 'x y', D: 'z', E: 'v' });
  });

  it('rejects a malformed line, naming it', () => {
    assert.throws(() => parseEnvFile('A=1\nnot a pair\n', 'env/.env.x'), /env\/\.env\.x:2: expected KEY=value/);
  });
});
