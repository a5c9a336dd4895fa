import {
  AuthError,
  type AccountInfo,
  InteractionRequiredAuthError,
  type ConfidentialClientApplication,
  type ICachePlugin,
} from '@azure/msal-node';
import type { Logger } from '../logging/logger';
import { AppError, appError, ConsentRequiredError } from '../meetings/errors';
import type { GraphAccess } from '../meetings/ports';
import type { UserRef } from '../meetings/types';
import type { KeyValueStore } from '../storage/storage';
import type { SsoTokenValidator } from './sso-token-validator';
import type { AuthorizationUrlParams, CodeRedemption, TokenProvider } from './token-provider';
import { UserTokenCachePlugin, userCacheKey } from './user-token-cache';

export const GRAPH_SCOPES = ['https://graph.microsoft.com/OnlineMeetings.ReadWrite'];
/** Town halls: delegated VirtualEvent.ReadWrite only (learn.microsoft.com/graph/api/virtualeventsroot-post-townhalls). */
export const TOWNHALL_SCOPES = ['https://graph.microsoft.com/VirtualEvent.ReadWrite'];
const APP_SCOPES = ['https://graph.microsoft.com/.default'];

/** Builds a msal client whose cache is the given plugin. Cheap: no discovery (knownAuthorities + metadata). */
export type MsalClientFactory = (cachePlugin?: ICachePlugin) => ConfidentialClientApplication;

export interface MsalTokenProviderDeps {
  readonly createClient: MsalClientFactory;
  readonly store: KeyValueStore;
  readonly ssoValidator: SsoTokenValidator;
  readonly logger: Logger;
  /** Users whose last silent token is kept in memory (default 10 000; 0 turns the memo off). */
  readonly memoLimit?: number;
}

/** msal-node's own default: a cached access token is not used within 5 minutes of its expiry. */
const TOKEN_RENEWAL_OFFSET_IN_MS = 5 * 60 * 1000;

/** A silent result kept in memory, valid only while the user's stored partition is unchanged (same etag). */
interface MemoizedToken {
  readonly accessToken: string;
  readonly etag: string;
  /** Wall-clock ms (msal's clock: tokens expire in real time) after which msal must be asked again. */
  readonly useUntil: number;
}

/** Silent ▸ on-behalf-of ▸ sign-in link (design.md §2), over msal-node with a per-user cache partition. */
export class MsalTokenProvider implements TokenProvider {
  /** One client for app-only tokens: they are not user-specific, so msal's in-memory cache is right here. */
  private readonly appClient: ConfidentialClientApplication;
  /**
   * Per-user memo of the last silent result. Building a msal client and deserializing the user's cache twice per
   * command was most of a warm command's CPU; the memo answers with one storage read instead. The stored msal cache
   * stays the source of truth: the memo is used only while the partition's etag is the one it was made from (a
   * sign-out, a new sign-in or a refresh on any instance changes it) and never past msal's own renewal point.
   * Never logged; bounded (oldest dropped first).
   */
  private readonly memo = new Map<string, MemoizedToken>();
  private readonly memoLimit: number;

  constructor(private readonly deps: MsalTokenProviderDeps) {
    this.appClient = deps.createClient();
    this.memoLimit = deps.memoLimit ?? 10_000;
  }

  async getTokenSilently(user: UserRef, access: GraphAccess = 'meetings'): Promise<string | undefined> {
    const key = userCacheKey(user);
    const memoKey = access === 'meetings' ? key : `${key}|${access}`;
    const memoized = this.memo.get(memoKey);
    if (memoized) {
      if (Date.now() < memoized.useUntil && (await this.deps.store.get<string>(key))?.etag === memoized.etag)
        return memoized.accessToken;
      this.memo.delete(memoKey);
    }
    const client = this.deps.createClient(new UserTokenCachePlugin(this.deps.store, user));
    try {
      const account = await accountFor(client, user);
      if (!account) return undefined;
      // A scope not consented yet (town halls) comes back as interaction_required: the caller asks for consent.
      const result = await client.acquireTokenSilent({
        account,
        scopes: access === 'meetings' ? GRAPH_SCOPES : TOWNHALL_SCOPES,
      });
      if (!result?.accessToken) return undefined;
      await this.remember(key, memoKey, result.accessToken, result.expiresOn, result.refreshOn);
      return result.accessToken;
    } catch (e) {
      // storage_unavailable from the cache plugin: say Redis is down, not "Microsoft sign-in is not answering".
      if (e instanceof AppError) throw e;
      if (e instanceof InteractionRequiredAuthError) return undefined;
      if (e instanceof AuthError && isRefreshFailure(e)) return undefined;
      throw this.unavailable('silent', e);
    }
  }

  async exchangeSsoToken(user: UserRef, ssoToken: string): Promise<string> {
    await this.deps.ssoValidator.validate(ssoToken, user);
    const client = this.deps.createClient(new UserTokenCachePlugin(this.deps.store, user));
    try {
      const result = await client.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes: GRAPH_SCOPES });
      if (!result?.accessToken) throw new AppError('auth_unavailable', 502, 'Sign-in did not return a token.');
      return result.accessToken;
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof InteractionRequiredAuthError) {
        this.deps.logger.info({ errorCode: e.errorCode, subError: e.subError }, 'on-behalf-of needs interaction');
        throw new ConsentRequiredError(e.claims, { cause: e, details: { subError: e.subError } });
      }
      if (e instanceof AuthError && e.errorCode === 'invalid_grant') {
        this.deps.logger.warn({ errorCode: e.errorCode }, 'on-behalf-of refused by Entra (invalid_grant)');
        throw appError('sso_token_rejected', { cause: e });
      }
      throw this.unavailable('on-behalf-of', e);
    }
  }

  async redeemAuthorizationCode(user: UserRef, redemption: CodeRedemption): Promise<void> {
    const plugin = new UserTokenCachePlugin(this.deps.store, user, true);
    const client = this.deps.createClient(plugin);
    let result;
    try {
      result = await client.acquireTokenByCode({
        code: redemption.code,
        codeVerifier: redemption.codeVerifier,
        redirectUri: redemption.redirectUri,
        scopes: signInScopes(redemption.access),
      });
    } catch (e) {
      if (e instanceof AuthError && (e.errorCode === 'invalid_grant' || e instanceof InteractionRequiredAuthError)) {
        throw appError('sign_in_link_invalid', {
          cause: e,
          userMessage: 'That sign-in link was already used or has expired. Please start again.',
        });
      }
      throw this.unavailable('authorization code', e);
    }
    const claims = result?.idTokenClaims as { oid?: string; tid?: string } | undefined;
    const oid = claims?.oid ?? result?.account?.localAccountId;
    const tid = claims?.tid ?? result?.account?.tenantId;
    if (oid !== user.aadObjectId || tid !== user.tenantId) {
      // Nothing was written: the plugin defers writes until commit().
      throw appError('wrong_account');
    }
    await plugin.commit();
  }

  async getAuthorizationUrl(params: AuthorizationUrlParams): Promise<string> {
    return this.appClient.getAuthCodeUrl({
      scopes: signInScopes(params.access),
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      codeChallengeMethod: 'S256',
      state: params.state,
      responseMode: 'query',
      ...(params.loginHint ? { loginHint: params.loginHint } : {}),
      ...(params.prompt ? { prompt: params.prompt } : {}),
    });
  }

  async getApplicationToken(): Promise<string> {
    try {
      const result = await this.appClient.acquireTokenByClientCredential({ scopes: APP_SCOPES });
      if (!result?.accessToken) throw new AppError('auth_unavailable', 502, 'No application token was returned.');
      return result.accessToken;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw this.unavailable('client credentials', e);
    }
  }

  async signOut(user: UserRef): Promise<void> {
    this.memo.delete(userCacheKey(user));
    this.memo.delete(`${userCacheKey(user)}|townhalls`);
    await this.deps.store.delete(userCacheKey(user));
  }

  /** Keeps a silent result against the partition as stored now (after msal wrote any refresh). */
  private async remember(
    key: string,
    memoKey: string,
    accessToken: string,
    expiresOn: Date | null,
    refreshOn: Date | undefined,
  ): Promise<void> {
    if (this.memoLimit <= 0 || !expiresOn) return;
    const useUntil = Math.min(expiresOn.getTime() - TOKEN_RENEWAL_OFFSET_IN_MS, refreshOn?.getTime() ?? Infinity);
    if (useUntil <= Date.now()) return;
    const stored = await this.deps.store.get<string>(key);
    if (!stored) return; // signed out meanwhile
    this.memo.delete(memoKey);
    if (this.memo.size >= this.memoLimit) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(memoKey, { accessToken, etag: stored.etag, useUntil });
  }

  private unavailable(flow: string, e: unknown): AppError {
    const errorCode = e instanceof AuthError ? e.errorCode : undefined;
    this.deps.logger.error(
      { flow, errorCode, err: e instanceof Error ? { name: e.name } : undefined },
      'Entra request failed',
    );
    return new AppError(
      'auth_unavailable',
      503,
      'Microsoft sign-in is not answering right now. Please try again in a minute.',
      {
        cause: e,
        details: { flow, errorCode },
      },
    );
  }
}

/** A sign-in for a town hall asks for both scopes: the user then consents once for what they were doing. */
function signInScopes(access: GraphAccess | undefined): string[] {
  return access === 'townhalls' ? [...GRAPH_SCOPES, ...TOWNHALL_SCOPES] : GRAPH_SCOPES;
}

/**
 * The user's account in their partition. msal keys an account by its home account (`uid.utid` from client_info):
 * for a member that is oid.tid as Teams reports them, but a B2B guest's home account is in their own tenant, while
 * Teams names them by their object in this (the resource) tenant, which is the account's localAccountId/tenantId.
 */
async function accountFor(client: ConfidentialClientApplication, user: UserRef): Promise<AccountInfo | null> {
  const cache = client.getTokenCache();
  const member = await cache.getAccountByHomeId(`${user.aadObjectId}.${user.tenantId}`);
  if (member) return member;
  const accounts = await cache.getAllAccounts();
  return accounts.find((a) => a.localAccountId === user.aadObjectId && a.tenantId === user.tenantId) ?? null;
}

/** A refresh token that Entra no longer accepts means "sign in again", not an outage. */
function isRefreshFailure(e: AuthError): boolean {
  return (
    e.errorCode === 'invalid_grant' || e.errorCode === 'no_tokens_found' || e.errorCode === 'refresh_token_expired'
  );
}
