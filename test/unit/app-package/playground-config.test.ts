import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LOCAL_TEAM, LOCAL_TENANT_ID, LOCAL_USERS } from '../../../emulators/fixtures';
import { ROOT } from './helpers';

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

interface PlaygroundConfig {
  tenantId: string;
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  groupChats: Array<{ id: string; name: string; members: string[] }>;
  teams: Array<{ id: string; name: string; channels: Array<{ id: string; name: string }> }>;
}

/**
 * Starts the real Agents Playground (offline, no browser, no telemetry) in the project root so it loads
 * .m365agentsplayground.yml, and reads back the config it serves. A schema failure makes it exit 1.
 */
describe('.m365agentsplayground.yml (loaded by the Agents Playground)', function () {
  this.timeout(40000);
  let bot: Server;
  let playground: ChildProcess | undefined;
  let config: PlaygroundConfig;

  before(async () => {
    // A stand-in bot: the Playground probes its endpoint and waits up to 15 s for it before answering /config.
    bot = createServer((req, res) => {
      req.resume();
      // Two calls: restify (loaded by other suites) patches writeHead so it no longer returns the response.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const botPort = (bot.address() as AddressInfo).port;

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    };
    delete env['BOT_ENDPOINT']; // the Playground would read it as the bot's messages URL
    delete env['M365_AGENTS_PLAYGROUND_CONFIG_PATH'];
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'),
        '-e',
        `http://127.0.0.1:${botPort}/api/messages`,
        '-c',
        'msteams',
        '-p',
        '0',
        '--disable-telemetry',
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    playground = child;
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /Listening on (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) =>
        reject(
          new Error(`Playground exited with ${code} (config rejected? see devTools/m365agentsplayground.log): ${out}`),
        ),
      );
    });
    const res = await fetch(`http://127.0.0.1:${port}/_internal/v1/config`);
    assert.equal(res.status, 200);
    config = ((await res.json()) as { config: PlaygroundConfig }).config;
  });

  after(async () => {
    if (playground && playground.exitCode === null) {
      const exited = new Promise((resolve) => playground!.once('exit', resolve));
      playground.kill();
      await exited;
    }
    await new Promise((resolve) => bot.close(resolve));
  });

  it('uses the local tenant', () => {
    assert.equal(config.tenantId, LOCAL_TENANT_ID);
  });

  it('has every fixture user, Ada (LOCAL_USERS[0]) as the current user, and exactly 5 other users', () => {
    const people: PlaygroundUser[] = [config.currentUser, ...config.users];
    assert.equal(config.users.length, 5);
    assert.equal(config.currentUser.id, LOCAL_USERS[0]!.id);
    for (const u of LOCAL_USERS) {
      const p = people.find((x) => x.id === u.id);
      assert.ok(p, `${u.name} is in the Playground config`);
      assert.deepEqual(
        {
          name: p.name,
          upn: p.userPrincipleName,
          aadObjectId: p.aadObjectId,
          givenName: p.givenName,
          surname: p.surname,
        },
        { name: u.name, upn: u.upn, aadObjectId: u.aadObjectId, givenName: u.givenName, surname: u.surname },
      );
    }
    assert.equal(new Set(people.map((p) => p.id)).size, people.length);
  });

  it('has the fixture team: General (id = team id) plus one Teams-style channel', () => {
    const team = config.teams[0]!;
    assert.equal(team.id, LOCAL_TEAM.id);
    assert.deepEqual(
      team.channels.map((c) => ({ id: c.id, name: c.name })),
      LOCAL_TEAM.channels.map((c) => ({ id: c.id, name: c.name })),
    );
    for (const c of team.channels) assert.match(c.id, /^19:.+@thread\.tacv2$/);
  });

  it('has one group chat', () => {
    assert.equal(config.groupChats.length, 1);
    assert.match(config.groupChats[0]!.id, /^19:.+@thread\.v2$/);
  });
});
