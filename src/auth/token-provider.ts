import type { GraphAccess } from '../meetings/ports';
import type { UserRef } from '../meetings/types';

export interface AuthorizationUrlParams {
  readonly state: string;
  readonly codeChallenge: string;
  readonly redirectUri: string;
  readonly loginHint?: string;
  /** `consent` after AADSTS65001, so Entra asks for the missing consent. */
  readonly prompt?: 'consent' | 'select_account' | 'login';
  /** `townhalls` also asks for VirtualEvent.ReadWrite, so one sign-in covers the town hall it was for. Default meetings. */
  readonly access?: GraphAccess;
}

export interface CodeRedemption {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** The same access the authorization URL asked for. */
  readonly access?: GraphAccess;
}

/**
 * Gets Graph tokens for a user. Tokens are returned for immediate use and never stored or logged by callers;
 * the provider's cache (per user, in Convene's storage) owns them.
 */
export interface TokenProvider {
  /** A cached access token, or one refreshed silently; undefined when the user has to sign in. */
  getTokenSilently(user: UserRef, access?: GraphAccess): Promise<string | undefined>;
  /**
   * On-behalf-of exchange of a Teams SSO token. Throws ConsentRequiredError (consent or MFA needed),
   * AppError 'sso_token_rejected' (token invalid or refused by Entra), 'wrong_account' (someone else's), AppError 'auth_unavailable' (Entra down).
   */
  exchangeSsoToken(user: UserRef, ssoToken: string): Promise<string>;
  /** Redeems a sign-in code; throws 'wrong_account' (and keeps nothing) when the account isn't `user`, 'sign_in_link_invalid' for a used code. */
  redeemAuthorizationCode(user: UserRef, redemption: CodeRedemption): Promise<void>;
  getAuthorizationUrl(params: AuthorizationUrlParams): Promise<string>;
  /** Client-credentials token for application-permission mode. */
  getApplicationToken(): Promise<string>;
  signOut(user: UserRef): Promise<void>;
}
