import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

/** Per-request option carrying the caller's bearer token through the graph-client middleware chain. */
export class CallerTokenOption implements MiddlewareOptions {
  constructor(readonly accessToken: string) {}
}

/**
 * Sets `Authorization` from the request's CallerTokenOption. graph-client's own AuthenticationHandler only attaches
 * the token to https Graph hosts or `customHosts`, so against an http stand-in it silently sends none
 * (library-pitfalls.md); the gateway only ever calls its configured base URL, so the header always goes.
 */
export class CallerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    const option = context.middlewareControl?.getMiddlewareOptions(CallerTokenOption);
    if (!(option instanceof CallerTokenOption)) throw new Error('CallerTokenMiddleware: no caller token on the request');
    const options = (context.options ??= {});
    options.headers = { ...plainHeaders(options.headers), authorization: `Bearer ${option.accessToken}` };
    if (!this.next) throw new Error('CallerTokenMiddleware must not be the last middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * The request's headers as a plain object with lower-case names (what `new Headers(h)` iterated gives, without
 * building one per request: graph-client already hands over a plain object).
 */
function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers === undefined) return plain;
  if (headers instanceof Headers || Array.isArray(headers)) {
    new Headers(headers).forEach((value, name) => {
      plain[name] = value;
    });
    return plain;
  }
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    // Headers joins repeated names with ", "; a plain object can only repeat them in different cases.
    plain[key] = plain[key] === undefined ? String(value) : `${plain[key]}, ${String(value)}`;
  }
  return plain;
}
