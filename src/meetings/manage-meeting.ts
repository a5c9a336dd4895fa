import { DateTime } from 'luxon';
import { missingOptions, type CreateMeeting } from './create-meeting';
import { AppError, appError, GraphRequestError, ValidationError } from './errors';
import { cardActionKey } from './idempotency';
import type { KeptRequest, KeptRequests } from './kept-requests';
import { DEFAULT_MEETING_MINUTES, isPastStart, type Interval } from './meeting-policy';
import type { MeetingRecords } from './meeting-records';
import type { Clock, GraphCaller, MeetingsGateway, TownhallCallerFor, TownhallsGateway } from './ports';
import type { MeetingOptions, MeetingRecord, UserRef } from './types';

const WAIT_FOR_OTHER_IN_MS = 4_000;

export interface ManageMeetingDeps {
  readonly gateway: MeetingsGateway;
  readonly records: MeetingRecords;
  readonly createMeeting: CreateMeeting;
  readonly kept: KeptRequests;
  readonly clock: Clock;
  /** Cancels town hall records (POST …/townhalls/{id}/cancel with the organizer's VirtualEvent.ReadWrite token). */
  readonly townhalls?: {
    readonly gateway: Pick<TownhallsGateway, 'cancelTownhall'>;
    readonly callerFor: TownhallCallerFor;
  };
}

/** One button press on a meeting card. Card data is untrusted: only `meetingKey` and `version` come from it. */
export interface CardActionInput {
  readonly meetingKey: string;
  readonly version: number;
  /** Who pressed (from the activity, never from card data). */
  readonly actor: UserRef;
  /** The message the card is in (`activity.replyToId`): binds the action to that card's meeting. */
  readonly cardActivityId: string | undefined;
  /** Resolves the actor's Graph caller; called only when a Graph call is about to happen (may throw sign-in errors). */
  readonly caller: () => Promise<GraphCaller>;
  readonly locale: string;
  readonly deadline?: number;
}

export type ManageOutcome =
  /** `previous` is the record before the change (a rename's notice names the old subject). */
  | {
      readonly kind: 'changed';
      readonly record: MeetingRecord;
      readonly change: MeetingChange;
      readonly previous?: MeetingRecord;
    }
  /** Nothing applied: an automatic refresh, or a stale click whose change is already done (double click, retried invoke). */
  | { readonly kind: 'current'; readonly record: MeetingRecord }
  | { readonly kind: 'refused'; readonly record: MeetingRecord; readonly reason: 'not_organizer' | 'meeting_cancelled' }
  | {
      readonly kind: 'created';
      readonly source: MeetingRecord;
      readonly record: MeetingRecord;
      readonly duplicate: boolean;
    };

export type MeetingChange = 'rescheduled' | 'renamed' | 'cancelled' | 'refreshed' | 'optionsChanged';

/**
 * The meeting-card use cases (design.md §1 card buttons): reschedule, rename, cancel, refresh, new-like-this, and
 * the requests kept behind error (Retry) and clarify cards. Only the organizer (from Convene's record) may change a
 * meeting or read it from Graph; a change applies once per record version (compare-and-set claim), so double clicks
 * and retried invokes make one Graph call. Throws AppError 'validation' when the card is not the meeting's own.
 */
export class ManageMeeting {
  constructor(private readonly deps: ManageMeetingDeps) {}

  reschedule(input: CardActionInput, interval: Interval): Promise<ManageOutcome> {
    return this.change(input, 'rescheduled', async (caller, record) => {
      refuseTownhall(record);
      const meeting = await this.deps.gateway.updateMeeting(caller, record.meeting.id, interval, this.options(input));
      return (r) => ({ ...r, meeting, request: { ...r.request, ...interval } });
    });
  }

  rename(input: CardActionInput, subject: string): Promise<ManageOutcome> {
    return this.change(input, 'renamed', async (caller, record) => {
      refuseTownhall(record);
      const meeting = await this.deps.gateway.updateMeeting(
        caller,
        record.meeting.id,
        { subject },
        this.options(input),
      );
      return (r) => ({ ...r, meeting, request: { ...r.request, subject } });
    });
  }

  /**
   * Meeting options from the organizer's Options form: one PATCH with the v1.0 fields (only those that differ from
   * the meeting's), applied once per record version like every change.
   */
  setOptions(input: CardActionInput, options: MeetingOptions): Promise<ManageOutcome> {
    return this.change(input, 'optionsChanged', async (caller, record) => {
      const missing = missingOptions(options, record.meeting.options);
      // The meeting already has them: nothing to PATCH, no new version, no notice.
      if (!missing) return undefined;
      const patch = { options: missing, attendees: record.request.attendees };
      const meeting = await this.deps.gateway.updateMeeting(caller, record.meeting.id, patch, this.options(input));
      return (r) => ({ ...r, meeting, request: { ...r.request, options: { ...r.request.options, ...options } } });
    });
  }

  cancel(input: CardActionInput): Promise<ManageOutcome> {
    return this.change(input, 'cancelled', async (caller, record) => {
      if (record.kind === 'townhall') {
        await this.cancelTownhall(input, record);
        return (r) => ({ ...r, state: 'cancelled' });
      }
      try {
        await this.deps.gateway.deleteMeeting(caller, record.meeting.id, this.options(input));
      } catch (e) {
        // Already deleted outside Convene: the outcome the organizer asked for.
        if (!(e instanceof GraphRequestError && e.code === 'graph_not_found')) throw e;
      }
      return (r) => ({ ...r, state: 'cancelled' });
    });
  }

  /**
   * `automatic` (Teams refreshing a card) renders from the record with no Graph call, for anyone. A manual refresh
   * by the organizer reads the meeting from Graph and keeps the snapshot; anyone else is refused.
   */
  async refresh(input: CardActionInput, automatic: boolean): Promise<ManageOutcome> {
    const { record } = await this.load(input);
    if (automatic) return { kind: 'current', record };
    if (!isOrganizer(record, input.actor)) return { kind: 'refused', record, reason: 'not_organizer' };
    // A town hall is not an onlineMeeting: its card renders from the record.
    if (record.state === 'cancelled' || record.kind === 'townhall') return { kind: 'current', record };
    const caller = await input.caller();
    const meeting = await this.deps.gateway.getMeeting(caller, record.meeting.id, this.options(input));
    const next = (await this.deps.records.refreshSnapshot(input.meetingKey, meeting)) ?? record;
    return { kind: 'changed', record: next, change: 'refreshed' };
  }

  /**
   * The organizer's view on demand, for clients that don't run the per-user refresh; rendered from Convene's
   * record (no Graph call). Anyone else is told only the organizer can change the meeting.
   */
  async open(input: CardActionInput): Promise<ManageOutcome> {
    const { record } = await this.load(input);
    if (!isOrganizer(record, input.actor)) return { kind: 'refused', record, reason: 'not_organizer' };
    return { kind: 'current', record };
  }

  /** A new meeting with the same subject, attendees and options at a new time; idempotent per card, verb and values. */
  async newLike(input: CardActionInput, interval: Interval, values: unknown): Promise<ManageOutcome> {
    const { record } = await this.load(input);
    if (!isOrganizer(record, input.actor)) return { kind: 'refused', record, reason: 'not_organizer' };
    const caller = await input.caller();
    const created = await this.deps.createMeeting.execute({
      request: { ...record.request, ...interval },
      idempotencyKey: cardActionKey(input.actor, input.cardActivityId ?? input.meetingKey, 'newLike', values),
      caller,
      organizer: input.actor,
      organizerName: record.organizerName,
      ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
    });
    return { kind: 'created', source: record, record: created.record, duplicate: created.duplicate };
  }

  /**
   * Completes a kept request (error card Retry with its original key; clarify card with the chosen start). Returns
   * undefined when nothing is kept under the key (expired or already dismissed); throws AppError
   * 'not_your_request' when the key is someone else's.
   */
  async completeKept(
    requestKey: string,
    actor: UserRef,
    caller: () => Promise<GraphCaller>,
    choice: { readonly startDateTime?: string; readonly idempotencyKey?: string; readonly deadline?: number } = {},
  ): Promise<{ record: MeetingRecord; duplicate: boolean; kept: KeptRequest } | undefined> {
    const kept = await this.ownKept(requestKey, actor);
    if (!kept) return undefined;
    let request = kept.request;
    if (choice.startDateTime !== undefined) {
      const start = DateTime.fromISO(choice.startDateTime, { setZone: true });
      if (!start.isValid) throw new ValidationError('That time is not valid.', { startDateTime: 'invalid' });
      if (isPastStart(start.toMillis(), this.deps.clock.now())) {
        throw new ValidationError('That time has already passed.', { startDateTime: 'past' }, 'time_in_past');
      }
      const minutes = kept.durationMinutes ?? DEFAULT_MEETING_MINUTES;
      request = {
        ...request,
        startDateTime: start.toUTC().toISO(),
        endDateTime: start.plus({ minutes }).toUTC().toISO(),
      };
    }
    const created = await this.deps.createMeeting.execute({
      request,
      idempotencyKey: choice.idempotencyKey ?? requestKey,
      caller: await caller(),
      organizer: actor,
      organizerName: kept.userName,
      ...(choice.deadline !== undefined ? { deadline: choice.deadline } : {}),
    });
    return { record: created.record, duplicate: created.duplicate, kept };
  }

  /** The actor's kept request (a clarify card asking again), or undefined when gone. Throws 'not_your_request'. */
  findKept(requestKey: string, actor: UserRef): Promise<KeptRequest | undefined> {
    return this.ownKept(requestKey, actor);
  }

  /** Forgets a kept request (clarify card's Dismiss). False when it isn't the actor's or is gone. */
  async dismissKept(requestKey: string, actor: UserRef): Promise<boolean> {
    const kept = await this.ownKept(requestKey, actor);
    if (!kept) return false;
    await this.deps.kept.drop(requestKey);
    return true;
  }

  private async ownKept(requestKey: string, actor: UserRef): Promise<KeptRequest | undefined> {
    const kept = await this.deps.kept.get(requestKey);
    if (!kept) return undefined;
    if (!sameUser(kept.user, actor)) throw appError('not_your_request');
    return kept;
  }

  /** The guarded change: bind, authorize, refuse cancelled, answer stale clicks with the current record, claim, apply once. */
  private async change(
    input: CardActionInput,
    change: Exclude<MeetingChange, 'refreshed'>,
    /** Resolves to the record change, or undefined when nothing needs changing (the claim is released). */
    apply: (caller: GraphCaller, record: MeetingRecord) => Promise<((r: MeetingRecord) => MeetingRecord) | undefined>,
  ): Promise<ManageOutcome> {
    const { record } = await this.load(input);
    if (!isOrganizer(record, input.actor)) return { kind: 'refused', record, reason: 'not_organizer' };
    if (record.state === 'cancelled') return { kind: 'refused', record, reason: 'meeting_cancelled' };
    if (input.version !== record.version) return { kind: 'current', record };
    const caller = await input.caller();
    const claim = await this.deps.records.claimChange(input.meetingKey, record.version);
    if (!claim) return { kind: 'current', record: await this.afterOtherChange(input.meetingKey, record.version) };
    try {
      const mutate = await apply(caller, record);
      if (!mutate) {
        await this.deps.records.endChange(claim, 'failed');
        return { kind: 'current', record };
      }
      const next = await this.deps.records.commit(input.meetingKey, mutate);
      await this.deps.records.endChange(claim, 'done');
      return { kind: 'changed', record: next, change, previous: record };
    } catch (e) {
      await this.deps.records.endChange(claim, 'failed');
      throw e;
    }
  }

  private async cancelTownhall(input: CardActionInput, record: MeetingRecord): Promise<void> {
    if (!this.deps.townhalls) throw new AppError('internal', 500, 'Town halls are not configured.');
    const caller = await this.deps.townhalls.callerFor(input.actor);
    try {
      await this.deps.townhalls.gateway.cancelTownhall(caller, record.meeting.id, this.options(input));
    } catch (e) {
      // Cancelled or deleted outside Convene already: the outcome the organizer asked for.
      if (!(e instanceof GraphRequestError && (e.code === 'graph_not_found' || e.httpStatus === 400))) throw e;
    }
  }

  /** A duplicate click waits (briefly) for the first one's change, then answers with whatever the record is. */
  private async afterOtherChange(meetingKey: string, version: number): Promise<MeetingRecord> {
    await this.deps.records.awaitChange(meetingKey, version, WAIT_FOR_OTHER_IN_MS);
    const current = await this.deps.records.get(meetingKey);
    if (!current) throw notThisCard();
    return current.record;
  }

  /** The record the card's data names, only if the card is that meeting's own card. */
  private async load(input: CardActionInput): Promise<{ record: MeetingRecord; etag: string }> {
    const found = await this.deps.records.get(input.meetingKey);
    if (!found) throw notThisCard();
    const posted = found.record.cardActivityId;
    if (posted !== undefined && posted !== input.cardActivityId) throw notThisCard();
    return found;
  }

  private options(input: CardActionInput) {
    return { locale: input.locale, ...(input.deadline !== undefined ? { deadline: input.deadline } : {}) };
  }
}

export function isOrganizer(record: MeetingRecord, user: UserRef): boolean {
  return sameUser(record.organizer, user);
}

function sameUser(a: UserRef, b: UserRef): boolean {
  return a.tenantId === b.tenantId && a.aadObjectId === b.aadObjectId;
}

/** Convene only cancels town halls; their time and title are changed in Teams. */
function refuseTownhall(record: MeetingRecord): void {
  if (record.kind === 'townhall')
    throw new AppError(
      'townhall_unchangeable',
      400,
      "Change a town hall's time or title in Teams; Convene can cancel it.",
    );
}

function notThisCard(): ValidationError {
  return new ValidationError('This card does not belong to that meeting.', { meetingKey: 'mismatch' });
}
