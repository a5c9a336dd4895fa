import type { TokenProvider } from '../auth/token-provider';
import { ConsentRequiredError, TownhallApplicationModeError } from '../meetings/errors';
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

  /**
   * The caller for a town hall: a delegated token with VirtualEvent.ReadWrite, asked for this call only. Throws
   * TownhallApplicationModeError in application mode (before any Graph call: "Application: Not supported") and
   * ConsentRequiredError (details.access = townhalls) when the user hasn't consented to it yet.
   */
  async townhall(user: UserRef): Promise<GraphCaller> {
    if (this.mode === 'application') throw new TownhallApplicationModeError();
    const accessToken = await this.tokens.getTokenSilently(user, 'townhalls');
    if (!accessToken) throw new ConsentRequiredError(undefined, { details: { access: 'townhalls' } });
    return { mode: 'delegated', accessToken };
  }

  /** After an SSO token arrived with an invoke: on-behalf-of exchange. */
  async fromSso(user: UserRef, ssoToken: string): Promise<GraphCaller> {
    if (this.mode === 'application') return (await this.silent(user))!;
    return { mode: 'delegated', accessToken: await this.tokens.exchangeSsoToken(user, ssoToken) };
  }
}
