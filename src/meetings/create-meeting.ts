import { AppError, appError, GraphRequestError } from './errors';
import { externalIdFor, meetingKeyFor } from './idempotency';
import type { MeetingRecords } from './meeting-records';
import type { Clock, CreateMeetingBody, GraphAccess, GraphCaller, KeyValueStore, MeetingsGateway } from './ports';
import type { MeetingRecord, MeetingRequest, OnlineMeeting, UserRef } from './types';

/** De-duplication record for creates that can't go through createOrGet (passcode, live events). */
type Claim =
  | { readonly state: 'inflight'; readonly since: number }
  | { readonly state: 'uncertain'; readonly since: number }
  | { readonly state: 'done'; readonly meetingId: string; readonly channelBindingFallback: boolean };

const CLAIM_TTL_IN_MS = 24 * 60 * 60 * 1000;
/** A claim older than this whose owner never finished is treated as crashed: its outcome is unknown. */
const INFLIGHT_STALE_IN_MS = 30_000;
const WAIT_FOR_OTHER_IN_MS = 4_000;
const POLL_IN_MS = 100;

export interface CreateMeetingInput {
  readonly request: MeetingRequest;
  readonly idempotencyKey: string;
  readonly caller: GraphCaller;
  readonly organizer: UserRef;
  readonly organizerName: string;
  /** Clock ms after which the gateway must not start another retry. */
  readonly deadline?: number;
  /** The user explicitly accepted that an earlier attempt may have created a meeting (after an unknown outcome). */
  readonly acceptUncertain?: boolean;
}

export interface CreateMeetingResult {
  readonly record: MeetingRecord;
  /** True when this call found the meeting an earlier delivery created. */
  readonly duplicate: boolean;
}

export interface CreateMeetingDeps {
  readonly gateway: MeetingsGateway;
  readonly store: KeyValueStore;
  readonly records: MeetingRecords;
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Town halls for `live` requests (LIVE_MEETINGS=townhall, the default). Without it a live request goes out as the
   * seed's `isBroadcast` meeting (LIVE_MEETINGS=broadcast), for tenants that still schedule live events.
   */
  readonly townhalls?: { execute(input: CreateMeetingInput): Promise<CreateMeetingResult> };
}

/**
 * Creates a meeting exactly once per idempotency key (design.md §3). Meetings whose body createOrGet accepts go
 * through createOrGet with an externalId derived from the key; passcode and live-event meetings go through a plain
 * POST guarded by a compare-and-set claim. A channel binding Graph refuses falls back to an unbound meeting.
 */
export class CreateMeeting {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: CreateMeetingDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The token a request needs: a town hall asks for VirtualEvent.ReadWrite, everything else for onlineMeetings. */
  accessFor(request: Pick<MeetingRequest, 'live'>): GraphAccess {
    return request.live && this.deps.townhalls ? 'townhalls' : 'meetings';
  }

  async execute(input: CreateMeetingInput): Promise<CreateMeetingResult> {
    const { request } = input;
    if (request.live && this.deps.townhalls) return this.deps.townhalls.execute(input);
    const body: CreateMeetingBody = {
      subject: request.subject,
      startDateTime: request.startDateTime,
      endDateTime: request.endDateTime,
      passcode: request.passcode,
      live: request.live,
      attendees: request.attendees,
      ...(request.channelThreadId ? { chatThreadId: request.channelThreadId } : {}),
    };
    if (!request.passcode && !request.live) return this.viaCreateOrGet(input, body);
    return this.viaClaim(input, body);
  }

  private async viaCreateOrGet(input: CreateMeetingInput, body: CreateMeetingBody): Promise<CreateMeetingResult> {
    const options = { locale: input.request.locale, deadline: input.deadline };
    const externalId = externalIdFor(input.idempotencyKey);
    try {
      const { meeting, created } = await this.deps.gateway.createOrGetMeeting(input.caller, { ...body, externalId }, options);
      return { record: await this.remember(input, meeting, false), duplicate: !created };
    } catch (e) {
      if (!isChannelRefusal(e, body)) throw e;
      const unbound = withoutChannel(body);
      const { meeting, created } = await this.deps.gateway.createOrGetMeeting(
        input.caller,
        { ...unbound, externalId: externalIdFor(`${input.idempotencyKey}:unbound`) },
        options,
      );
      return { record: await this.remember(input, meeting, true), duplicate: !created };
    }
  }

  private async viaClaim(input: CreateMeetingInput, body: CreateMeetingBody): Promise<CreateMeetingResult> {
    const claimKey = `dedup:${input.idempotencyKey}`;
    const claimEtag = await this.claim(claimKey, input.acceptUncertain === true);
    if (typeof claimEtag !== 'string') {
      return { record: await this.recordFor(input, claimEtag.meetingId, claimEtag.channelBindingFallback), duplicate: true };
    }
    const options = { locale: input.request.locale, deadline: input.deadline };
    let meeting: OnlineMeeting;
    let fallback = false;
    try {
      try {
        meeting = await this.deps.gateway.createMeeting(input.caller, body, options);
      } catch (e) {
        if (!isChannelRefusal(e, body)) throw e;
        meeting = await this.deps.gateway.createMeeting(input.caller, withoutChannel(body), options);
        fallback = true;
      }
    } catch (e) {
      await this.release(claimKey, e);
      throw e;
    }
    const done: Claim = { state: 'done', meetingId: meeting.id, channelBindingFallback: fallback };
    await this.deps.store.set(claimKey, done, CLAIM_TTL_IN_MS);
    return { record: await this.remember(input, meeting, fallback), duplicate: false };
  }

  /** Returns the etag of a fresh claim, or the finished claim another delivery made. */
  private async claim(claimKey: string, acceptUncertain: boolean): Promise<string | Extract<Claim, { state: 'done' }>> {
    const waitUntil = this.deps.clock.now() + WAIT_FOR_OTHER_IN_MS;
    for (;;) {
      const inflight: Claim = { state: 'inflight', since: this.deps.clock.now() };
      const etag = await this.deps.store.compareAndSet(claimKey, inflight, null, CLAIM_TTL_IN_MS);
      if (etag) return etag;
      const current = await this.deps.store.get<Claim>(claimKey);
      if (!current) continue;
      const claim = current.value;
      if (claim.state === 'done') return claim;
      const stale = claim.state === 'uncertain' || this.deps.clock.now() - claim.since > INFLIGHT_STALE_IN_MS;
      if (stale) {
        if (!acceptUncertain) throw uncertainOutcome();
        const taken = await this.deps.store.compareAndSet(claimKey, inflight, current.etag, CLAIM_TTL_IN_MS);
        if (taken) return taken;
        continue;
      }
      if (this.deps.clock.now() >= waitUntil) {
        throw appError('create_in_progress');
      }
      await this.sleep(POLL_IN_MS);
    }
  }

  /** A definite failure frees the key for a retry; an unknown outcome (timeout) is remembered as uncertain. */
  private async release(claimKey: string, error: unknown): Promise<void> {
    if (error instanceof GraphRequestError && error.code === 'graph_timeout') {
      const uncertain: Claim = { state: 'uncertain', since: this.deps.clock.now() };
      await this.deps.store.set(claimKey, uncertain, CLAIM_TTL_IN_MS);
      return;
    }
    await this.deps.store.delete(claimKey);
  }

  private async recordFor(input: CreateMeetingInput, meetingId: string, fallback: boolean): Promise<MeetingRecord> {
    const existing = await this.deps.records.get(meetingKeyFor(meetingId));
    if (existing) return existing.record;
    const meeting = await this.deps.gateway.getMeeting(input.caller, meetingId, { locale: input.request.locale });
    return this.remember(input, meeting, fallback);
  }

  private async remember(input: CreateMeetingInput, meeting: OnlineMeeting, fallback: boolean): Promise<MeetingRecord> {
    const now = new Date(this.deps.clock.now()).toISOString();
    return this.deps.records.add({
      meeting,
      organizer: input.organizer,
      organizerName: input.organizerName,
      request: input.request,
      state: 'active',
      version: 1,
      channelBindingFallback: fallback,
      createdAt: now,
      updatedAt: now,
    });
  }
}

function isChannelRefusal(e: unknown, body: CreateMeetingBody): boolean {
  return body.chatThreadId !== undefined && e instanceof GraphRequestError && e.code === 'channel_binding_refused';
}

function withoutChannel(body: CreateMeetingBody): CreateMeetingBody {
  const { chatThreadId: _omit, ...rest } = body;
  void _omit;
  return rest;
}

function uncertainOutcome(): AppError {
  return new AppError(
    'graph_timeout',
    504,
    'An earlier attempt timed out and may have created this meeting. Check your Teams calendar or chat before creating it again.',
  );
}
