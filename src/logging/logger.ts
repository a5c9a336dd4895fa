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
  'code',
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
  'value.authentication',
  '*.value.authentication',
];

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
    base: { app: 'convene' },
  };
  if (options.pretty && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
