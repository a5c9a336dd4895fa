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
    const headers = new Headers(options.headers);
    headers.set('Authorization', `Bearer ${option.accessToken}`);
    const plain: Record<string, string> = {};
    headers.forEach((value, name) => {
      plain[name] = value;
    });
    options.headers = plain;
    if (!this.next) throw new Error('CallerTokenMiddleware must not be the last middleware');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
