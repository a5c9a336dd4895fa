import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { appError, type AppError } from '../meetings/errors';
import type { Clock, GraphAccess } from '../meetings/ports';
import type { UserRef } from '../meetings/types';
import type { KeyValueStore } from '../storage/storage';
import type { SignedTokens } from './signed-token';
import type { TokenProvider } from './token-provider';

const LINK_TTL_IN_MS = 15 * 60 * 1000;
const FLOW_TTL_IN_MS = 15 * 60 * 1000;

const linkSchema = z.object({
  o: z.string().min(1),
  t: z.string().min(1),
  p: z.string().optional(),
  h: z.string().optional(),
  c: z.enum(['consent', 'select_account', 'login']).optional(),
  a: z.enum(['meetings', 'townhalls']).optional(),
});
const stateSchema = z.object({ n: z.string().min(16) });
const flowSchema = z.object({
  verifier: z.string(),
  user: z.object({ tenantId: z.string(), aadObjectId: z.string() }),
  pendingId: z.string().optional(),
  access: z.enum(['meetings', 'townhalls']).optional(),
  used: z.boolean(),
});
type Flow = z.infer<typeof flowSchema>;

export interface SignInLinkOptions {
  readonly pendingId?: string;
  readonly loginHint?: string;
  readonly prompt?: 'consent' | 'select_account' | 'login';
  /** What the sign-in is for (default meetings): `townhalls` also asks for VirtualEvent.ReadWrite. */
  readonly access?: GraphAccess;
}

export interface SignInCompletion {
  /** Called once the user's tokens are stored; completes what they were waiting for. */
  onSignedIn(user: UserRef, pendingId: string | undefined): Promise<void>;
}

export interface SignInLinkDeps {
  readonly botEndpoint: string;
  readonly tokens: SignedTokens;
  readonly store: KeyValueStore;
  readonly tokenProvider: TokenProvider;
  readonly clock: Clock;
}

/**
 * Convene's own sign-in link (design.md §2, runtime contract): /auth/start → Entra authorize (PKCE S256) →
 * /auth/callback. The link is bound to the Teams user who asked; the callback refuses any other account.
 */
export class SignInLinks {
  constructor(private readonly deps: SignInLinkDeps) {}

  get redirectUri(): string {
    return `${this.deps.botEndpoint}/auth/callback`;
  }

  linkFor(user: UserRef, options: SignInLinkOptions = {}): string {
    const token = this.deps.tokens.sign(
      {
        o: user.aadObjectId,
        t: user.tenantId,
        ...(options.pendingId ? { p: options.pendingId } : {}),
        ...(options.loginHint ? { h: options.loginHint } : {}),
        ...(options.prompt ? { c: options.prompt } : {}),
        ...(options.access && options.access !== 'meetings' ? { a: options.access } : {}),
      },
      LINK_TTL_IN_MS,
    );
    return `${this.deps.botEndpoint}/auth/start?t=${encodeURIComponent(token)}`;
  }

  /**
   * Validates a link token and returns the Entra authorize URL to redirect to. One flow record per link, not per
   * visit: opening the link again (a second tab, a reload, a hostile loop) reuses the unused flow and its PKCE
   * verifier, so either tab can finish; a used flow is replaced by a fresh one.
   */
  async start(linkToken: string | undefined): Promise<string> {
    const link = linkSchema.safeParse(linkToken ? this.deps.tokens.verify(linkToken) : undefined);
    if (!linkToken || !link.success) throw invalidLink();
    const nonce = createHash('sha256').update(linkToken).digest('base64url');
    const verifier = await this.flowVerifier(nonce, {
      user: { tenantId: link.data.t, aadObjectId: link.data.o },
      ...(link.data.p ? { pendingId: link.data.p } : {}),
      ...(link.data.a ? { access: link.data.a } : {}),
    });
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    return this.deps.tokenProvider.getAuthorizationUrl({
      state: this.deps.tokens.sign({ n: nonce }, FLOW_TTL_IN_MS),
      codeChallenge: challenge,
      redirectUri: this.redirectUri,
      ...(link.data.h ? { loginHint: link.data.h } : {}),
      ...(link.data.c ? { prompt: link.data.c } : {}),
      ...(link.data.a ? { access: link.data.a } : {}),
    });
  }

  /** The verifier of the link's unused flow, or of a new one stored in its place. */
  private async flowVerifier(nonce: string, flow: Pick<Flow, 'user' | 'pendingId' | 'access'>): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.deps.store.get<unknown>(flowKey(nonce));
      const existing = flowSchema.safeParse(stored?.value);
      if (stored && existing.success && !existing.data.used) return existing.data.verifier;
      const verifier = randomBytes(32).toString('base64url');
      const written = await this.deps.store.compareAndSet(
        flowKey(nonce),
        { ...flow, verifier, used: false } satisfies Flow,
        stored?.etag ?? null,
        FLOW_TTL_IN_MS,
      );
      if (written) return verifier;
    }
    // Three concurrent visits in a row each lost the race: another visit's flow stands; ask the user to try again.
    throw invalidLink();
  }

  /**
   * Finishes the flow: state checked (signature, expiry, single use), code redeemed for the bound user only.
   * Returns who signed in and the pending request the link was for.
   */
  async finish(params: { code?: string; state?: string }): Promise<{ user: UserRef; pendingId: string | undefined }> {
    const state = stateSchema.safeParse(params.state ? this.deps.tokens.verify(params.state) : undefined);
    if (!state.success || !params.code) throw invalidLink();
    const stored = await this.deps.store.get<unknown>(flowKey(state.data.n));
    const flow = flowSchema.safeParse(stored?.value);
    if (!stored || !flow.success || flow.data.used) throw invalidLink();
    // Single use: a replayed callback loses this compare-and-set.
    const claimed = await this.deps.store.compareAndSet(
      flowKey(state.data.n),
      { ...flow.data, used: true },
      stored.etag,
      FLOW_TTL_IN_MS,
    );
    if (!claimed) throw invalidLink();
    await this.deps.tokenProvider.redeemAuthorizationCode(flow.data.user, {
      code: params.code,
      codeVerifier: flow.data.verifier,
      redirectUri: this.redirectUri,
      ...(flow.data.access ? { access: flow.data.access } : {}),
    });
    return { user: flow.data.user, pendingId: flow.data.pendingId };
  }
}

function flowKey(nonce: string): string {
  return `signin-flow:${nonce}`;
}

function invalidLink(): AppError {
  return appError('sign_in_link_invalid');
}
