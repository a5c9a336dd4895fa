import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { LocalUser } from '../fixtures';
import type { EntraContext } from './context';
import { EntraError, errorBody, errors } from './errors';
import { escapeHtml, parseForm, readBody, redirect, sendHtml } from './http';
import { parseDelegatedScopes } from './scopes';
import { userClientInfo } from './tokens';
import type { EntraClient } from './types';

/**
 * The authorize endpoint, `GET|POST /{tenant}/oauth2/v2.0/authorize`.
 *
 * GET takes the usual query parameters and shows the account picker. The picker POSTs back to the same URL a
 * form-encoded body with the same parameters plus the choice, so a headless test can skip the page and POST:
 *   client_id, redirect_uri, response_type (=code), response_mode (query|form_post|fragment), scope, state,
 *   code_challenge, code_challenge_method (=S256), nonce?, login_hint?, prompt?, client_info? (=1),
 *   oid            the object id of the user who signs in (each user is a submit button name="oid"), or
 *   action=cancel  the user declines (redirects with access_denied / AADSTS65004).
 * Signing in counts as consenting: it clears the user's consentMissing switch for this client.
 */
const authorizeParams = z.object({
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  response_type: z.string().optional(),
  response_mode: z.string().optional(),
  scope: z.string().optional(),
  state: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
  nonce: z.string().optional(),
  login_hint: z.string().optional(),
  prompt: z.string().optional(),
  client_info: z.string().optional(),
  oid: z.string().optional(),
  action: z.string().optional(),
});
type AuthorizeParams = z.infer<typeof authorizeParams>;

/** Fields echoed into the picker form (everything but the choice). */
const ECHOED = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'login_hint',
  'prompt',
  'client_info',
] as const;

const CODE_LIFETIME_MS = 10 * 60 * 1000;

interface ValidRequest {
  readonly client: EntraClient;
  readonly redirectUri: string;
  readonly mode: 'query' | 'fragment' | 'form_post';
  readonly params: AuthorizeParams;
  readonly graphScopes: readonly string[];
}

export async function handleAuthorize(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  tenant: string,
): Promise<number> {
  const raw = req.method === 'POST' ? parseForm(await readBody(req)) : Object.fromEntries(url.searchParams);
  const params = authorizeParams.parse(raw);

  // Until client and redirect_uri are trusted, errors are shown as a page, never redirected (open-redirect rule).
  const client = params.client_id ? ctx.state.clients.get(params.client_id) : undefined;
  if (!params.client_id) return errorPage(res, ctx, errors.missingParameter('client_id'));
  if (!client) return errorPage(res, ctx, errors.unknownClient(params.client_id, ctx.tenantId));
  if (!params.redirect_uri || !client.redirectUris.includes(params.redirect_uri)) {
    return errorPage(
      res,
      ctx,
      new EntraError(
        400,
        'invalid_request',
        50011,
        `The redirect URI '${params.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
      ),
    );
  }
  const mode = params.response_mode ?? 'query';
  if (mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') {
    return errorPage(res, ctx, errors.invalidParameter('response_mode'));
  }
  const target = { redirectUri: params.redirect_uri, mode, state: params.state } as const;

  let valid: ValidRequest;
  try {
    valid = validate(client, params, target.redirectUri, mode);
  } catch (error) {
    if (!(error instanceof EntraError)) throw error;
    return deliver(res, target, errorParams(ctx, error));
  }

  if (req.method === 'POST') {
    if (params.action === 'cancel') {
      return deliver(
        res,
        target,
        errorParams(ctx, new EntraError(400, 'access_denied', 65004, 'User declined to consent to access the app.')),
      );
    }
    const user = params.oid ? ctx.state.users.get(params.oid) : undefined;
    if (!user) return errorPage(res, ctx, errors.userNotFound(params.oid ?? '', ctx.tenantId));
    ctx.state.grantConsent(user.aadObjectId, client.clientId, valid.graphScopes);
    return deliver(res, target, issueCode(ctx, valid, user));
  }

  if (params.prompt === 'none') {
    // No UI allowed: succeed only for a hinted user who has already consented, as Entra does with a session.
    const user = hintedUser(ctx, params.login_hint);
    if (!user)
      return deliver(
        res,
        target,
        errorParams(
          ctx,
          new EntraError(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'),
        ),
      );
    if (ctx.state.isConsentMissing(user.aadObjectId, client.clientId, valid.graphScopes)) {
      return deliver(
        res,
        target,
        errorParams(ctx, errors.consentRequired(client.clientId, client.displayName ?? 'Convene'), 'consent_required'),
      );
    }
    return deliver(res, target, issueCode(ctx, valid, user));
  }
  sendHtml(res, 200, pickerPage(ctx, tenant, valid));
  return 200;
}

function validate(
  client: EntraClient,
  params: AuthorizeParams,
  redirectUri: string,
  mode: ValidRequest['mode'],
): ValidRequest {
  if (params.response_type !== 'code') {
    throw new EntraError(
      400,
      'unsupported_response_type',
      70011,
      `The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'. Received: '${params.response_type ?? ''}'.`,
    );
  }
  const scopes = parseDelegatedScopes(params.scope, client);
  if (!params.code_challenge) throw errors.missingParameter('code_challenge');
  // Entra tolerates `plain`; this stand-in insists on S256 because Convene must never send plain.
  if (params.code_challenge_method !== 'S256') {
    throw errors.invalidParameter(
      'code_challenge_method',
      `This stand-in requires 'S256'; received '${params.code_challenge_method ?? 'plain'}'.`,
    );
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge))
    throw errors.invalidParameter('code_challenge', 'Invalid size of Code_Challenge parameter.');
  return { client, redirectUri, mode, params, graphScopes: scopes.graph };
}

function issueCode(ctx: EntraContext, req: ValidRequest, user: LocalUser): Record<string, string> {
  const code = ctx.state.remember(`1.A${randomBytes(64).toString('base64url')}`);
  ctx.state.codes.set(code, {
    clientId: req.client.clientId,
    redirectUri: req.redirectUri,
    codeChallenge: req.params.code_challenge ?? '',
    oid: user.aadObjectId,
    scopes: (req.params.scope ?? '').split(/\s+/).filter(Boolean),
    expiresAtMs: Date.now() + CODE_LIFETIME_MS,
    redeemed: false,
    ...(req.params.nonce ? { nonce: req.params.nonce } : {}),
  });
  return {
    code,
    ...(req.params.client_info === '1' ? { client_info: userClientInfo(ctx, user) } : {}),
    session_state: randomUUID(),
  };
}

function errorParams(ctx: EntraContext, err: EntraError, overrideError?: string): Record<string, string> {
  const body = errorBody(err, ctx.baseUrl);
  return { error: overrideError ?? body.error, error_description: body.error_description, error_uri: body.error_uri };
}

interface Target {
  readonly redirectUri: string;
  readonly mode: 'query' | 'fragment' | 'form_post';
  readonly state: string | undefined;
}

function deliver(res: ServerResponse, target: Target, values: Record<string, string>): number {
  const all = { ...values, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.mode === 'form_post') {
    // Auto-submits with JS; the visible button makes it work without JS too.
    const inputs = Object.entries(all)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('\n');
    sendHtml(
      res,
      200,
      `<!doctype html><html><head><meta charset="utf-8"><title>Working...</title></head>
<body><form method="POST" name="hiddenform" action="${escapeHtml(target.redirectUri)}">
${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p></noscript>
<button type="submit">Submit</button></form>
<script>document.forms.hiddenform.submit();</script></body></html>`,
    );
    return 200;
  }
  const location = new URL(target.redirectUri);
  if (target.mode === 'query') for (const [k, v] of Object.entries(all)) location.searchParams.set(k, v);
  else location.hash = new URLSearchParams(all).toString();
  redirect(res, location.toString());
  return 302;
}

function hintedUser(ctx: EntraContext, hint: string | undefined): LocalUser | undefined {
  if (!hint) return undefined;
  const lower = hint.toLowerCase();
  return [...ctx.state.users.values()].find((u) => u.upn.toLowerCase() === lower || u.aadObjectId === hint);
}

function pickerPage(ctx: EntraContext, tenant: string, req: ValidRequest): string {
  const { params, client } = req;
  const hinted = params.prompt === 'select_account' ? undefined : hintedUser(ctx, params.login_hint);
  const users = [...ctx.state.users.values()].sort((a, b) => (a === hinted ? -1 : b === hinted ? 1 : 0));
  const hidden = ECHOED.filter((k) => params[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k] ?? '')}">`)
    .join('\n    ');
  const buttons = users
    .map((u) => {
      const pre = u === hinted ? ' autofocus data-preselected="true"' : '';
      return `<li><button type="submit" name="oid" value="${escapeHtml(u.aadObjectId)}" data-oid="${escapeHtml(u.aadObjectId)}"${pre}>${escapeHtml(u.name)}</button> <small>${escapeHtml(u.upn)}</small></li>`;
    })
    .join('\n      ');
  const appName = escapeHtml(client.displayName ?? 'Convene');
  const consentNote = params.prompt === 'consent' ? '<p data-prompt="consent">You are asked to consent again.</p>' : '';
  const loginNote =
    params.prompt === 'login' ? '<p data-prompt="login">Sign in again to continue (no password needed here).</p>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
  <h1>Pick an account</h1>
  <p>Local Entra ID stand-in (tenant ${escapeHtml(ctx.tenantId)}).</p>
  <p id="permissions">${appName} asks for permission to: <strong>${req.graphScopes.map(escapeHtml).join(', ')}</strong>. Signing in grants it.</p>
  ${consentNote}${loginNote}
  <form method="POST" action="/${escapeHtml(tenant)}/oauth2/v2.0/authorize">
    ${hidden}
    <ul id="accounts">
      ${buttons}
    </ul>
    <button type="submit" name="action" value="cancel">Cancel</button>
  </form>
</body></html>`;
}

function errorPage(res: ServerResponse, ctx: EntraContext, err: EntraError): number {
  const body = errorBody(err, ctx.baseUrl);
  sendHtml(
    res,
    err.status,
    `<!doctype html><html><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error-code" data-error="${escapeHtml(body.error)}" data-error-code="${err.code}">AADSTS${err.code}: ${escapeHtml(err.description)}</p>
<p>Trace ID: ${escapeHtml(body.trace_id)}<br>Correlation ID: ${escapeHtml(body.correlation_id)}<br>Timestamp: ${escapeHtml(body.timestamp)}</p>
</body></html>`,
  );
  return err.status;
}
