import assert from 'node:assert/strict';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { ConfigError, loadConfig } from '../../../src/config/config';

const base = { AAD_APP_CLIENT_ID: 'client', AAD_APP_CLIENT_SECRET: 'secret', AAD_APP_TENANT_ID: 'tenant' };

describe('loadConfig()', () => {
  it('applies the runtime contract defaults', () => {
    const c = loadConfig(base);
    assert.equal(c.port, 3978);
    assert.equal(c.bot.endpoint, 'http://localhost:3978');
    assert.equal(c.bot.unauthenticated, true);
    assert.equal(c.aad.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(c.aad.appIdUri, 'api://client');
    assert.equal(c.graphBaseUrl, 'https://graph.microsoft.com/v1.0');
    assert.equal(c.liveMeetings, 'townhall');
    assert.equal(loadConfig({ ...base, LIVE_MEETINGS: 'broadcast' }).liveMeetings, 'broadcast');
    assert.equal(c.meetingsAuthMode, 'delegated');
    assert.equal(c.teamsSso, true);
    assert.equal(c.composeSubmitResult, 'preview');
    assert.equal(loadConfig({ ...base, COMPOSE_SUBMIT_RESULT: 'insert' }).composeSubmitResult, 'insert');
    assert.equal(c.redisUrl, undefined);
    assert.ok(c.signingSecret.length >= 32);
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.aad));
  });

  it('takes DEV_LOCALE for local development only (BOT_ID empty) and refuses it with a bot identity', () => {
    assert.equal(loadConfig(base).devLocale, undefined);
    assert.equal(loadConfig({ ...base, DEV_LOCALE: 'zh-CN' }).devLocale, 'zh-CN');
    assert.throws(
      () => loadConfig({ ...base, DEV_LOCALE: 'fr-FR' }),
      (e: unknown) => e instanceof ConfigError && /DEV_LOCALE/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ ...base, DEV_LOCALE: 'ja-JP', BOT_ID: 'bot', BOT_TYPE: 'SingleTenant' }),
      (e: unknown) => e instanceof ConfigError && /DEV_LOCALE.*BOT_ID/.test(e.message),
    );
  });

  it('derives the app ID URI from BOT_ID and maps BOT_* to botbuilder keys', () => {
    const c = loadConfig({
      ...base,
      BOT_ID: 'bot',
      BOT_PASSWORD: 'pw',
      BOT_TENANT_ID: 't',
      BOT_TYPE: 'SingleTenant',
      PORT: '4000',
    });
    assert.equal(c.aad.appIdUri, 'api://botid-bot');
    assert.equal(c.bot.endpoint, 'http://localhost:4000');
    assert.deepEqual(c.botFrameworkAuth, {
      MicrosoftAppId: 'bot',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: 't',
      MicrosoftAppType: 'SingleTenant',
    });
  });

  it("passes botbuilder's own authentication settings through unchanged", () => {
    const c = loadConfig({
      ...base,
      BOT_ID: 'bot',
      BOT_PASSWORD: 'pw',
      BOT_TYPE: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/meta',
      CallerId: 'x',
    });
    assert.equal(c.botFrameworkAuth.ToBotFromChannelOpenIdMetadataUrl, 'http://127.0.0.1:1/meta');
    assert.equal(c.botFrameworkAuth.CallerId, 'x');
  });

  for (const name of ['AAD_APP_CLIENT_ID', 'AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID']) {
    it(`fails naming ${name} when it is missing in delegated mode`, () => {
      const env: Record<string, string> = { ...base };
      delete env[name];
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      );
    });
  }

  it('fails naming a malformed variable', () => {
    assert.throws(() => loadConfig({ ...base, PORT: 'eighty' }), /PORT/);
    assert.throws(
      () => loadConfig({ ...base, AAD_APP_OAUTH_AUTHORITY_HOST: 'http://login.local' }),
      /AAD_APP_OAUTH_AUTHORITY_HOST/,
    );
    assert.throws(() => loadConfig({ ...base, MEETINGS_AUTH_MODE: 'magic' }), /MEETINGS_AUTH_MODE/);
    assert.throws(() => loadConfig({ ...base, GRAPH_BASE_URL: 'ftp://x' }), /GRAPH_BASE_URL/);
    assert.throws(() => loadConfig({ ...base, COMPOSE_SUBMIT_RESULT: 'popup' }), /COMPOSE_SUBMIT_RESULT/);
    assert.throws(
      () => loadConfig({ ...base, GRAPH_BASE_URL: 'https://graph.microsoft.com' }),
      /GRAPH_BASE_URL must end in the Graph version/,
    );
    assert.throws(() => loadConfig({ ...base, GRAPH_BASE_URL: 'https://graph.microsoft.com/v2.0' }), /GRAPH_BASE_URL/);
    assert.equal(
      loadConfig({ ...base, GRAPH_BASE_URL: 'http://127.0.0.1:9/beta/' }).graphBaseUrl,
      'http://127.0.0.1:9/beta',
    );
    assert.throws(() => loadConfig({ ...base, LIVE_MEETINGS: 'webinar' }), /LIVE_MEETINGS/);
  });

  describe('bot identity (BOT_TYPE)', () => {
    const tenant = '7e5c8f2a-3b1d-4c6e-9f0a-c0ffee000001';
    const rejects = (env: Record<string, string>, pattern: RegExp) =>
      assert.throws(
        () => loadConfig({ ...base, ...env }),
        (e: unknown) => e instanceof ConfigError && pattern.test(e.message),
      );

    it('has no default type: with BOT_ID empty the bot is unauthenticated and botbuilder sees no app type', () => {
      const c = loadConfig(base);
      assert.equal(c.bot.type, undefined);
      assert.equal(c.bot.unauthenticated, true);
      assert.deepEqual(c.botFrameworkAuth, {});
    });

    it("maps UserAssignedMSI to botbuilder's managed-identity settings (client id in BOT_ID, no password)", () => {
      const c = loadConfig({ ...base, BOT_ID: 'msi-client-id', BOT_TENANT_ID: tenant, BOT_TYPE: 'UserAssignedMSI' });
      assert.equal(c.bot.type, 'UserAssignedMSI');
      assert.deepEqual(c.botFrameworkAuth, {
        MicrosoftAppId: 'msi-client-id',
        MicrosoftAppTenantId: tenant,
        MicrosoftAppType: 'UserAssignedMSI',
      });
    });

    it('reads the Toolkit template spelling UserAssignedMsi (any casing) as UserAssignedMSI', () => {
      assert.equal(
        loadConfig({ ...base, BOT_ID: 'id', BOT_TENANT_ID: tenant, BOT_TYPE: 'UserAssignedMsi' }).bot.type,
        'UserAssignedMSI',
      );
      assert.equal(
        loadConfig({ ...base, BOT_ID: 'id', BOT_PASSWORD: 'pw', BOT_TENANT_ID: tenant, BOT_TYPE: 'singletenant' }).bot
          .type,
        'SingleTenant',
      );
    });

    it('still accepts MultiTenant for bots registered before Azure stopped creating them', () => {
      const c = loadConfig({ ...base, BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TYPE: 'MultiTenant' });
      assert.equal(c.botFrameworkAuth.MicrosoftAppType, 'MultiTenant');
    });

    it('fails naming BOT_TYPE when it is not a type botbuilder knows', () => {
      rejects(
        { BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TYPE: 'ManagedIdentity' },
        /^Invalid configuration: BOT_TYPE must be one of SingleTenant, UserAssignedMSI, MultiTenant/,
      );
    });

    it('fails naming BOT_TYPE when BOT_ID is set without one (the default is no longer MultiTenant)', () => {
      rejects({ BOT_ID: 'bot', BOT_PASSWORD: 'pw' }, /BOT_TYPE is required when BOT_ID is set/);
    });

    it('fails naming BOT_TENANT_ID for SingleTenant without it, with or without BOT_ID', () => {
      rejects(
        { BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TYPE: 'SingleTenant' },
        /BOT_TENANT_ID \(the bot app's tenant\) is required when BOT_TYPE=SingleTenant/,
      );
      rejects({ BOT_TYPE: 'SingleTenant' }, /BOT_TENANT_ID \(the bot app's tenant\) is required/);
    });

    it('fails naming BOT_PASSWORD for SingleTenant with a BOT_ID but no secret', () => {
      rejects(
        { BOT_ID: 'bot', BOT_TENANT_ID: tenant, BOT_TYPE: 'SingleTenant' },
        /BOT_PASSWORD is required when BOT_TYPE=SingleTenant/,
      );
    });

    it("fails naming BOT_ID for UserAssignedMSI without the identity's client id", () => {
      rejects(
        { BOT_TENANT_ID: tenant, BOT_TYPE: 'UserAssignedMSI' },
        /BOT_ID \(the managed identity's client id\) is required when BOT_TYPE=UserAssignedMSI/,
      );
    });

    it('fails naming BOT_TENANT_ID for UserAssignedMSI without it, and BOT_PASSWORD when one is set', () => {
      rejects(
        { BOT_ID: 'id', BOT_TYPE: 'UserAssignedMSI' },
        /BOT_TENANT_ID .*is required when BOT_TYPE=UserAssignedMSI/,
      );
      rejects(
        { BOT_ID: 'id', BOT_TENANT_ID: tenant, BOT_PASSWORD: 'pw', BOT_TYPE: 'UserAssignedMSI' },
        /BOT_PASSWORD must be empty when BOT_TYPE=UserAssignedMSI/,
      );
    });

    it("builds botbuilder's authentication for every accepted identity without throwing", () => {
      for (const env of [
        { BOT_ID: 'msi-client-id', BOT_TENANT_ID: tenant, BOT_TYPE: 'UserAssignedMSI' },
        { BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TENANT_ID: tenant, BOT_TYPE: 'SingleTenant' },
        { BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TYPE: 'MultiTenant' },
        {},
      ]) {
        assert.doesNotThrow(
          () => new ConfigurationServiceClientCredentialFactory(loadConfig({ ...base, ...env }).botFrameworkAuth),
          JSON.stringify(env),
        );
      }
    });
  });

  it('treats empty strings as unset (Toolkit env files leave values empty)', () => {
    const c = loadConfig({ ...base, BOT_ID: '', REDIS_URL: '', PORT: '' });
    assert.equal(c.bot.id, undefined);
    assert.equal(c.redisUrl, undefined);
    assert.equal(c.port, 3978);
  });

  describe('unauthenticated bots (BOT_ID empty) and shared state', () => {
    for (const endpoint of [
      'http://localhost:3978',
      'http://127.0.0.1:4000',
      'http://127.8.9.10',
      'http://[::1]:3978',
      'https://LOCALHOST',
    ]) {
      it(`starts unauthenticated on a loopback BOT_ENDPOINT (${endpoint})`, () => {
        const c = loadConfig({ ...base, BOT_ENDPOINT: endpoint });
        assert.equal(c.bot.unauthenticated, true);
        assert.equal(c.bot.allowUnauthenticatedRemote, false);
      });
    }

    for (const endpoint of [
      'https://convene.example.com',
      'http://10.0.0.5:3978',
      'http://128.0.0.1',
      'http://localhost.example.com',
      'http://[::2]',
      'http://0.0.0.0:3978',
    ]) {
      it(`refuses to start unauthenticated on a public BOT_ENDPOINT (${endpoint}), naming BOT_ID and the opt-in`, () => {
        assert.throws(
          () => loadConfig({ ...base, BOT_ENDPOINT: endpoint }),
          (e: unknown) =>
            e instanceof ConfigError && /BOT_ID/.test(e.message) && /ALLOW_UNAUTHENTICATED_BOT=true/.test(e.message),
        );
      });
    }

    it('starts unauthenticated on a public BOT_ENDPOINT only with ALLOW_UNAUTHENTICATED_BOT=true', () => {
      const c = loadConfig({ ...base, BOT_ENDPOINT: 'https://convene.example.com', ALLOW_UNAUTHENTICATED_BOT: 'true' });
      assert.equal(c.bot.unauthenticated, true);
      assert.equal(c.bot.allowUnauthenticatedRemote, true);
      assert.throws(() => loadConfig({ ...base, ALLOW_UNAUTHENTICATED_BOT: 'yes' }), /ALLOW_UNAUTHENTICATED_BOT/);
      assert.throws(
        () => loadConfig({ ...base, BOT_ENDPOINT: 'https://convene.example.com', ALLOW_UNAUTHENTICATED_BOT: 'false' }),
        /BOT_ID/,
      );
    });

    it('needs no opt-in when BOT_ID is set, whatever the endpoint', () => {
      const c = loadConfig({
        ...base,
        BOT_ID: 'bot',
        BOT_PASSWORD: 'pw',
        BOT_TYPE: 'MultiTenant',
        BOT_ENDPOINT: 'https://convene.example.com',
      });
      assert.equal(c.bot.unauthenticated, false);
    });

    it('requires SIGNING_SECRET when REDIS_URL is set (instances must share it), naming it', () => {
      assert.throws(
        () => loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }),
        (e: unknown) => e instanceof ConfigError && /SIGNING_SECRET/.test(e.message) && /REDIS_URL/.test(e.message),
      );
      const secret = 'a-shared-signing-secret-0123456789';
      assert.equal(
        loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379', SIGNING_SECRET: secret }).signingSecret,
        secret,
      );
    });
  });
});
