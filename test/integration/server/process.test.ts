import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from '../../../emulators/entra';
import { LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { ADA, freePort, messageActivity } from '../../support/harness';

/** Convene as a real process (`src/index.ts` through tsx), configured only by environment variables. */
describe('the Convene process (runtime contract)', function () {
  this.timeout(60_000);
  let entra: EntraEmulator;
  let graph: GraphEmulator;
  let connector: FakeConnector;

  before(async () => {
    entra = await startEntraEmulator({ clients: [DEFAULT_CLIENT] });
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
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/index.ts'], {
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    return { child, output: () => out };
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

  it('serves /healthz, says it is unauthenticated, and on SIGTERM finishes the turn in flight before exiting', async () => {
    const port = await freePort();
    // Application mode needs no user sign-in, so a slow Graph makes a slow turn with nothing else in the way.
    graph.grantAccessPolicy(LOCAL_CLIENT_ID, 'global');
    const { child, output } = start({
      PORT: String(port),
      BOT_ENDPOINT: `http://127.0.0.1:${port}`,
      AAD_APP_CLIENT_ID: LOCAL_CLIENT_ID,
      AAD_APP_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
      AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
      AAD_APP_OAUTH_AUTHORITY_HOST: entra.url,
      GRAPH_BASE_URL: graph.baseUrl,
      MEETINGS_AUTH_MODE: 'application',
      LOG_LEVEL: 'info',
    });
    try {
      await healthy(port);
      assert.match(output(), /NOT authenticated/);
      graph.setLatency(1500);
      const inFlight = fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(messageActivity({ connector }, 'meet shutdown check tomorrow 3pm', { user: ADA })),
      });
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
});
