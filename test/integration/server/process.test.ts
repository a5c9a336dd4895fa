import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { bundleConvene } from '../../../scripts/bundle';
import { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from '../../../emulators/entra';
import { LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import {
  botbuilderKeys,
  channelToken,
  ISSUER,
  KID,
  startIdentityEndpoint,
  startKeyService,
} from '../../support/bot-identity-stand-ins';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { SignedTokens } from '../../../src/auth/signed-token';
import { ADA, GRACE, completeSignInLink, freePort, invokeActivity, messageActivity } from '../../support/harness';

/** Where the bundle under test is written: inside the project, so its externals (pino, teams-js) resolve. */
const TEST_BUNDLE = resolve(__dirname, '../../../.local/test-bundle/convene.js');

/**
 * Convene as a real process, configured only by environment variables: from the sources through tsx, and as the
 * bundle `npm run build` makes and `npm start` runs (scripts/bundle.ts), so what ships is what is tested.
 */
const ENTRIES = [
  { name: 'src/index.ts through tsx', args: ['--require', 'tsx/cjs', 'src/index.ts'], prepare: async () => undefined },
  { name: 'the bundle npm start runs', args: [TEST_BUNDLE], prepare: () => bundleConvene(TEST_BUNDLE) },
];

for (const entry of ENTRIES)
  describe(`the Convene process (runtime contract): ${entry.name}`, function () {
    this.timeout(60_000);
    let entra: EntraEmulator;
    let graph: GraphEmulator;
    let connector: FakeConnector;
    /** The sign-in test's port, known up front: Entra accepts only registered redirect URIs. */
    let signInPort: number;

    before(async () => {
      await entry.prepare();
      signInPort = await freePort();
      entra = await startEntraEmulator({
        clients: [
          {
            ...DEFAULT_CLIENT,
            redirectUris: [...DEFAULT_CLIENT.redirectUris, `http://127.0.0.1:${signInPort}/auth/callback`],
          },
        ],
      });
      graph = await startGraphEmulator({ jwksUrl: entra.jwksUri });
      connector = await startFakeConnector();
    });
    after(async () => {
      await connector.close();
      await graph.close();
      await entra.close();
    });

    function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
      let out = '';
      const child = spawn(process.execPath, entry.args, {
        env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      return { child, output: () => out };
    }

    /** The runtime contract's variables, pointed at the stand-ins. */
    function contractEnv(port: number): Record<string, string> {
      return {
        PORT: String(port),
        BOT_ENDPOINT: `http://127.0.0.1:${port}`,
        AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
        AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
        AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
        AAD_APP_OAUTH_AUTHORITY_HOST: entra.url,
        GRAPH_BASE_URL: graph.baseUrl,
      };
    }

    function post(port: number, activity: Record<string, unknown>): Promise<Response> {
      return fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity),
      });
    }

    async function healthy(port: number, timeoutInMs = 30_000): Promise<void> {
      const until = Date.now() + timeoutInMs;
      while (Date.now() < until) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('never healthy');
    }

    it('refuses to start without AAD_APP_CLIENT_ID, naming it', async () => {
      const { child, output } = start({ AAD_APP_CLIENT_SECRET: 's', AAD_APP_TENANT_ID: 't' });
      const [code] = (await once(child, 'exit')) as [number];
      assert.notEqual(code, 0);
      assert.match(output(), /AAD_APP_CLIENT_ID/);
    });

    it('refuses to start with a bot identity it cannot use, naming the variable (BOT_TYPE, BOT_TENANT_ID, BOT_ID)', async () => {
      const base = { AAD_APP_CLIENT_ID: 'c', AAD_APP_CLIENT_SECRET: 's', AAD_APP_TENANT_ID: 't' };
      const cases: { env: Record<string, string>; says: RegExp }[] = [
        {
          env: { BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TYPE: 'Federated' },
          says: /convene: Invalid configuration: BOT_TYPE must be one of SingleTenant, UserAssignedMSI, MultiTenant/,
        },
        {
          env: { BOT_ID: 'bot', BOT_PASSWORD: 'pw', BOT_TYPE: 'SingleTenant' },
          says: /convene: Missing configuration: BOT_TENANT_ID .*is required when BOT_TYPE=SingleTenant/,
        },
        {
          env: { BOT_TENANT_ID: 't', BOT_TYPE: 'UserAssignedMSI' },
          says: /convene: Missing configuration: BOT_ID \(the managed identity's client id\) is required when BOT_TYPE=UserAssignedMSI/,
        },
      ];
      await Promise.all(
        cases.map(async ({ env, says }) => {
          const { child, output } = start({ ...base, ...env });
          const [code] = (await once(child, 'exit')) as [number];
          assert.equal(code, 2, output());
          assert.match(output(), says);
        }),
      );
    });

    it('refuses to start unauthenticated on a public BOT_ENDPOINT, or on Redis without SIGNING_SECRET, naming the variable', async () => {
      const port = await freePort();
      const publicBot = start({ ...contractEnv(port), BOT_ENDPOINT: 'https://convene.example.com' });
      const redis = start({ ...contractEnv(port), REDIS_URL: 'redis://127.0.0.1:1' });
      // Both listened for now: either may exit while the other is awaited.
      const exits = [once(publicBot.child, 'exit'), once(redis.child, 'exit')];
      try {
        const [code] = (await exits[0]) as [number];
        assert.equal(code, 2, publicBot.output());
        assert.match(publicBot.output(), /BOT_ID is empty/);
        assert.match(publicBot.output(), /ALLOW_UNAUTHENTICATED_BOT=true/);
        const [redisCode] = (await exits[1]) as [number];
        assert.equal(redisCode, 2, redis.output());
        assert.match(redis.output(), /SIGNING_SECRET is required when REDIS_URL is set/);
      } finally {
        // A process that started instead of refusing must not outlive the test.
        for (const { child } of [publicBot, redis]) if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('unauthenticated (BOT_ID empty): answers callers on this machine only, unless ALLOW_UNAUTHENTICATED_BOT=true', async function () {
      // The machine's own non-loopback address reaches the listener as a caller from the network would.
      const external = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && !a.internal && a.family === 'IPv4');
      if (!external) this.skip();
      for (const [optIn, expected] of [
        ['false', 403],
        ['true', 200],
      ] as const) {
        const port = await freePort();
        const { child, output } = start({ ...contractEnv(port), ALLOW_UNAUTHENTICATED_BOT: optIn, LOG_LEVEL: 'warn' });
        try {
          await healthy(port);
          const body = JSON.stringify(messageActivity({ connector }, 'help', { user: ADA }));
          const fromNetwork: Response = await fetch(`http://${external!.address}:${port}/api/messages`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
          });
          assert.equal(
            fromNetwork.status,
            expected,
            `ALLOW_UNAUTHENTICATED_BOT=${optIn}: ${await fromNetwork.text()} ${output()}`,
          );
          assert.equal(
            (await post(port, messageActivity({ connector }, 'help', { user: ADA }))).status,
            200,
            'from this machine',
          );
        } finally {
          child.kill('SIGTERM');
          if (child.exitCode === null) await once(child, 'exit');
        }
      }
    });

    it('serves /healthz, says it is unauthenticated, and on SIGTERM finishes the turn in flight before exiting', async () => {
      const port = await freePort();
      // Application mode needs no user sign-in, so a slow Graph makes a slow turn with nothing else in the way.
      graph.grantAccessPolicy(LOCAL_CLIENT_ID, 'global');
      const { child, output } = start({ ...contractEnv(port), MEETINGS_AUTH_MODE: 'application', LOG_LEVEL: 'info' });
      try {
        await healthy(port);
        assert.match(output(), /NOT authenticated/);
        graph.setLatency(1500);
        const inFlight = post(port, messageActivity({ connector }, 'meet shutdown check tomorrow 3pm', { user: ADA }));
        await new Promise((r) => setTimeout(r, 300));
        child.kill('SIGTERM');
        const res = await inFlight;
        assert.equal(res.status, 200);
        await connector.waitForMessage((c) => JSON.stringify(c.activity).includes('meetup-join'), 5000);
        const [code] = (await once(child, 'exit')) as [number];
        assert.equal(code, 0);
        assert.match(output(), /shutting down/);
      } finally {
        graph.setLatency(0);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it("as a UserAssignedMSI bot, checks the channel token and replies with a token from App Service's managed identity endpoint", async () => {
      const MSI_CLIENT_ID = '2f4e6a8c-1b3d-4f5a-9c7e-c0ffee00a5a3';
      const pair = await generateKeyPair('RS256', { extractable: true });
      const keys = await startKeyService(ISSUER, await exportJWK(pair.publicKey), KID);
      const identity = await startIdentityEndpoint('process-test-identity-header');
      const port = await freePort();
      const { child, output } = start({
        ...contractEnv(port),
        BOT_ID: MSI_CLIENT_ID,
        BOT_TENANT_ID: LOCAL_TENANT_ID,
        BOT_TYPE: 'UserAssignedMSI',
        ...botbuilderKeys(keys, keys),
        // What App Service sets for a Web App with a managed identity.
        IDENTITY_ENDPOINT: identity.url,
        IDENTITY_HEADER: 'process-test-identity-header',
        LOG_LEVEL: 'warn',
      });
      try {
        await healthy(port);
        assert.equal((await post(port, messageActivity({ connector }, 'help'))).status, 401, 'no channel token → 401');
        const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${await channelToken(pair.privateKey, MSI_CLIENT_ID, connector.serviceUrl)}`,
          },
          body: JSON.stringify(messageActivity({ connector }, 'help process msi')),
        });
        assert.equal(res.status, 200, output());
        const reply = await connector.waitForMessage((c) => c.authorization === `Bearer ${identity.token}`, 10_000);
        assert.ok(reply, output());
        assert.ok(
          identity.requests.some((r) => r.clientId === MSI_CLIENT_ID),
          JSON.stringify(identity.requests),
        );
      } finally {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
        await keys.close();
        await identity.close();
      }
    });

    it('signs users in (the link; Teams SSO) and answers their commands with meeting cards', async () => {
      const port = signInPort;
      const secret = 'process-test-signing-secret-0123456789abcdef';
      const { child, output } = start({ ...contractEnv(port), SIGNING_SECRET: secret, LOG_LEVEL: 'warn' });
      try {
        await healthy(port);
        const token = new SignedTokens(secret, { now: () => Date.now() }).sign(
          { o: ADA.aadObjectId, t: LOCAL_TENANT_ID },
          60_000,
        );
        const signIn = await completeSignInLink(
          `http://127.0.0.1:${port}/auth/start?t=${encodeURIComponent(token)}`,
          ADA,
        );
        assert.equal(signIn.status, 200, `${signIn.page.slice(0, 400)}\n${output()}`);
        const res = await post(port, messageActivity({ connector }, 'meet process check tomorrow 3pm', { user: ADA }));
        assert.equal(res.status, 200);
        const card = await connector.waitForMessage(
          (c) => JSON.stringify(c.activity).includes('process check'),
          10_000,
        );
        assert.match(JSON.stringify(card.activity), /meetup-join/);

        // Teams SSO (jose validates the token, msal exchanges it on-behalf-of): the prompt's exchange completes the command.
        await post(port, messageActivity({ connector }, 'meet sso process check tomorrow 4pm', { user: GRACE }));
        const prompt = await connector.waitForMessage(
          (c) => JSON.stringify(c.activity).includes('tokenExchangeResource'),
          10_000,
        );
        const attachments =
          (prompt.activity.attachments as {
            contentType: string;
            content: { tokenExchangeResource: { id: string } };
          }[]) ?? [];
        const exchangeId = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.oauth')!.content
          .tokenExchangeResource.id;
        const exchange = await post(
          port,
          invokeActivity(
            { connector },
            'signin/tokenExchange',
            { id: exchangeId, connectionName: '', token: entra.mintSsoToken({ oid: GRACE.aadObjectId }) },
            { user: GRACE },
          ),
        );
        assert.equal(exchange.status, 200, output());
        const ssoCard = await connector.waitForMessage(
          (c) => JSON.stringify(c.activity).includes('sso process check'),
          10_000,
        );
        assert.match(JSON.stringify(ssoCard.activity), /meetup-join/);

        const malformed = await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"type":',
        });
        assert.equal(malformed.status, 400);
      } finally {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
      }
    });
  });
