import type { TokenProvider } from '../auth/token-provider';
import type { GraphCaller } from '../meetings/ports';
import type { UserRef } from '../meetings/types';

/** Decides who Graph is called as: the signed-in user (delegated) or the app for that user (application mode). */
export class GraphCallers {
  constructor(
    private readonly tokens: TokenProvider,
    private readonly mode: 'delegated' | 'application',
  ) {}

  /** A caller without asking the user anything, or undefined when they must sign in first. */
  async silent(user: UserRef): Promise<GraphCaller | undefined> {
    if (this.mode === 'application') {
      return { mode: 'application', accessToken: await this.tokens.getApplicationToken(), userId: user.aadObjectId };
    }
    const accessToken = await this.tokens.getTokenSilently(user);
    return accessToken ? { mode: 'delegated', accessToken } : undefined;
  }

  /** After an SSO token arrived with an invoke: on-behalf-of exchange. */
  async fromSso(user: UserRef, ssoToken: string): Promise<GraphCaller> {
    if (this.mode === 'application') return (await this.silent(user))!;
    return { mode: 'delegated', accessToken: await this.tokens.exchangeSsoToken(user, ssoToken) };
  }
}
