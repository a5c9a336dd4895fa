import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface PublicJwk {
  readonly kty: 'RSA';
  readonly use: 'sig';
  readonly alg: 'RS256';
  readonly kid: string;
  readonly n: string;
  readonly e: string;
  readonly issuer?: string;
}

/** What happened when checking a JWT's signature (claims are the caller's business: Entra's codes differ per claim). */
export type SignatureCheck =
  | { readonly ok: true; readonly header: JwtClaims; readonly claims: JwtClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'key-not-found' | 'bad-signature'; readonly kid?: string };

/**
 * One RSA key per stand-in instance with a stable `kid`: verifiers (msal, the Graph stand-in, jose's remote JWKS)
 * cache keys by `kid`, so rotating it mid-run would make them refetch or fail.
 */
export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(kid?: string) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    const jwk = this.publicKey.export({ format: 'jwk' });
    // Entra kids look like an x5t (27 base64url chars); derive one from the modulus so it is stable per key.
    this.kid = kid ?? createHash('sha1').update(String(jwk.n)).digest('base64url');
  }

  sign(claims: JwtClaims): string {
    const header = { typ: 'JWT', alg: 'RS256', kid: this.kid };
    const input = `${b64json(header)}.${b64json(claims)}`;
    const signature = sign('RSA-SHA256', Buffer.from(input), this.privateKey).toString('base64url');
    return `${input}.${signature}`;
  }

  jwk(issuer?: string): PublicJwk {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      kty: 'RSA',
      use: 'sig',
      alg: 'RS256',
      kid: this.kid,
      n: String(jwk.n),
      e: String(jwk.e),
      ...(issuer ? { issuer } : {}),
    };
  }

  /** Checks structure, `kid` and RS256 signature against this key only. */
  check(token: string): SignatureCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [h, p, s] = parts as [string, string, string];
    let header: JwtClaims;
    let claims: JwtClaims;
    try {
      header = parseJson(h);
      claims = parseJson(p);
    } catch (error) {
      if (error instanceof SyntaxError) return { ok: false, reason: 'malformed' };
      throw error;
    }
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    if (header.alg !== 'RS256' || kid !== this.kid)
      return { ok: false, reason: 'key-not-found', ...(kid ? { kid } : {}) };
    const valid = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'));
    return valid ? { ok: true, header, claims } : { ok: false, reason: 'bad-signature', kid };
  }
}

/** Reads a JWT payload without verifying it (for logging the oid of a rejected assertion). */
export function decodeUnverified(token: string): JwtClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    return parseJson(payload);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function parseJson(segment: string): JwtClaims {
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SyntaxError('JWT segment is not a JSON object');
  return value as JwtClaims;
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
