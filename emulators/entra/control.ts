import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http';
import type { EntraEmulator } from './emulator';

const switchesBody = z.object({
  consentMissing: z.boolean().optional(),
  consentMissingScopes: z.array(z.string().min(1)).optional(),
  mfaRequired: z.boolean().optional(),
  clientId: z.string().optional(),
});
const failNextBody = z.object({
  status: z.number().int().min(400).max(599),
  retryAfter: z.number().int().min(0).optional(),
  count: z.number().int().min(1).optional(),
  grantType: z.string().optional(),
});
const ssoBody = z.object({
  oid: z.string(),
  tenantId: z.string().optional(),
  version: z.enum(['v1', 'v2']).optional(),
  audience: z.string().optional(),
  expiresInSec: z.number().int().optional(),
  signedByForeignKey: z.boolean().optional(),
  mfa: z.boolean().optional(),
  teamsClientId: z.string().optional(),
  clientId: z.string().optional(),
});
const latencyBody = z.object({ ms: z.number().int().min(0) });
const lifetimeBody = z.object({ seconds: z.number().int().min(1) });

/**
 * `/_control/*`: the programmatic control API over HTTP, for tests that run the bot in another process.
 * JSON in, JSON out; unknown routes 404; invalid bodies 400 with zod's issues.
 */
export async function handleControl(
  emulator: EntraEmulator,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<number> {
  const route = `${req.method ?? 'GET'} ${path}`;
  const json = async (): Promise<unknown> => {
    const text = await readBody(req);
    return text ? (JSON.parse(text) as unknown) : {};
  };
  const ok = (body: unknown = { ok: true }): number => {
    sendJson(res, 200, body);
    return 200;
  };
  const switches = /^POST \/_control\/users\/([^/]+)\/switches$/.exec(route);
  if (switches?.[1]) {
    emulator.setUserSwitches(decodeURIComponent(switches[1]), switchesBody.parse(await json()));
    return ok();
  }
  switch (route) {
    case 'GET /_control/info':
      return ok({
        url: emulator.url,
        tenantId: emulator.tenantId,
        authority: emulator.authority,
        jwksUri: emulator.jwksUri,
        issuer: emulator.issuer,
      });
    case 'GET /_control/token-requests':
      return ok(emulator.tokenRequests);
    case 'GET /_control/requests':
      return ok(emulator.requests);
    case 'GET /_control/issued-tokens':
      return ok({ tokens: emulator.issuedTokens() });
    case 'POST /_control/sso-token':
      return ok({ token: emulator.mintSsoToken(ssoBody.parse(await json())) });
    case 'POST /_control/fail-next':
      emulator.failNext(failNextBody.parse(await json()));
      return ok();
    case 'POST /_control/latency':
      emulator.setLatency(latencyBody.parse(await json()).ms);
      return ok();
    case 'POST /_control/token-lifetime':
      emulator.setAccessTokenLifetime(lifetimeBody.parse(await json()).seconds);
      return ok();
    case 'POST /_control/reset':
      emulator.reset();
      return ok();
    default:
      sendJson(res, 404, { error: 'not_found', route });
      return 404;
  }
}
