import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
interface PackageJson {
  engines: { node: string };
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/**
 * README "Node": the project brings its own Node 24 LTS (the npm `node` package), and npm scripts find its binary
 * first on PATH, whatever Node the machine has.
 */
describe('the Node runtime the project brings', () => {
  it('pins the `node` devDependency to an exact 24.x release and requires Node 24 in engines', () => {
    assert.match(pkg.devDependencies.node ?? '', /^24\.\d+\.\d+$/);
    assert.equal(pkg.engines.node, '>=24');
  });

  it('installs that exact Node as node_modules/.bin/node, the `node` npm scripts run', () => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'node'), ['--version'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), `v${pkg.devDependencies.node}`);
  });

  it('runs these tests on it (mocha was started through npm or npx)', () => {
    assert.ok(Number(process.versions.node.split('.')[0]) >= 24, `running on ${process.version} (${process.execPath})`);
  });

  it('says which Node runs the tests, the benchmark and the dev stack before anything else, and starts the bundle with `node`', () => {
    for (const script of ['pretest', 'bench', 'predev']) {
      assert.match(pkg.scripts[script] ?? '', /^node scripts\/require-node\.mjs && /, script);
    }
    assert.equal(pkg.scripts.start, 'node dist/convene.js');
  });

  it('the version check passes on this Node and stops an older one with a message saying what to run', () => {
    const script = join(ROOT, 'scripts', 'require-node.mjs');
    const ok = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, new RegExp(`^Node ${process.version.replace(/\./g, '\\.')} `));

    // The machine's own Node 20, as the script would see it when run without the pinned binary on PATH.
    const asNode20 = `Object.defineProperty(process, 'version', { value: 'v20.20.2' });
      Object.defineProperty(process.versions, 'node', { value: '20.20.2' });
      import(${JSON.stringify(script)});`;
    const old = spawnSync(process.execPath, ['-e', asNode20], { encoding: 'utf8' });
    assert.equal(old.status, 1);
    assert.match(old.stderr, /need Node 24 LTS, found v20\.20\.2\. Run `npm ci`/);
  });
});
