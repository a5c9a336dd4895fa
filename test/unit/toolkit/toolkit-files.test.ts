import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');
/** The yml schemas the Agents Toolkit CLI itself validates project files with (resource/yaml-schema/v1.x). */
const SCHEMA_DIR = join(
  dirname(require.resolve('@microsoft/m365agentstoolkit-cli/package.json')),
  'resource',
  'yaml-schema',
);
/** Today's templates use v1.11 or newer (platform-2026.md §2); the Toolkit's older schemas lack current actions. */
const OLDEST_ACCEPTED = 11;
const TOOLKIT_FILES = ['teamsapp.yml', 'teamsapp.local.yml'];

// Graph delegated permission ids (https://learn.microsoft.com/graph/permissions-reference); VirtualEvent.ReadWrite needs
// admin consent.
const ONLINE_MEETINGS_READ_WRITE = 'a65f2972-a4f8-4f5e-afd7-69ccb046d5dc';
const VIRTUAL_EVENT_READ_WRITE = 'd38d189c-e29b-4344-8b3b-829bfa81380b';

const minor = (version: string) => Number(/^v1\.(\d+)$/.exec(version)?.[1] ?? NaN);

function shippedVersions(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((name) => /^v1\.\d+$/.test(name))
    .sort((a, b) => minor(a) - minor(b));
}

const validators = new Map<string, ValidateFunction>();
/** The Toolkit's schema for one yml version, compiled once. Its descriptions use editor-only keywords: not strict. */
function validatorFor(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    const path = join(SCHEMA_DIR, version, 'yaml.schema.json');
    assert.ok(existsSync(path), `@microsoft/m365agentstoolkit-cli ships no yml schema ${version}`);
    validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(path, 'utf8')) as object);
    validators.set(version, validate);
  }
  return validate;
}

interface ToolkitFile {
  version: string;
  [stage: string]: unknown;
}

function readToolkitFile(name: string): { text: string; doc: ToolkitFile } {
  const text = readFileSync(join(ROOT, name), 'utf8');
  return { text, doc: parse(text) as ToolkitFile };
}

/** The schema errors for a parsed yml document, as readable lines (empty when it is valid). */
function schemaErrors(doc: ToolkitFile): string[] {
  const validate = validatorFor(doc.version);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function actionsOf(doc: ToolkitFile): Array<{ uses: string; with?: Record<string, unknown> }> {
  return ['provision', 'deploy', 'publish'].flatMap(
    (stage) => (doc[stage] ?? []) as Array<{ uses: string; with?: Record<string, unknown> }>,
  );
}

describe('Agents Toolkit project files (teamsapp*.yml) against the schemas @microsoft/m365agentstoolkit-cli ships', () => {
  it(`the CLI ships yml schemas up to at least v1.${OLDEST_ACCEPTED}`, () => {
    const versions = shippedVersions();
    assert.ok(minor(versions.at(-1) ?? 'v1.0') >= OLDEST_ACCEPTED, versions.join(', '));
  });

  for (const name of TOOLKIT_FILES) {
    describe(name, () => {
      it(`is on yml schema v1.${OLDEST_ACCEPTED} or newer, with the matching $schema URL`, () => {
        const { text, doc } = readToolkitFile(name);
        assert.ok(minor(doc.version) >= OLDEST_ACCEPTED, `version ${doc.version}`);
        assert.ok(shippedVersions().includes(doc.version), `no shipped schema for ${doc.version}`);
        assert.match(
          text.split('\n')[0] ?? '',
          new RegExp(
            `^# yaml-language-server: \\$schema=https://aka\\.ms/m365-agents-toolkits/${doc.version.replace('.', '\\.')}/yaml\\.schema\\.json$`,
          ),
        );
      });

      it('validates against that schema', () => {
        const { doc } = readToolkitFile(name);
        assert.deepEqual(schemaErrors(doc), []);
      });

      it('fails validation when an action name is misspelled', () => {
        const { doc } = readToolkitFile(name);
        const copy = structuredClone(doc);
        const action = actionsOf(copy).find((a) => a.uses === 'teamsApp/zipAppPackage');
        assert.ok(action, 'teamsApp/zipAppPackage is used');
        action.uses = 'teamsApp/zipAppPakage';
        assert.notDeepEqual(schemaErrors(copy), []);
      });

      it('fails validation for a parameter the action does not take, and without a required one', () => {
        const { doc } = readToolkitFile(name);
        const extra = structuredClone(doc);
        const zip = actionsOf(extra).find((a) => a.uses === 'teamsApp/zipAppPackage');
        assert.ok(zip?.with);
        zip.with.outputJsonPath = './appPackage/build/manifest.json'; // the v1.2 parameter, replaced by outputFolder
        assert.notDeepEqual(schemaErrors(extra), []);

        const missing = structuredClone(doc);
        const create = actionsOf(missing).find((a) => a.uses === 'aadApp/create');
        assert.ok(create?.with);
        delete create.with.signInAudience;
        assert.notDeepEqual(schemaErrors(missing), []);
      });
    });
  }

  it('the remote file makes no bot app registration (the bot is a user-assigned managed identity from infra/)', () => {
    const uses = actionsOf(readToolkitFile('teamsapp.yml').doc).map((a) => a.uses);
    assert.ok(!uses.includes('botAadApp/create'), uses.join(', '));
    assert.ok(uses.includes('arm/deploy'));
  });
});

describe('aad.manifest.json (the Entra app for SSO and on-behalf-of)', () => {
  interface AadManifest {
    signInAudience: string;
    requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
  }
  const manifest = JSON.parse(readFileSync(join(ROOT, 'aad.manifest.json'), 'utf8')) as AadManifest;
  const graphScopes = () =>
    manifest.requiredResourceAccess
      .filter((r) => r.resourceAppId === 'Microsoft Graph')
      .flatMap((r) => r.resourceAccess)
      .filter((a) => a.type === 'Scope')
      .map((a) => a.id);

  it('requests delegated OnlineMeetings.ReadWrite and VirtualEvent.ReadWrite (town halls) from Graph', () => {
    assert.ok(graphScopes().includes(ONLINE_MEETINGS_READ_WRITE));
    assert.ok(graphScopes().includes(VIRTUAL_EVENT_READ_WRITE));
  });

  it('is single-tenant, like the bot', () => {
    assert.equal(manifest.signInAudience, 'AzureADMyOrg');
  });
});
