import { AppError } from './errors';
import { meetingKeyFor } from './idempotency';
import type { ClaimsPort, Clock, HeldClaim, KeyValueStore } from './ports';
import type { MeetingRecord, OnlineMeeting, UserRef } from './types';

const RECENT_LIMIT = 25;
/**
 * Graph expires a meeting 60 days after it ends (longer when it's changed); Convene keeps its record a while past
 * that so late card clicks still get a clear answer, then lets it go. Every write renews the expiry.
 */
const RECORD_TTL_IN_MS = 180 * 24 * 60 * 60 * 1000;
const CHANGE_TTL_IN_MS = 24 * 60 * 60 * 1000;
const CHANGE_SETTLED_TTL_IN_MS = 10 * 60 * 1000;

/** The one change allowed on a version, held while its Graph call runs (owner + lease, storage/claims.ts). */
export type ChangeClaim = HeldClaim<'done'>;

function changeKey(meetingKey: string, version: number): string {
  return `meeting-change:${meetingKey}:${version}`;
}

/** Convene's memory of the meetings it created: one record per meeting plus a per-user "recent" index. */
export class MeetingRecords {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly claims: Pick<ClaimsPort, 'claim' | 'awaitSettled'>,
  ) {}

  async get(meetingKey: string): Promise<{ record: MeetingRecord; etag: string } | undefined> {
    const found = await this.store.get<MeetingRecord>(`meeting:${meetingKey}`);
    return found ? { record: found.value, etag: found.etag } : undefined;
  }

  /** Creates the record if it doesn't exist yet (a duplicate delivery finds the first one's record). */
  async add(record: MeetingRecord): Promise<MeetingRecord> {
    const key = meetingKeyFor(record.meeting.id);
    const created = await this.store.compareAndSet(`meeting:${key}`, record, null, RECORD_TTL_IN_MS);
    if (!created) {
      const existing = await this.get(key);
      if (existing) return existing.record;
    }
    await this.addToRecent(record.organizer, key);
    return record;
  }

  /**
   * Applies `change` to the record only if nobody changed it since `etag` was read (one click, one effect).
   * Throws AppError('conflict') when another change won.
   */
  async update(meetingKey: string, etag: string, change: (r: MeetingRecord) => MeetingRecord): Promise<MeetingRecord> {
    const current = await this.get(meetingKey);
    if (!current || current.etag !== etag) throw conflict();
    const next = { ...change(current.record), version: current.record.version + 1, updatedAt: iso(this.clock) };
    const ok = await this.store.compareAndSet(`meeting:${meetingKey}`, next, etag, RECORD_TTL_IN_MS);
    if (!ok) throw conflict();
    return next;
  }

  /** Overwrites the stored meeting snapshot (after a Graph read); keeps the version. */
  async refreshSnapshot(meetingKey: string, meeting: OnlineMeeting): Promise<MeetingRecord | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.get(meetingKey);
      if (!current) return undefined;
      const next = { ...current.record, meeting, updatedAt: iso(this.clock) };
      if (await this.store.compareAndSet(`meeting:${meetingKey}`, next, current.etag, RECORD_TTL_IN_MS)) return next;
    }
    throw conflict();
  }

  async setCardActivity(
    meetingKey: string,
    conversation: unknown,
    cardActivityId: string,
    organizerTeamsId?: string,
  ): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(meetingKey);
      if (!current) return;
      const next = {
        ...current.record,
        conversation,
        cardActivityId,
        ...(organizerTeamsId ? { organizerTeamsId } : {}),
      };
      if (await this.store.compareAndSet(`meeting:${meetingKey}`, next, current.etag, RECORD_TTL_IN_MS)) return;
    }
  }

  /**
   * Applies `change` on top of whatever the record is now (compare-and-set, retried on a concurrent write);
   * bumps the version. Callers hold the change claim for the version they acted on, so this is the only change.
   */
  async commit(meetingKey: string, change: (r: MeetingRecord) => MeetingRecord): Promise<MeetingRecord> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(meetingKey);
      if (!current) throw new AppError('graph_not_found', 404, 'This meeting is no longer known to Convene.');
      try {
        return await this.update(meetingKey, current.etag, change);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'conflict') throw e;
      }
    }
    throw conflict();
  }

  /**
   * Claims the one change allowed on `version` of a meeting (one click, one effect): a claim for the first caller
   * only, on any instance; undefined for the others. If its holder dies the claim is free one lease later.
   */
  async claimChange(meetingKey: string, version: number): Promise<ChangeClaim | undefined> {
    const attempt = await this.claims.claim<'done'>(changeKey(meetingKey, version), {
      ttlInMs: CHANGE_TTL_IN_MS,
      // The previous version's {state: 'done'} (while both share a Redis); its `inflight` had no owner: free.
      legacy: (old) => ((old as { state?: unknown } | null)?.state === 'done' ? 'done' : undefined),
    });
    return attempt.kind === 'claimed' ? attempt.claim : undefined;
  }

  /** Done: later clicks on that version answer with the record. Failed: released, so the user can try again. */
  async endChange(claim: ChangeClaim, outcome: 'done' | 'failed'): Promise<void> {
    if (outcome === 'failed') await claim.release();
    // Only a click racing this one reads it: a later click carries the old version and is answered without a claim.
    else await claim.settle('done', CHANGE_SETTLED_TTL_IN_MS);
  }

  /** Waits (up to `waitInMs`) while another delivery applies the change on `version`. */
  async awaitChange(meetingKey: string, version: number, waitInMs: number): Promise<void> {
    await this.claims.awaitSettled(changeKey(meetingKey, version), waitInMs);
  }

  async listRecent(user: UserRef): Promise<MeetingRecord[]> {
    const index = await this.store.get<string[]>(recentKey(user));
    const records = await Promise.all((index?.value ?? []).map((k) => this.get(k)));
    return records.flatMap((r) => (r ? [r.record] : []));
  }

  private async addToRecent(user: UserRef, meetingKey: string): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.store.get<string[]>(recentKey(user));
      const list = [meetingKey, ...(current?.value ?? []).filter((k) => k !== meetingKey)].slice(0, RECENT_LIMIT);
      if (await this.store.compareAndSet(recentKey(user), list, current?.etag ?? null, RECORD_TTL_IN_MS)) return;
    }
  }
}

function recentKey(user: UserRef): string {
  return `recent:${user.tenantId}:${user.aadObjectId}`;
}

function conflict(): AppError {
  return new AppError(
    'conflict',
    409,
    'This meeting was just changed by another action. Refresh the card and try again.',
  );
}

function iso(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
