import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../meetings/ports';

/**
 * Short, tamper-proof tokens for sign-in `state` and links (HMAC-SHA256 over a JSON payload with an expiry).
 * Every instance behind one bot must share the secret (SIGNING_SECRET).
 */
export class SignedTokens {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  sign(payload: Record<string, unknown>, ttlInMs: number): string {
    const body = Buffer.from(JSON.stringify({ ...payload, exp: this.clock.now() + ttlInMs })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** Returns the payload, or undefined when the token was tampered with, malformed or expired. */
  verify(token: string): Record<string, unknown> | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      // A valid MAC over invalid JSON can only come from a bug on our side; treat it as invalid.
      return undefined;
    }
    if (!payload || typeof payload !== 'object') return undefined;
    const exp = (payload as { exp?: unknown }).exp;
    if (typeof exp !== 'number' || exp <= this.clock.now()) return undefined;
    return payload as Record<string, unknown>;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
