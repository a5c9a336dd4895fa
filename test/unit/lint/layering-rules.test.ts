import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(__dirname, '../../..');
const project = new ESLint({ cwd: ROOT });

/**
 * Lints `code` as if it were the file at `filePath` (never written) with the import rule eslint.config.mjs gives that
 * path. Only that rule runs: the type-aware rules need the file to be part of the TypeScript project.
 */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const absolute = path.join(ROOT, filePath);
  const config = (await project.calculateConfigForFile(absolute)) as Linter.Config;
  const rule = config.rules?.['no-restricted-imports'];
  assert.ok(rule, `eslint.config.mjs sets no-restricted-imports for ${filePath}`);
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser as Linter.Parser },
      rules: { 'no-restricted-imports': rule },
    },
  });
  const [result] = await eslint.lintText(code, { filePath: absolute });
  const fatal = result!.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`could not lint ${filePath}: ${fatal.message}`);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering rules (eslint.config.mjs, run by npm test through npm run lint)', function () {
  this.timeout(60_000);

  it('src/meetings/ imports no SDK and no adapter folder', async () => {
    const code = [
      "import type { TurnContext } from 'botbuilder';",
      "import type { Server } from 'restify';",
      "import type { ConfidentialClientApplication } from '@azure/msal-node';",
      "import type { Client } from '@microsoft/microsoft-graph-client';",
      "import type Redis from 'ioredis';",
      "import type { JWTPayload } from 'jose';",
      "import type { KeyValueStore } from '../storage/storage';",
      "import type { GraphCallers } from '../bot/graph-callers';",
      "import type { SignInLinks } from '../auth/sign-in-link';",
      "import type { GraphMeetingsGateway } from '../graph';",
      'export type Refused = [TurnContext, Server, ConfidentialClientApplication, Client, Redis, JWTPayload, KeyValueStore, GraphCallers, SignInLinks, GraphMeetingsGateway];',
      '',
    ].join('\n');
    const messages = await restrictedImports('src/meetings/layering-probe.ts', code);
    assert.equal(messages.length, 10, messages.join('\n'));
    assert.ok(messages.some((m) => m.includes('pure domain')));
    assert.ok(messages.some((m) => m.includes('no adapter folder')));
  });

  it('only src/bot/ and src/server/ import botbuilder', async () => {
    const code =
      "import type { TurnContext } from 'botbuilder';\nimport type { ConnectorFactory } from 'botframework-connector';\nexport type T = [TurnContext, ConnectorFactory];\n";
    for (const folder of ['src', 'src/graph', 'src/auth', 'src/cards', 'src/storage']) {
      const messages = await restrictedImports(`${folder}/layering-probe.ts`, code);
      assert.equal(messages.length, 2, `${folder}: ${messages.join('\n')}`);
      assert.match(messages[0]!, /Only src\/bot\/ and src\/server\/ import botbuilder/);
    }
    for (const folder of ['src/bot', 'src/server']) {
      assert.deepEqual(await restrictedImports(`${folder}/layering-probe.ts`, code), [], folder);
    }
  });

  it('src/ never imports emulators/', async () => {
    const code = "import { LOCAL_TENANT_ID } from '../../emulators/fixtures';\nexport const id = LOCAL_TENANT_ID;\n";
    for (const folder of ['src/bot/handlers', 'src/meetings/x', 'src/server/x']) {
      const messages = await restrictedImports(`${folder}/layering-probe.ts`, code);
      assert.equal(messages.length, 1, `${folder}: ${messages.join('\n')}`);
      assert.match(messages[0]!, /emulators/);
    }
  });

  it('allows what the layers are for: the domain importing itself and its libraries', async () => {
    const code =
      "import { DateTime } from 'luxon';\nimport type { Clock } from './ports';\nexport const f = (c: Clock) => DateTime.fromMillis(c.now());\n";
    assert.deepEqual(await restrictedImports('src/meetings/layering-probe.ts', code), []);
  });
});
