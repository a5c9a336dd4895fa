import type { LocalUser } from '../fixtures';
import type { EntraClient, FailNextOptions, RequestRecord, TokenRequestRecord, UserSwitches } from './types';

/** An authorization code: single use, bound to everything the token request must repeat. */
export interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly oid: string;
  readonly scopes: readonly string[];
  readonly nonce?: string;
  readonly expiresAtMs: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  readonly clientId: string;
  readonly oid: string;
  readonly scopes: readonly string[];
  /** Obtained through an interactive sign-in (or an MFA SSO token), so it satisfies `mfaRequired`. */
  readonly mfa: boolean;
}

interface PendingFailure {
  readonly status: number;
  readonly retryAfter: number;
  readonly grantType?: string;
  remaining: number;
}

/** Everything mutable in one stand-in instance; `reset()` returns it to the just-started state. */
export class EntraState {
  readonly clients: ReadonlyMap<string, EntraClient>;
  readonly users: ReadonlyMap<string, LocalUser>;
  readonly codes = new Map<string, CodeGrant>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly tokenRequests: TokenRequestRecord[] = [];
  readonly requests: RequestRecord[] = [];
  readonly issued: string[] = [];
  latencyMs = 0;
  accessTokenLifetimeSec: number;
  private readonly consentMissing = new Map<string, Set<string>>();
  /** oid → client id → scopes not consented to. */
  private readonly scopesMissing = new Map<string, Map<string, Set<string>>>();
  private readonly mfaRequired = new Set<string>();
  private failures: PendingFailure[] = [];

  constructor(
    clients: readonly EntraClient[],
    users: readonly LocalUser[],
    private readonly defaultLifetimeSec = 3599,
  ) {
    this.accessTokenLifetimeSec = defaultLifetimeSec;
    this.clients = new Map(clients.map((c) => [c.clientId, c]));
    this.users = new Map(users.map((u) => [u.aadObjectId, u]));
  }

  setUserSwitches(oid: string, switches: UserSwitches): void {
    if (switches.consentMissing !== undefined) {
      const clientIds = switches.clientId ? [switches.clientId] : [...this.clients.keys()];
      const set = this.consentMissing.get(oid) ?? new Set<string>();
      for (const id of clientIds) {
        if (switches.consentMissing) set.add(id);
        else set.delete(id);
      }
      this.consentMissing.set(oid, set);
    }
    if (switches.consentMissingScopes !== undefined) {
      const clientIds = switches.clientId ? [switches.clientId] : [...this.clients.keys()];
      const byClient = this.scopesMissing.get(oid) ?? new Map<string, Set<string>>();
      for (const id of clientIds) byClient.set(id, new Set(switches.consentMissingScopes.map((s) => s.toLowerCase())));
      this.scopesMissing.set(oid, byClient);
    }
    if (switches.mfaRequired !== undefined) {
      if (switches.mfaRequired) this.mfaRequired.add(oid);
      else this.mfaRequired.delete(oid);
    }
  }

  /** True when the user has not consented to the client at all, or to one of `scopes` (short Graph names). */
  isConsentMissing(oid: string, clientId: string, scopes: readonly string[] = []): boolean {
    if (this.consentMissing.get(oid)?.has(clientId)) return true;
    const missing = this.scopesMissing.get(oid)?.get(clientId);
    return missing !== undefined && scopes.some((s) => missing.has(s.toLowerCase()));
  }

  /** Signing in through the authorize page is consenting (to the scopes it asked for), as on Entra's consent prompt. */
  grantConsent(oid: string, clientId: string, scopes: readonly string[] = []): void {
    this.consentMissing.get(oid)?.delete(clientId);
    const missing = this.scopesMissing.get(oid)?.get(clientId);
    for (const s of scopes) missing?.delete(s.toLowerCase());
  }

  isMfaRequired(oid: string): boolean {
    return this.mfaRequired.has(oid);
  }

  failNext(options: FailNextOptions): void {
    this.failures.push({
      status: options.status,
      retryAfter: options.retryAfter ?? 1,
      remaining: options.count ?? 1,
      ...(options.grantType ? { grantType: options.grantType } : {}),
    });
  }

  /** Consumes one injected failure matching this grant type, if any. */
  takeFailure(grantType: string): { status: number; retryAfter: number } | undefined {
    const failure = this.failures.find((f) => f.remaining > 0 && (!f.grantType || f.grantType === grantType));
    if (!failure) return undefined;
    failure.remaining -= 1;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return { status: failure.status, retryAfter: failure.retryAfter };
  }

  /** Remembers a string the stand-in handed out, so tests can grep logs for leaks. */
  remember<T extends string>(token: T): T {
    this.issued.push(token);
    return token;
  }

  reset(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.tokenRequests.length = 0;
    this.requests.length = 0;
    this.issued.length = 0;
    this.latencyMs = 0;
    this.accessTokenLifetimeSec = this.defaultLifetimeSec;
    this.consentMissing.clear();
    this.scopesMissing.clear();
    this.mfaRequired.clear();
    this.failures = [];
  }
}
