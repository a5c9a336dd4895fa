import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import * as prettier from 'prettier';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(__dirname, '../../..');

describe('code style (prettier and the import style, run by npm test)', function () {
  this.timeout(60_000);

  it('npm test runs the format check and lint before the tests', () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    assert.match(scripts['test']!, /npm run format:check && npm run lint && /);
    assert.match(scripts['format:check']!, /^prettier --check /);
  });

  it("the project's prettier config rejects a file it did not format and accepts one it did", async () => {
    const filepath = path.join(ROOT, 'src/meetings/example.ts');
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    assert.equal(options.singleQuote, true, 'the repo config is found');
    assert.equal(await prettier.check('const a = {b:1}\n', options), false);
    assert.equal(await prettier.check("const a = { b: 'x' };\n", options), true);
  });

  it('refuses a relative import with a .js suffix, anywhere (one import style)', async () => {
    const absolute = path.join(ROOT, 'src/bot/example.ts');
    const config = (await new ESLint({ cwd: ROOT }).calculateConfigForFile(absolute)) as Linter.Config;
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        rules: { 'no-restricted-syntax': config.rules!['no-restricted-syntax']! },
      },
    });
    const lint = async (code: string) =>
      (await eslint.lintText(code, { filePath: absolute }))[0]!.messages.map((m) => m.message);
    assert.deepEqual(await lint("import { t } from '../i18n.js';\nexport * from './cards.js';\n"), [
      'Import relative modules without the .js suffix (one import style).',
      'Import relative modules without the .js suffix (one import style).',
    ]);
    assert.deepEqual(await lint("import { t } from '../i18n';\nimport { z } from 'zod';\n"), []);
  });
});
