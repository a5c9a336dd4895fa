/** A stored value and its version tag. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/**
 * Everything that must survive a restart or be shared between instances goes through this interface.
 * Values are JSON-serializable. Writes that guard against duplicates use compareAndSet, never read-then-write.
 * Implementations throw AppError('storage_unavailable') when the backend can't be reached.
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Writes `value` only if the key's current etag equals `expectedEtag` (`null`: only if the key is absent).
   * Returns the new etag, or `undefined` when another writer got there first.
   */
  compareAndSet<T>(key: string, value: T, expectedEtag: string | null, ttlInMs?: number): Promise<string | undefined>;
  /** Unconditional write. */
  set<T>(key: string, value: T, ttlInMs?: number): Promise<string>;
  delete(key: string): Promise<void>;
  /** Resolves when the backend answers; used by /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
