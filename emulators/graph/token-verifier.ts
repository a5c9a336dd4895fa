import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import { ODataError } from './odata';

/** Graph's resource id and its app id: Entra issues either as `aud` depending on how the scope was requested. */
export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'] as const;

export type VerifiedCaller =
  | {
      readonly kind: 'delegated';
      readonly tid: string;
      readonly oid: string;
      readonly upn?: string;
      readonly name?: string;
      readonly appid?: string;
      readonly scopes: ReadonlySet<string>;
    }
  | { readonly kind: 'application'; readonly tid: string; readonly appid: string; readonly roles: ReadonlySet<string> };

export interface TokenVerifierOptions {
  /** JWKS of the Entra stand-in (https on the local CA). */
  readonly jwksUrl?: string;
  /** A key set given directly, for tests that sign their own tokens. */
  readonly jwks?: JSONWebKeySet;
  /** Clock skew tolerated on exp/nbf, in seconds. */
  readonly clockToleranceInSeconds?: number;
  readonly now: () => number;
}

type KeyResolver = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

const unauthorized = (message: string): ODataError =>
  new ODataError(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });

/** Verifies Entra access tokens for Graph the way Graph does: signature, lifetime, audience, issuer of the tid. */
export class TokenVerifier {
  private readonly keys: KeyResolver[];

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = [];
    if (options.jwks) this.keys.push(createLocalJWKSet(options.jwks));
    if (options.jwksUrl) this.keys.push(createRemoteJWKSet(new URL(options.jwksUrl)));
    if (this.keys.length === 0) throw new Error('Graph stand-in needs jwks or jwksUrl to verify tokens');
  }

  async verify(authorization: string | undefined): Promise<VerifiedCaller> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthorized('Access token is empty.');
    const payload = await this.verifySignature(token);
    return this.toCaller(payload);
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    let lastError: unknown;
    for (const keys of this.keys) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          audience: [...GRAPH_AUDIENCES],
          clockTolerance: this.options.clockToleranceInSeconds ?? 0,
          currentDate: new Date(this.options.now()),
          algorithms: ['RS256'],
        });
        return payload;
      } catch (error) {
        // Try the next key source; the last failure decides the message.
        lastError = error;
      }
    }
    if (lastError instanceof joseErrors.JWTExpired) throw unauthorized('Access token has expired or is not yet valid.');
    if (lastError instanceof joseErrors.JWTClaimValidationFailed) {
      if (lastError.claim === 'nbf') throw unauthorized('Access token has expired or is not yet valid.');
      if (lastError.claim === 'aud') throw unauthorized('Access token validation failure. Invalid audience.');
    }
    throw unauthorized('Access token validation failure.');
  }

  private toCaller(payload: JWTPayload): VerifiedCaller {
    const tid = typeof payload['tid'] === 'string' ? payload['tid'] : undefined;
    if (!tid) throw unauthorized('Access token validation failure. Missing tid.');
    const issuers = [`https://sts.windows.net/${tid}/`, `https://login.microsoftonline.com/${tid}/v2.0`];
    if (typeof payload.iss !== 'string' || !issuers.includes(payload.iss)) {
      throw unauthorized('Access token validation failure. Invalid issuer.');
    }
    const str = (key: string): string | undefined => {
      const value = payload[key];
      return typeof value === 'string' ? value : undefined;
    };
    const appid = str('appid') ?? str('azp');
    const scp = str('scp');
    if (scp !== undefined) {
      const oid = str('oid');
      if (!oid) throw unauthorized('Access token validation failure. Missing oid.');
      return {
        kind: 'delegated',
        tid,
        oid,
        upn: str('upn') ?? str('preferred_username'),
        name: str('name'),
        appid,
        scopes: new Set(scp.split(' ').filter(Boolean)),
      };
    }
    const roles = Array.isArray(payload['roles'])
      ? payload['roles'].filter((r): r is string => typeof r === 'string')
      : [];
    if (!appid) throw unauthorized('Access token validation failure. Missing appid.');
    return { kind: 'application', tid, appid, roles: new Set(roles) };
  }
}
