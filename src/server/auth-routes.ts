import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { signInFailedPage, signedInPage } from '../auth/pages';
import type { SignInCompletion, SignInLinks } from '../auth/sign-in-link';
import type { Logger } from '../logging/logger';
import { signInPageAnswer } from '../bot/responses';
import { t } from '../i18n';
import { isAppError } from '../meetings/errors';
import { readBody } from './request-body';

const startQuery = z.object({ t: z.string().max(4096).optional() });
const callbackParams = z.object({
  code: z.string().max(8192).optional(),
  state: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(4096).optional(),
});

/** code (≤ 8 KB) + state (≤ 4 KB) + session_state and Entra's error fields, with room to spare. */
const MAX_CALLBACK_BODY_BYTES = 32 * 1024;

export interface AuthRoutesDeps {
  readonly links: SignInLinks;
  readonly completion: SignInCompletion;
  readonly logger: Logger;
}

/**
 * /auth/start → Entra (plain 302, no JavaScript needed) and /auth/callback (response_mode query or form_post).
 */
export function registerAuthRoutes(server: Server, deps: AuthRoutesDeps, bodyTimeoutInMs?: number): void {
  server.get('/auth/start', async (req: Request, res: Response) => {
    const query = startQuery.safeParse(req.query ?? {});
    try {
      const url = await deps.links.start(query.success ? query.data.t : undefined);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, url, () => undefined);
    } catch (e) {
      const answer = signInPageAnswer(e, localeOf(req));
      sendPage(res, answer.status, signInFailedPage(localeOf(req), answer.message));
      if (!isAppError(e)) deps.logger.error({ err: e }, 'sign-in start failed');
    }
  });

  const callback = async (req: Request, res: Response): Promise<void> => {
    const source: unknown = req.method === 'POST' ? req.body : req.query;
    const params = callbackParams.safeParse(source && typeof source === 'object' ? source : {});
    if (!params.success) {
      sendPage(res, 400, signInFailedPage(localeOf(req), t(localeOf(req), 'page.invalidLink')));
      return;
    }
    if (params.data.error) {
      deps.logger.info({ error: params.data.error }, 'Entra returned an error to the callback');
      sendPage(res, 400, signInFailedPage(localeOf(req), t(localeOf(req), 'page.cancelled')));
      return;
    }
    try {
      const { user, pendingId } = await deps.links.finish({ code: params.data.code, state: params.data.state });
      await deps.completion.onSignedIn(user, pendingId);
      sendPage(res, 200, signedInPage(localeOf(req)));
    } catch (e) {
      if (!isAppError(e))
        deps.logger.error(
          { err: e instanceof Error ? { name: e.name, message: e.message } : undefined },
          'sign-in callback failed',
        );
      else deps.logger.info({ code: e.code }, 'sign-in callback refused');
      const answer = signInPageAnswer(e, localeOf(req));
      sendPage(res, answer.status, signInFailedPage(localeOf(req), answer.message));
    }
  };
  server.get('/auth/callback', callback);
  // Entra's response_mode=form_post is the only body this route takes (a small urlencoded form).
  const formBody = readBody({
    accept: ['form'],
    maxBytes: MAX_CALLBACK_BODY_BYTES,
    ...(bodyTimeoutInMs ? { timeoutInMs: bodyTimeoutInMs } : {}),
    refuse: (req, res, status) =>
      sendPage(res, status, signInFailedPage(localeOf(req), t(localeOf(req), 'page.invalidLink'))),
  });
  server.post('/auth/callback', formBody, callback);
}

/** The browser's first preferred language (the popup shows Convene's pages in it). */
function localeOf(req: Request): string {
  const header = req.headers['accept-language'];
  return (typeof header === 'string' ? header : '').split(',')[0]?.split(';')[0]?.trim() || 'en';
}

function sendPage(res: Response, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'",
  });
  res.end(html);
}
