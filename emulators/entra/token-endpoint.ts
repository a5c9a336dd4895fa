import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EntraContext } from './context';
import { EntraError, errorBody, errors } from './errors';
import { runGrant, type GrantTrace } from './grants';
import { parseForm, readBody, sendJson } from './http';
import { decodeUnverified } from './signing';
import type { EntraClient, TokenRequestRecord } from './types';

// Every value of a form body is a string; unknown fields (x-client-SKU, client_info, …) pass through.
const tokenForm = z.record(z.string(), z.string());

/**
 * `POST /{tenant}/oauth2/v2.0/token`. Always answers JSON (msal 7 raises token_parsing_error otherwise) and echoes
 * `client-request-id`, which msal sends in the query string and Entra uses as the correlation id.
 */
export async function handleToken(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<number> {
  const correlationId = url.searchParams.get('client-request-id') ?? header(req, 'client-request-id') ?? randomUUID();
  const echo = { 'client-request-id': correlationId, 'x-ms-request-id': randomUUID() };
  const fail = (err: EntraError, extraHeaders: Record<string, string> = {}): number => {
    sendJson(res, err.status, errorBody(err, ctx.baseUrl, correlationId), { ...echo, ...extraHeaders });
    return err.status;
  };

  if (req.method !== 'POST')
    return fail(
      new EntraError(
        405,
        'invalid_request',
        900561,
        'The endpoint only accepts POST requests. Received a GET request.',
      ),
    );
  const form = tokenForm.parse(parseForm(await readBody(req)));
  const grantType = form.grant_type ?? '';
  const trace: GrantTrace = { scopes: (form.scope ?? '').split(/\s+/).filter(Boolean) };
  const basic = basicCredentials(req);
  const clientId = form.client_id ?? basic?.clientId;
  const record = (status: number, err?: EntraError): void => {
    const entry: TokenRequestRecord = {
      at: new Date().toISOString(),
      grantType,
      scopes: trace.scopes,
      status,
      clientAuth: basic ? 'client_secret_basic' : form.client_secret ? 'client_secret_post' : 'none',
      clientRequestId: correlationId,
      ...(clientId ? { clientId } : {}),
      ...(trace.oid ? { oid: trace.oid } : {}),
      ...(err ? { error: err.error, errorCode: err.code } : {}),
    };
    ctx.state.tokenRequests.push(entry);
  };
  if (form.assertion) {
    // Who the (possibly rejected) assertion was about is useful in the record; the assertion itself is not kept.
    const oid = decodeUnverified(form.assertion)?.oid;
    if (typeof oid === 'string') trace.oid = oid;
  }

  const injected = ctx.state.takeFailure(grantType);
  if (injected) {
    const err = errors.throttled(injected.status);
    record(injected.status, err);
    return fail(new EntraError(injected.status, err.error, err.code, err.description), {
      'retry-after': String(injected.retryAfter),
    });
  }

  try {
    if (!grantType) throw errors.missingParameter('grant_type');
    const client = authenticateClient(ctx, clientId, form.client_secret ?? basic?.clientSecret);
    const response = runGrant(ctx, client, form, trace);
    record(200);
    sendJson(res, 200, response, echo);
    return 200;
  } catch (error) {
    if (!(error instanceof EntraError)) throw error;
    record(error.status, error);
    return fail(error);
  }
}

function authenticateClient(ctx: EntraContext, clientId: string | undefined, secret: string | undefined): EntraClient {
  if (!clientId) throw errors.missingParameter('client_id');
  const client = ctx.state.clients.get(clientId);
  if (!client) throw errors.unknownClient(clientId, ctx.tenantId);
  if (!secret) throw errors.missingClientSecret();
  const a = Buffer.from(secret);
  const b = Buffer.from(client.clientSecret);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw errors.badClientSecret(clientId);
  return client;
}

/** RFC 6749 §2.3.1 client_secret_basic: both parts are form-urlencoded before base64. */
function basicCredentials(req: IncomingMessage): { clientId: string; clientSecret: string } | undefined {
  const auth = header(req, 'authorization');
  if (!auth?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unform = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
