import { AuthenticationHandlerOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Per-request option carrying the caller's token as a graph-client AuthenticationProvider (the library's documented
 * auth extension point, as AuthenticationHandlerOptions), so users never share a client or a token.
 */
export class CallerTokenOption extends AuthenticationHandlerOptions {
  constructor(accessToken: string) {
    super({ getAccessToken: async () => accessToken });
  }
}

/**
 * graph-client's AuthenticationHandler, minus its host check: it asks the request's AuthenticationProvider for the
 * token, as the library's handler does, but graph-client only attaches it to https Graph hosts or `customHosts`, so
 * against an http base URL (which the runtime contract allows) it silently sends none (library-pitfalls.md). The
 * gateway only ever calls its configured base URL, so the header always goes.
 */
export class CallerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    const option = context.middlewareControl?.getMiddlewareOptions(CallerTokenOption);
    if (!(option instanceof CallerTokenOption))
      throw new Error('CallerTokenMiddleware: no caller token on the request');
    const token = await option.authenticationProvider.getAccessToken(option.authenticationProviderOptions);
    const options = (context.options ??= {});
    options.headers = { ...plainHeaders(options.headers), authorization: `Bearer ${token}` };
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
