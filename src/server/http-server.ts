import { readFileSync } from 'node:fs';
import restify, { type Request, type RequestHandler, type Response, type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import { activityProblem } from '../bot/activity-schema';
import type { Logger } from '../logging/logger';
import type { KeyValueStore } from '../storage/storage';
import { registerAuthRoutes, type AuthRoutesDeps } from './auth-routes';
import { readBody, type BodyRefusal } from './request-body';

/** Bot Framework activities are far smaller; anything bigger is refused before parsing (413). */
export const MAX_BODY_BYTES = 256 * 1024;

/** Bot Connector-style error codes for a refused activity body. */
const REFUSAL_CODES: Readonly<Record<BodyRefusal, string>> = {
  unsupported_media_type: 'UnsupportedMediaType',
  too_large: 'PayloadTooLarge',
  malformed: 'BadArgument',
  too_slow: 'RequestTimeout',
};
const REFUSAL_MESSAGES: Readonly<Record<BodyRefusal, string>> = {
  unsupported_media_type: 'Activities are accepted only as uncompressed application/json.',
  too_large: `The activity is larger than ${MAX_BODY_BYTES} bytes.`,
  malformed: 'The body is not valid UTF-8 JSON.',
  too_slow: 'The activity did not arrive in time.',
};

export interface HttpServerDeps {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  readonly store: Pick<KeyValueStore, 'ping'>;
  readonly logger: Logger;
  readonly auth: AuthRoutesDeps;
  /** Absolute path of teams-js's UMD bundle, served locally for the auth pages. */
  readonly teamsJsPath: string;
  readonly extraRoutes?: (server: Server) => void;
  /**
   * Answer /api/messages only for callers on this machine: set when nothing authenticates activities (BOT_ID empty)
   * and the operator has not opted into serving others (ALLOW_UNAUTHENTICATED_BOT).
   */
  readonly loopbackCallersOnly?: boolean;
  /** How long a request body may take to arrive (default DEFAULT_BODY_TIMEOUT_IN_MS; tests shorten it). */
  readonly bodyTimeoutInMs?: number;
}

export interface HttpServer {
  readonly server: Server;
  /** Requests being served right now (graceful shutdown waits for 0). */
  inFlight(): number;
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const server = restify.createServer({ name: 'convene', handleUncaughtExceptions: false });
  let inFlight = 0;
  server.pre((_req: Request, res: Response, next) => {
    inFlight++;
    res.once('close', () => inFlight--);
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));

  registerMessagesRoute(server, deps);
  registerHealthAndAssets(server, deps);
  registerAuthRoutes(server, deps.auth, deps.bodyTimeoutInMs);
  deps.extraRoutes?.(server);

  server.on(
    'restifyError',
    (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
      if ((err.statusCode ?? 500) >= 500) {
        // The route, not the path: a path can carry a signed token (/meetings/<token>.ics).
        deps.logger.error({ route: req.getRoute()?.path, err: { name: err.name } }, 'request failed');
        // restify would answer with the error's own message, which may name internals (a Redis host:port).
        if (!res.headersSent)
          res.send(500, { code: 'Internal', message: 'Something went wrong on our side. Please try again.' });
      }
      callback();
    },
  );
  return { server, inFlight: () => inFlight };
}

/** POST /api/messages: loopback-only when unauthenticated, the body read as JSON, malformed activities refused (400). */
function registerMessagesRoute(server: Server, deps: HttpServerDeps): void {
  // Bodies are read per route, only in the formats that route takes (see request-body.ts).
  const activityBody = readBody({
    accept: ['json'],
    maxBytes: MAX_BODY_BYTES,
    ...(deps.bodyTimeoutInMs ? { timeoutInMs: deps.bodyTimeoutInMs } : {}),
    refuse: (_req, res, status, reason) => {
      res.send(status, { error: { code: REFUSAL_CODES[reason], message: REFUSAL_MESSAGES[reason] } });
    },
  });
  const callers: RequestHandler = (req, res, next) => {
    if (!deps.loopbackCallersOnly || isLoopbackAddress(req.socket.remoteAddress)) return next();
    res.setHeader('Connection', 'close');
    res.send(403, {
      error: {
        code: 'Forbidden',
        message: 'This bot is not authenticated (BOT_ID is empty) and answers only this machine.',
      },
    });
    return next(false);
  };
  server.post('/api/messages', callers, activityBody, async (req: Request, res: Response) => {
    const body: unknown = req.body;
    // botbuilder answers 500 to an activity without a type or conversation; refuse them here as the client errors they are.
    const problem = activityProblem(body);
    if (problem) {
      res.send(400, { error: { code: 'BadArgument', message: problem } });
      return;
    }
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });
}

/** /healthz (storage included) and the teams-js bundle the sign-in pages load. */
function registerHealthAndAssets(server: Server, deps: HttpServerDeps): void {
  server.get('/healthz', async (_req: Request, res: Response) => {
    try {
      await deps.store.ping();
      res.send(200, { status: 'ok' });
    } catch (e) {
      deps.logger.warn(
        { err: e instanceof Error ? { name: e.name, message: e.message } : undefined },
        'health check failed',
      );
      res.send(503, { status: 'unavailable' });
    }
  });

  const teamsJs = readFileSync(deps.teamsJsPath);
  server.get('/public/teams-js.min.js', async (_req: Request, res: Response) => {
    res.writeHead(200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    });
    res.end(teamsJs);
  });
}

/** 127.0.0.0/8 or ::1, also as an IPv4-mapped IPv6 address (a dual-stack listener reports those). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4 === '::1' || /^127(\.\d{1,3}){3}$/.test(v4);
}
