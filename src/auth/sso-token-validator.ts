import type * as Jose from 'jose';
import { z } from 'zod';
import { appError } from '../meetings/errors';
import type { UserRef } from '../meetings/types';

export interface SsoTokenValidatorOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  /** Accepted audiences: the app's client id (v2 tokens) and its app ID URI (v1 tokens). */
  readonly audiences: readonly string[];
}

/**
 * jose is loaded on the first SSO token, not at start: only sign-in invokes need it, and it is ~40 ms of start-up.
 * A CommonJS require, not import(): the test runner's loader hooks only require.
 */
let jose: typeof Jose | undefined;
function loadJose(): typeof Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (jose ??= require('jose') as typeof Jose);
}

const claimsSchema = z.object({ oid: z.string().min(1), tid: z.string().min(1), name: z.string().optional() });

export interface SsoIdentity extends UserRef {
  readonly name?: string;
}

/**
 * Validates the Teams SSO token before it is used as an on-behalf-of assertion, so a token for another user,
 * tenant or app is refused here, not only at Entra (design.md §6: v1 and v2 formats).
 */
export class SsoTokenValidator {
  private keySet: Jose.JWTVerifyGetKey | undefined;
  private readonly issuers: string[];

  constructor(private readonly options: SsoTokenValidatorOptions) {
    this.issuers = [
      `${options.authorityHost}/${options.tenantId}/v2.0`,
      `https://sts.windows.net/${options.tenantId}/`,
    ];
  }

  /** Throws AppError 'sso_token_rejected' when the token is invalid, 'wrong_account' when it is someone else's. */
  async validate(token: string, expected: UserRef): Promise<SsoIdentity> {
    let payload: unknown;
    try {
      const { jwtVerify, createRemoteJWKSet } = loadJose();
      // One key set per validator: it caches the tenant's signing keys and refetches them on an unknown kid.
      this.keySet ??= createRemoteJWKSet(
        new URL(`${this.options.authorityHost}/${this.options.tenantId}/discovery/v2.0/keys`),
      );
      ({ payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuers,
        audience: [...this.options.audiences],
        clockTolerance: 300,
      }));
    } catch (e) {
      throw appError('sso_token_rejected', {
        userMessage: 'That sign-in token is not valid for Convene. Please sign in again.',
        cause: e,
        details: { reason: e instanceof Error ? e.name : 'unknown' },
      });
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || claims.data.oid !== expected.aadObjectId || claims.data.tid !== expected.tenantId) {
      throw appError('wrong_account', {
        userMessage: 'That sign-in belongs to a different account than your Teams account.',
      });
    }
    return { aadObjectId: claims.data.oid, tenantId: claims.data.tid, name: claims.data.name };
  }
}
