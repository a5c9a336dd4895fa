import type { LocalUser } from '../fixtures';

/** An app registration the stand-in knows. */
export interface EntraClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The app ID URI: the `aud` of v1 SSO tokens (`api://…`). */
  readonly appIdUri: string;
  readonly redirectUris: readonly string[];
  /** Application permissions granted by an admin, returned as `roles` by client_credentials. */
  readonly grantedApplicationRoles?: readonly string[];
  /** Delegated Graph scopes granted for `…/.default` requests (default: User.Read, OnlineMeetings.ReadWrite, VirtualEvent.ReadWrite). */
  readonly delegatedScopes?: readonly string[];
  readonly displayName?: string;
  /** `oid` of the app's service principal in application tokens. */
  readonly servicePrincipalId?: string;
}

/** Per-user behaviour switches, settable while the stand-in runs. */
export interface UserSwitches {
  /** OBO / refresh answer AADSTS65001 consent_required until the user signs in through the authorize page. */
  readonly consentMissing?: boolean;
  /** OBO / refresh answer AADSTS50079 interaction_required unless the grant already carries MFA. */
  readonly mfaRequired?: boolean;
  /**
   * Delegated Graph scopes (short names, e.g. `VirtualEvent.ReadWrite`) the user has not consented to: a grant that
   * asks for one answers AADSTS65001 until the user signs in through the authorize page asking for it (incremental
   * consent). An empty list clears them.
   */
  readonly consentMissingScopes?: readonly string[];
  /** Limit `consentMissing` to one client; omitted means every registered client. */
  readonly clientId?: string;
}

export interface FailNextOptions {
  /** HTTP status to answer, typically 429 or 5xx. */
  readonly status: number;
  /** Seconds for `Retry-After` (default 1: without it msal blocks identical requests for 60 s). */
  readonly retryAfter?: number;
  /** How many token requests fail (default 1). */
  readonly count?: number;
  /** Only requests with this grant_type fail (default: any). */
  readonly grantType?: string;
}

export interface MintSsoTokenOptions {
  /** The user's object id (must be one of the stand-in's users unless you want an AADSTS50034 test). */
  readonly oid: string;
  readonly tenantId?: string;
  /** v2 (default): `aud` = client id, `iss` = the stand-in's v2 issuer; v1: `aud` = app ID URI, `iss` = sts.windows.net. */
  readonly version?: 'v1' | 'v2';
  /** Overrides `aud` (for wrong-audience tests). */
  readonly audience?: string;
  /** Lifetime from now; negative gives an already-expired token (default 3600). */
  readonly expiresInSec?: number;
  /** Sign with a key this stand-in does not publish (same `kid`), for signature-failure tests. */
  readonly signedByForeignKey?: boolean;
  /** Adds `amr: ["pwd","mfa"]`, which satisfies a user's `mfaRequired` switch. */
  readonly mfa?: boolean;
  /** Which Teams client asked (`azp`/`appid`); default Teams desktop. */
  readonly teamsClientId?: string;
  /** The client the SSO token is for (default: the first registered client). */
  readonly clientId?: string;
}

/** One token-endpoint call as the stand-in saw it. Never holds secrets, assertions, codes or tokens. */
export interface TokenRequestRecord {
  readonly at: string;
  readonly grantType: string;
  readonly clientId?: string;
  readonly oid?: string;
  readonly scopes: readonly string[];
  readonly status: number;
  readonly error?: string;
  readonly errorCode?: number;
  readonly clientRequestId?: string;
  /** How the client authenticated: `client_secret_post`, `client_secret_basic` or `none`. */
  readonly clientAuth: 'client_secret_post' | 'client_secret_basic' | 'none';
}

/** Any request the stand-in served (discovery included), for "only the token POST happened" assertions. */
export interface RequestRecord {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface EntraEmulatorOptions {
  readonly tenantId?: string;
  readonly clients?: readonly EntraClient[];
  readonly users?: readonly LocalUser[];
  /** TLS material; default: `ensureLocalCertificates()` in `.local/certs`. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Default 0 (any free port). The listener binds 127.0.0.1; the public URL says `localhost`. */
  readonly port?: number;
  /** Lifetime of issued access tokens (`expires_in`), default 3599. */
  readonly accessTokenLifetimeSec?: number;
}
