/**
 * I/O floor: the least any bot doing Convene's job can do. Per message exactly one Graph call
 * (POST …/me/onlineMeetings/createOrGet, externalId = the activity id) with a delegated token it got once at start,
 * then a small card holding the returned join URL. Keep-alive agents, no logging, no per-request construction.
 *
 *   PORT=… GRAPH_BASE_URL=http://127.0.0.1:…/v1.0 ENTRA_URL=https://localhost:… TENANT_ID=… CLIENT_ID=… \
 *   CLIENT_SECRET=… USER_OID=… NODE_EXTRA_CA_CERTS=.local/certs/ca.pem node dist/bench/bots/io-floor.js
 */
import http from 'node:http';
import https from 'node:https';
import { startFloorBot, requiredEnv } from './floor-server';

const SCOPE = 'https://graph.microsoft.com/OnlineMeetings.ReadWrite';

/** One token for the process, from the Entra stand-in: an SSO token for the user, exchanged on-behalf-of. */
async function tokenOnce(): Promise<string> {
  const entra = requiredEnv('ENTRA_URL');
  const tenantId = requiredEnv('TENANT_ID');
  const clientId = requiredEnv('CLIENT_ID');
  const sso = (await (
    await fetch(`${entra}/_control/sso-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oid: requiredEnv('USER_OID'), clientId }),
    })
  ).json()) as { token: string };
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    assertion: sso.token,
    scope: SCOPE,
    client_id: clientId,
    client_secret: requiredEnv('CLIENT_SECRET'),
  });
  const res = await fetch(`${entra}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status}`);
  return body.access_token;
}

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  const graph = new URL(`${requiredEnv('GRAPH_BASE_URL')}/me/onlineMeetings/createOrGet`);
  const token = await tokenOnce();
  const client = graph.protocol === 'https:' ? https : http;
  // Idle sockets close on our side before the stand-in's 5 s keep-alive timeout, so a reused socket isn't reset.
  const agent = new client.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 });
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Accept-Language': 'en-US' };
  const start = new Date(Date.now() + 86_400_000).toISOString();
  const end = new Date(Date.now() + 86_400_000 + 1_800_000).toISOString();

  // createOrGet is idempotent by externalId, so a request on a socket the server had just closed is sent again once.
  const createOrGet = (externalId: string, subject: string): Promise<string> =>
    attempt(externalId, subject).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
      return attempt(externalId, subject);
    });
  const attempt = (externalId: string, subject: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = client.request(graph, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) return reject(new Error(`graph ${res.statusCode}`));
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { joinWebUrl: string }).joinWebUrl);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ externalId, subject, startDateTime: start, endDateTime: end }));
    });

  await startFloorBot(port, (context) => createOrGet(context.activity.id ?? '', context.activity.text ?? 'Meeting'));
}

main().catch((e: unknown) => {
  process.stderr.write(`io-floor: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
