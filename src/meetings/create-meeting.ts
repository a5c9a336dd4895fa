import { AppError, appError, GraphRequestError } from './errors';
import { externalIdFor, meetingKeyFor } from './idempotency';
import type { MeetingRecords } from './meeting-records';
import type { ClaimsPort, Clock, CreateMeetingBody, GraphAccess, GraphCaller, MeetingsGateway } from './ports';
import type { MeetingOptions, MeetingRecord, MeetingRequest, OnlineMeeting, UserRef } from './types';

/** The settled outcome of a create that can't go through createOrGet (passcode, live events). */
type CreateOutcome =
  | { readonly state: 'done'; readonly meetingId: string; readonly channelBindingFallback: boolean }
  /** The POST may have been carried out (timeout, lost answer, 5xx, or its holder died): never repeated silently. */
  | { readonly state: 'uncertain' };

const CLAIM_TTL_IN_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_OTHER_IN_MS = 4_000;

export interface CreateMeetingInput {
  readonly request: MeetingRequest;
  readonly idempotencyKey: string;
  readonly caller: GraphCaller;
  readonly organizer: UserRef;
  readonly organizerName: string;
  /** Clock ms after which the gateway must not start another retry. */
  readonly deadline?: number;
}

export interface CreateMeetingResult {
  readonly record: MeetingRecord;
  /** True when this call found the meeting an earlier delivery created. */
  readonly duplicate: boolean;
}

export interface CreateMeetingDeps {
  readonly gateway: MeetingsGateway;
  readonly claims: Pick<ClaimsPort, 'claimOrAwait'>;
  readonly records: MeetingRecords;
  readonly clock: Clock;
  /**
   * Town halls for `live` requests (LIVE_MEETINGS=townhall, the default). Without it a live request goes out as the
   * seed's `isBroadcast` meeting (LIVE_MEETINGS=broadcast), for tenants that still schedule live events.
   */
  readonly townhalls?: { execute(input: CreateMeetingInput): Promise<CreateMeetingResult> };
}

/**
 * Creates a meeting exactly once per idempotency key (design.md §3). Meetings whose body createOrGet accepts go
 * through createOrGet with an externalId derived from the key; passcode and live-event meetings go through a plain
 * POST guarded by a claim (owner + lease, storage/claims.ts). A POST whose outcome is unknown is never repeated
 * under its key: the key answers AppError `create_uncertain` from then on, and only a new key (the requester's
 * "Create it anyway") makes another. A channel binding Graph refuses falls back to an unbound meeting.
 */
export class CreateMeeting {
  constructor(private readonly deps: CreateMeetingDeps) {}

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
    return this.viaClaim(input, { ...body, ...(request.options ? { options: request.options } : {}) });
  }

  /**
   * createOrGet's body has no option fields (v1.0 onlinemeeting-createorget), so they follow in one PATCH. Options
   * the meeting already has are not sent again: a redelivered command finds them set and makes no call.
   */
  private async withOptions(input: CreateMeetingInput, meeting: OnlineMeeting): Promise<OnlineMeeting> {
    const missing = missingOptions(input.request.options, meeting.options);
    if (!missing) return meeting;
    const options = { locale: input.request.locale, deadline: input.deadline };
    return this.deps.gateway.updateMeeting(
      input.caller,
      meeting.id,
      { options: missing, attendees: input.request.attendees },
      options,
    );
  }

  private async viaCreateOrGet(input: CreateMeetingInput, body: CreateMeetingBody): Promise<CreateMeetingResult> {
    const options = { locale: input.request.locale, deadline: input.deadline };
    const externalId = externalIdFor(input.idempotencyKey);
    try {
      const { meeting, created } = await this.deps.gateway.createOrGetMeeting(
        input.caller,
        { ...body, externalId },
        options,
      );
      return { record: await this.remember(input, await this.withOptions(input, meeting), false), duplicate: !created };
    } catch (e) {
      if (!isChannelRefusal(e, body)) throw e;
      const unbound = withoutChannel(body);
      const { meeting, created } = await this.deps.gateway.createOrGetMeeting(
        input.caller,
        { ...unbound, externalId: externalIdFor(`${input.idempotencyKey}:unbound`) },
        options,
      );
      return { record: await this.remember(input, await this.withOptions(input, meeting), true), duplicate: !created };
    }
  }

  private async viaClaim(input: CreateMeetingInput, body: CreateMeetingBody): Promise<CreateMeetingResult> {
    const attempt = await this.deps.claims.claimOrAwait<CreateOutcome>(`dedup:${input.idempotencyKey}`, {
      ttlInMs: CLAIM_TTL_IN_MS,
      waitInMs: WAIT_FOR_OTHER_IN_MS,
      // A holder that died may have sent its POST: taking its claim over could make a second meeting.
      abandoned: 'report',
      legacy: legacyDedup,
    });
    switch (attempt.kind) {
      case 'settled':
        if (attempt.outcome.state === 'uncertain') throw createUncertain();
        return {
          record: await this.recordFor(input, attempt.outcome.meetingId, attempt.outcome.channelBindingFallback),
          duplicate: true,
        };
      case 'held':
        throw appError('create_in_progress');
      case 'abandoned':
        await attempt.settle({ state: 'uncertain' });
        throw createUncertain();
      case 'claimed':
        break;
    }
    const { claim } = attempt;
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
      if (!isOutcomeUnknown(e)) {
        // A definite failure: nothing was made, the key is free for Retry.
        await claim.release();
        throw e;
      }
      await claim.settle({ state: 'uncertain' });
      throw createUncertain(e);
    }
    await claim.settle({ state: 'done', meetingId: meeting.id, channelBindingFallback: fallback });
    return { record: await this.remember(input, meeting, fallback), duplicate: false };
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

/** The asked-for options the meeting doesn't have yet, or undefined when it has them all. */
export function missingOptions(
  wanted: MeetingOptions | undefined,
  actual: MeetingOptions | undefined,
): MeetingOptions | undefined {
  if (!wanted) return undefined;
  const missing: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (value !== undefined && actual?.[key as keyof MeetingOptions] !== value) missing[key] = value;
  }
  return Object.keys(missing).length > 0 ? missing : undefined;
}

function isChannelRefusal(e: unknown, body: CreateMeetingBody): boolean {
  return body.chatThreadId !== undefined && e instanceof GraphRequestError && e.code === 'channel_binding_refused';
}

function withoutChannel(body: CreateMeetingBody): CreateMeetingBody {
  const { chatThreadId: _omit, ...rest } = body;
  void _omit;
  return rest;
}

/**
 * The record the previous version wrote under `dedup:` ({state: inflight | uncertain | done}): done is done; anything
 * else may have POSTed, so it is uncertain. Needed while instances of both versions share a Redis (24 h at most).
 */
function legacyDedup(value: unknown): CreateOutcome | undefined {
  const old = value as { state?: unknown; meetingId?: unknown; channelBindingFallback?: unknown } | null;
  if (old?.state === 'done' && typeof old.meetingId === 'string') {
    return { state: 'done', meetingId: old.meetingId, channelBindingFallback: old.channelBindingFallback === true };
  }
  if (old?.state === 'inflight' || old?.state === 'uncertain') return { state: 'uncertain' };
  return undefined;
}

function isOutcomeUnknown(e: unknown): boolean {
  return e instanceof GraphRequestError && (e.code === 'graph_outcome_unknown' || e.code === 'graph_timeout');
}

function createUncertain(cause?: unknown): AppError {
  return appError('create_uncertain', cause === undefined ? {} : { cause });
}
