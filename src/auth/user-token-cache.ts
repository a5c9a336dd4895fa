import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { KeyValueStore } from '../storage/storage';
import type { UserRef } from '../meetings/types';

/** Refresh tokens live for 90 days at Entra; the partition expires after that of inactivity. */
const PARTITION_TTL_IN_MS = 90 * 24 * 60 * 60 * 1000;

export function userCacheKey(user: UserRef): string {
  return `msal:${user.tenantId}:${user.aadObjectId}`;
}

/**
 * msal-node cache plugin bound to ONE user's partition, so a client built for a request only ever sees that
 * user's tokens (design.md §7: the cache must never mix users). With `deferWrites`, changes are held until
 * commit(), so a code redemption can be checked (right account?) before anything is kept.
 */
export class UserTokenCachePlugin implements ICachePlugin {
  private pending: string | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly user: UserRef,
    private readonly deferWrites = false,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.pending !== undefined) {
      context.tokenCache.deserialize(this.pending);
      return;
    }
    const stored = await this.store.get<string>(userCacheKey(this.user));
    if (stored) context.tokenCache.deserialize(stored.value);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const serialized = context.tokenCache.serialize();
    if (this.deferWrites) {
      this.pending = serialized;
      return;
    }
    await this.store.set(userCacheKey(this.user), serialized, PARTITION_TTL_IN_MS);
  }

  async commit(): Promise<void> {
    if (this.pending !== undefined) await this.store.set(userCacheKey(this.user), this.pending, PARTITION_TTL_IN_MS);
  }
}
