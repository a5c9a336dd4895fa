import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';
import { LOCAL_CLIENT_ID, LOCAL_TENANT_ID, LOCAL_USERS } from '../../../emulators/fixtures';

/**
 * Signs Entra-shaped Graph access tokens with a throwaway RSA key, so the Graph stand-in can be tested without
 * the Entra stand-in (its public half goes to the stand-in's `jwks` option).
 */
export interface TestTokenIssuer {
  readonly jwks: JSONWebKeySet;
  delegated(overrides?: Partial<DelegatedClaims>): Promise<string>;
  application(overrides?: Partial<ApplicationClaims>): Promise<string>;
  /** Signs arbitrary claims (wrong audience, expired…). */
  sign(claims: JWTPayload): Promise<string>;
}

export interface DelegatedClaims {
  readonly aud: string;
  readonly tid: string;
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
  readonly scp: string;
  readonly appid: string;
  readonly expiresInSeconds: number;
}

export interface ApplicationClaims {
  readonly aud: string;
  readonly tid: string;
  readonly appid: string;
  readonly roles: readonly string[];
  readonly expiresInSeconds: number;
}

export const ADA = LOCAL_USERS[0]!;
export const GRACE = LOCAL_USERS[1]!;
export const LINUS_GUEST = LOCAL_USERS.find((u) => u.external)!;

export async function createTestTokenIssuer(): Promise<TestTokenIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = 'test-key-1';
  const sign = (claims: JWTPayload): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey);
  const nowSeconds = (): number => Math.floor(Date.now() / 1000);
  return {
    jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] },
    sign,
    delegated: (o = {}) => {
      const tid = o.tid ?? LOCAL_TENANT_ID;
      return sign({
        aud: o.aud ?? 'https://graph.microsoft.com',
        iss: `https://sts.windows.net/${tid}/`,
        tid,
        oid: o.oid ?? ADA.aadObjectId,
        upn: o.upn ?? ADA.upn,
        name: o.name ?? ADA.name,
        appid: o.appid ?? LOCAL_CLIENT_ID,
        scp: o.scp ?? 'OnlineMeetings.ReadWrite User.Read openid profile',
        nbf: nowSeconds() - 60,
        iat: nowSeconds() - 60,
        exp: nowSeconds() + (o.expiresInSeconds ?? 3600),
      });
    },
    application: (o = {}) => {
      const tid = o.tid ?? LOCAL_TENANT_ID;
      return sign({
        aud: o.aud ?? 'https://graph.microsoft.com',
        iss: `https://sts.windows.net/${tid}/`,
        tid,
        oid: 'f0f0f0f0-0000-4000-8000-00000000a990',
        appid: o.appid ?? LOCAL_CLIENT_ID,
        idtyp: 'app',
        roles: [...(o.roles ?? ['OnlineMeetings.ReadWrite.All'])],
        nbf: nowSeconds() - 60,
        iat: nowSeconds() - 60,
        exp: nowSeconds() + (o.expiresInSeconds ?? 3600),
      });
    },
  };
}
