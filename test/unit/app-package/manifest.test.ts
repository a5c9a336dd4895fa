import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_APP_ID_URI, LOCAL_CLIENT_ID, LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import {
  checkManifestAgainstEnv,
  newestSchemaVersion,
  validateManifestSchema,
} from '../../../scripts/app-package/validate';
import { deletePath, filledLocalManifest, localEnv, ROOT } from './helpers';

describe('appPackage/manifest.json', () => {
  it('uses the newest manifest schema @microsoft/app-manifest ships, with a matching $schema', () => {
    const raw = JSON.parse(readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8')) as Record<string, string>;
    const newest = newestSchemaVersion();
    assert.equal(raw['manifestVersion'], newest);
    assert.equal(
      raw['$schema'],
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`,
    );
  });

  it('validates against the official schema once filled from env/.env.local', async () => {
    assert.deepEqual(await validateManifestSchema(filledLocalManifest()), []);
  });

  const requiredPaths: ReadonlyArray<readonly string[]> = [
    ['name'],
    ['id'],
    ['developer'],
    ['developer', 'privacyUrl'],
    ['icons', 'outline'],
    ['accentColor'],
    ['bots', '0', 'botId'],
    ['bots', '0', 'scopes'],
    ['composeExtensions', '0', 'commands', '0', 'id'],
  ];
  for (const path of requiredPaths) {
    it(`fails schema validation without the required ${path.join('.')}`, async () => {
      const manifest = filledLocalManifest();
      deletePath(manifest, path);
      const errors = await validateManifestSchema(manifest);
      assert.ok(
        errors.some((e) => e.includes(`"missingProperty":"${path[path.length - 1]}"`)),
        `expected a missingProperty error, got ${JSON.stringify(errors)}`,
      );
    });
  }

  it('fails schema validation when bots[0].botId is not a GUID', async () => {
    const manifest = filledLocalManifest();
    manifest.bots[0]!.botId = 'not-a-guid';
    const errors = await validateManifestSchema(manifest);
    assert.ok(
      errors.some((e) => e.includes('/bots/0/botId')),
      JSON.stringify(errors),
    );
  });

  it('fails when manifestVersion has no shipped schema', async () => {
    const manifest = filledLocalManifest();
    manifest.manifestVersion = '9.99';
    const errors = await validateManifestSchema(manifest);
    assert.match(errors.join('\n'), /ships no schema for manifestVersion "9\.99"/);
  });

  it('points SSO at the Entra app: webApplicationInfo = AAD_APP_CLIENT_ID / AAD_APP_ID_URI (the local stand-ins)', () => {
    const env = localEnv();
    const manifest = filledLocalManifest();
    assert.equal(manifest.webApplicationInfo.resource, env['AAD_APP_ID_URI']);
    assert.equal(manifest.webApplicationInfo.id, env['AAD_APP_CLIENT_ID']);
    assert.equal(env['AAD_APP_ID_URI'], LOCAL_APP_ID_URI);
    assert.equal(env['AAD_APP_CLIENT_ID'], LOCAL_CLIENT_ID);
    assert.equal(env['AAD_APP_TENANT_ID'], LOCAL_TENANT_ID);
    assert.deepEqual(checkManifestAgainstEnv(manifest, env), []);
  });

  it('declares the runtime contract: bot scopes, commands and the two compose extension commands', () => {
    const m = filledLocalManifest();
    const bot = m.bots[0]!;
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);
    for (const list of bot.commandLists) {
      assert.deepEqual(
        list.commands.map((c) => c.title),
        ['help', 'meet', 'signout'],
      );
      for (const c of list.commands) assert.ok(c.description, `${c.title} has a description`);
    }
    const covered = new Set(bot.commandLists.flatMap((l) => l.scopes));
    assert.deepEqual([...covered].sort(), ['groupChat', 'personal', 'team']);

    const [create, recent] = m.composeExtensions[0]!.commands;
    assert.ok(create && recent);
    assert.deepEqual(
      { id: create.id, type: create.type, fetchTask: create.fetchTask, context: create.context },
      { id: 'createMeeting', type: 'action', fetchTask: true, context: ['compose', 'commandBox', 'message'] },
    );
    assert.equal(recent.id, 'recentMeetings');
    assert.equal(recent.type, 'query');
    assert.equal(recent.initialRun, true);
    // `query` stays first (the search box); the rest are for Copilot (copilot-plugin.test.ts).
    assert.deepEqual(
      recent.parameters?.map((p) => p.name),
      ['query', 'from', 'to', 'organizer'],
    );
    assert.equal(m.composeExtensions[0]!.botId, bot.botId);
    assert.deepEqual(m.permissions, ['identity', 'messageTeamMembers']);
    assert.deepEqual(m.validDomains, [localEnv()['BOT_DOMAIN']]);
  });
});

describe('checkManifestAgainstEnv()', () => {
  it('reports a webApplicationInfo.resource that differs from AAD_APP_ID_URI', () => {
    const env = { ...localEnv(), AAD_APP_ID_URI: 'api://botid-00000000-0000-0000-0000-000000000000' };
    const problems = checkManifestAgainstEnv(filledLocalManifest(), env);
    assert.ok(
      problems.some((p) => p.startsWith('webApplicationInfo.resource')),
      JSON.stringify(problems),
    );
  });

  it('reports a bot domain missing from validDomains', () => {
    const env = { ...localEnv(), BOT_ENDPOINT: 'https://convene.example.net', BOT_DOMAIN: 'convene.example.net' };
    const problems = checkManifestAgainstEnv(filledLocalManifest(), env);
    assert.ok(
      problems.includes('validDomains must contain the bot\'s domain "convene.example.net"'),
      JSON.stringify(problems),
    );
  });

  it('reports a bot id that differs from BOT_ID', () => {
    const manifest = filledLocalManifest();
    manifest.bots[0]!.botId = '00000000-0000-0000-0000-000000000001';
    const problems = checkManifestAgainstEnv(manifest, localEnv());
    assert.ok(
      problems.some((p) => p.startsWith('bots[0].botId')),
      JSON.stringify(problems),
    );
  });
});
