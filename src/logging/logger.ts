import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values are never written to the log. Tokens, assertions, codes and secrets are redacted wherever
 * they appear at these depths (pino's redaction is path-based, so common nestings are listed).
 */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
  '*.*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'id_token',
  '*.id_token',
  'assertion',
  '*.assertion',
  // OAuth authorization codes where they occur (the callback's query or form body). A bare `code` is an error code
  // from the catalogue (graph_throttled, …) and must stay readable.
  'query.code',
  '*.query.code',
  'body.code',
  '*.body.code',
  'params.code',
  '*.params.code',
  'code_verifier',
  '*.code_verifier',
  'codeVerifier',
  '*.codeVerifier',
  'client_secret',
  '*.client_secret',
  'clientSecret',
  '*.clientSecret',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'signingSecret',
  'state',
  '*.state',
  '*.*.state',
  'value.authentication',
  '*.value.authentication',
];

/** Query parameters whose values are credentials: OAuth codes and state, Convene's signed link tokens. */
const SECRET_QUERY_PARAMS = [
  'code',
  'state',
  'session_state',
  't',
  'token',
  'id_token',
  'access_token',
  'client_secret',
];

/**
 * A URL or path fit for the log: secret query values replaced, and the signed token of a calendar link
 * (`/meetings/<token>.ics`) hidden. Use it for every URL or path that is logged.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt === -1 ? url : url.slice(0, queryAt)).replace(
    /\/meetings\/[^/?#]+\.ics$/,
    '/meetings/[redacted].ics',
  );
  if (queryAt === -1) return path;
  const query = new URLSearchParams(url.slice(queryAt + 1));
  const secrets = SECRET_QUERY_PARAMS.filter((name) => query.has(name));
  if (secrets.length === 0) return `${path}${url.slice(queryAt)}`;
  for (const name of secrets) query.set(name, '[redacted]');
  return `${path}?${query.toString()}`;
}

export interface LoggerOptions {
  readonly level: string;
  readonly pretty: boolean;
  /** Where to write; defaults to stdout. Tests pass a stream to capture lines. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Top-level URL fields go through redactUrl, whoever logs them.
    serializers: { url: redactUrlField, path: redactUrlField },
    base: { app: 'convene' },
  };
  if (options.pretty && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}

function redactUrlField(value: unknown): unknown {
  return typeof value === 'string' ? redactUrl(value) : value;
}
