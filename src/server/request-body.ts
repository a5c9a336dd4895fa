import type { Next, Request, RequestHandler, Response } from 'restify';

/** The body formats Convene's routes take: Bot Framework activities (JSON) and Entra's `form_post` callback. */
export type BodyFormat = 'json' | 'form';

const MEDIA_TYPES: Readonly<Record<BodyFormat, string>> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

export type BodyRefusal = 'unsupported_media_type' | 'too_large' | 'malformed' | 'too_slow';

const REFUSAL_STATUS: Readonly<Record<BodyRefusal, number>> = {
  unsupported_media_type: 415,
  too_large: 413,
  malformed: 400,
  too_slow: 408,
};

/** The Bot Connector and a browser's form post send their few KB at once; a body still arriving after this is a stall. */
export const DEFAULT_BODY_TIMEOUT_IN_MS = 10_000;

export interface BodyReaderOptions {
  readonly accept: readonly BodyFormat[];
  readonly maxBytes: number;
  /**
   * A body not complete within this time is refused (408): a client trickling bytes would otherwise hold its
   * buffer and connection for Node's 5-minute request timeout. Default DEFAULT_BODY_TIMEOUT_IN_MS.
   */
  readonly timeoutInMs?: number;
  /** Writes the route's own answer (a JSON error, an HTML page) for a refused body. */
  readonly refuse: (req: Request, res: Response, status: number, reason: BodyRefusal) => void;
}

/**
 * Reads and parses a request body in memory, for one route, refusing what that route does not take. It replaces
 * restify's `bodyParser`, which hands `multipart/form-data` to formidable on every route (files written to the temp
 * folder and never deleted, past `maxBodySize`), parses CSV/TSV nobody sends, and inflates gzip bodies without
 * counting the inflated bytes. Here nothing touches the disk, compressed bodies are refused (415), and the size limit
 * is enforced on the bytes received, answered (413) as soon as it is crossed. `req.body` becomes the parsed JSON
 * value, or for a form an object of its first value per field (what `response_mode=form_post` sends).
 * Uses only restify's handler contract (`next(false)` ends the chain), which restify 11 and 12 share.
 */
export function readBody(options: BodyReaderOptions): RequestHandler {
  const accepted = new Map(options.accept.map((format) => [MEDIA_TYPES[format], format] as const));
  return (req: Request, res: Response, next: Next) => {
    const refuse = (reason: BodyRefusal) => {
      // The unread rest of the body is not worth receiving: the connection closes after the answer.
      res.setHeader('Connection', 'close');
      options.refuse(req, res, REFUSAL_STATUS[reason], reason);
      next(false);
    };
    const type = mediaType(req.headers['content-type']);
    const format = accepted.get(type);
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    // The runtime contract answers "a body that is not JSON" with 400: a client that named no type, or plain text
    // (what fetch sends for a string body), gets that. Media types that are not text at all are refused (415).
    if (!format && accepted.has(MEDIA_TYPES.json) && (type === '' || type === 'text/plain')) return refuse('malformed');
    if (!format || encoding !== 'identity') return refuse('unsupported_media_type');
    if (Number(req.headers['content-length'] ?? 0) > options.maxBytes) return refuse('too_large');

    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const timer = setTimeout(() => settle('too_slow'), options.timeoutInMs ?? DEFAULT_BODY_TIMEOUT_IN_MS);
    const settle = (outcome: BodyRefusal | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      if (outcome) return refuse(outcome);
      const parsed = parse(format, Buffer.concat(chunks, received));
      if (parsed.ok) {
        req.body = parsed.value;
        next();
      } else {
        refuse('malformed');
      }
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.maxBytes) settle('too_large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle(undefined));
    req.once('error', () => {
      // The client went away mid-body: there is nobody left to answer.
      settled = true;
      clearTimeout(timer);
      next(false);
    });
  };
}

/** `type/subtype` of a Content-Type header, lower-cased, without parameters; '' when absent. */
function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

function parse(format: BodyFormat, bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    if (e instanceof TypeError) return { ok: false };
    throw e;
  }
  if (format === 'form') {
    // No prototype: a field named `__proto__` or `constructor` is just a field.
    const fields = Object.create(null) as Record<string, string>;
    for (const [name, value] of new URLSearchParams(text)) if (!Object.hasOwn(fields, name)) fields[name] = value;
    return { ok: true, value: fields };
  }
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    if (e instanceof SyntaxError) return { ok: false };
    throw e;
  }
}
