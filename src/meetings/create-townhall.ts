import type { CreateMeetingInput, CreateMeetingResult } from './create-meeting';
import { AppError, appError, GraphRequestError } from './errors';
import { meetingKeyFor } from './idempotency';
import type { MeetingRecords } from './meeting-records';
import type { Clock, GatewayCallOptions, GraphCaller, KeyValueStore, TownhallCallerFor, TownhallsGateway } from './ports';
import type { MeetingRecord, OnlineMeeting } from './types';

/**
 * Progress of one town hall request, so a redelivery or Retry resumes instead of making a second town hall:
 * `created` (the draft exists; publish next), `done`, or `inflight`/`uncertain` (a create whose outcome is unknown
 * is never sent again; the user is told to check Teams).
 */
type Claim =
  | { readonly state: 'inflight'; readonly since: number }
  | { readonly state: 'uncertain'; readonly since: number }
  | { readonly state: 'created'; readonly id: string }
  | { readonly state: 'done'; readonly id: string };

const CLAIM_TTL_IN_MS = 24 * 60 * 60 * 1000;
const INFLIGHT_STALE_IN_MS = 30_000;
const WAIT_FOR_OTHER_IN_MS = 4_000;
const POLL_IN_MS = 100;

export interface CreateTownhallDeps {
  readonly gateway: TownhallsGateway;
  /** The organizer's town hall caller (VirtualEvent.ReadWrite); throws ConsentRequiredError or TownhallApplicationModeError. */
  readonly callerFor: TownhallCallerFor;
  readonly store: KeyValueStore;
  readonly records: MeetingRecords;
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * `live` → a Teams town hall (design.md §3): create the draft (subject, times, audience organization, mentioned
 * people as co-organizers), publish it, read the published session's join link, remember it as a `townhall`
 * record. Once per idempotency key: a redelivery finds the same town hall, and a create whose outcome is unknown is
 * not repeated.
 */
export class CreateTownhall {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: CreateTownhallDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async execute(input: CreateMeetingInput): Promise<CreateMeetingResult> {
    // Before any claim: no consent or application mode asks the user something and leaves nothing behind.
    const caller = await this.deps.callerFor(input.organizer);
    const options: GatewayCallOptions = { locale: input.request.locale, ...(input.deadline !== undefined ? { deadline: input.deadline } : {}) };
    const claimKey = `townhall-claim:${input.idempotencyKey}`;
    const claim = await this.claim(claimKey, input.acceptUncertain === true);
    if (claim.state === 'done') {
      const existing = await this.deps.records.get(meetingKeyFor(claim.id));
      if (existing) return { record: existing.record, duplicate: true };
    }
    let id: string;
    if (claim.state === 'fresh') {
      id = await this.createDraft(claimKey, caller, input, options);
    } else {
      id = claim.id;
    }
    await this.publish(caller, id, options);
    const joinWebUrl = await this.deps.gateway.getTownhallJoinUrl(caller, id, options);
    if (!joinWebUrl) {
      throw new GraphRequestError('graph_unavailable', 502, undefined, 'Microsoft Teams published the town hall but gave no join link yet. Press Retry in a moment.');
    }
    const record = await this.remember(input, id, joinWebUrl);
    await this.deps.store.set(claimKey, { state: 'done', id } satisfies Claim, CLAIM_TTL_IN_MS);
    // Resumed after a failed publish: nobody has seen this town hall's card yet.
    return { record, duplicate: false };
  }

  private async createDraft(claimKey: string, caller: GraphCaller, input: CreateMeetingInput, options: GatewayCallOptions): Promise<string> {
    const { request } = input;
    try {
      const { id } = await this.deps.gateway.createTownhall(
        caller,
        {
          subject: request.subject,
          startDateTime: request.startDateTime,
          endDateTime: request.endDateTime,
          audience: 'organization',
          coOrganizers: request.attendees,
        },
        options,
      );
      await this.deps.store.set(claimKey, { state: 'created', id } satisfies Claim, CLAIM_TTL_IN_MS);
      return id;
    } catch (e) {
      if (outcomeUnknown(e)) {
        await this.deps.store.set(claimKey, { state: 'uncertain', since: this.deps.clock.now() } satisfies Claim, CLAIM_TTL_IN_MS);
      } else {
        await this.deps.store.delete(claimKey);
      }
      throw e;
    }
  }

  /** A publish that already happened (an earlier attempt's answer was lost) is the outcome we wanted. */
  private async publish(caller: GraphCaller, id: string, options: GatewayCallOptions): Promise<void> {
    try {
      await this.deps.gateway.publishTownhall(caller, id, options);
    } catch (e) {
      if (e instanceof GraphRequestError && e.httpStatus === 400 && (await this.deps.gateway.getTownhallJoinUrl(caller, id, options))) return;
      throw e;
    }
  }

  private async claim(claimKey: string, acceptUncertain: boolean): Promise<{ readonly state: 'fresh' } | Extract<Claim, { state: 'created' | 'done' }>> {
    const waitUntil = this.deps.clock.now() + WAIT_FOR_OTHER_IN_MS;
    for (;;) {
      const inflight: Claim = { state: 'inflight', since: this.deps.clock.now() };
      if (await this.deps.store.compareAndSet(claimKey, inflight, null, CLAIM_TTL_IN_MS)) return { state: 'fresh' };
      const current = await this.deps.store.get<Claim>(claimKey);
      if (!current) continue;
      const claim = current.value;
      if (claim.state === 'done' || claim.state === 'created') return claim;
      const stale = claim.state === 'uncertain' || this.deps.clock.now() - claim.since > INFLIGHT_STALE_IN_MS;
      if (stale) {
        // Nobody knows whether that create made a town hall: never send it again on our own.
        if (!acceptUncertain) throw uncertainOutcome();
        if (await this.deps.store.compareAndSet(claimKey, inflight, current.etag, CLAIM_TTL_IN_MS)) return { state: 'fresh' };
        continue;
      }
      if (this.deps.clock.now() >= waitUntil) {
        throw appError('create_in_progress', { userMessage: 'This town hall is still being created. Give it a moment; it will not be created twice.' });
      }
      await this.sleep(POLL_IN_MS);
    }
  }

  private async remember(input: CreateMeetingInput, id: string, joinWebUrl: string): Promise<MeetingRecord> {
    const now = new Date(this.deps.clock.now()).toISOString();
    const { request } = input;
    const meeting: OnlineMeeting = {
      id,
      subject: request.subject,
      startDateTime: request.startDateTime,
      endDateTime: request.endDateTime,
      joinWebUrl,
      isPasscodeRequired: false,
      organizer: { id: input.organizer.aadObjectId, displayName: input.organizerName, tenantId: input.organizer.tenantId },
      attendees: request.attendees.map((a) => ({ id: a.aadObjectId, displayName: a.displayName, role: 'coorganizer' })),
      isBroadcast: false,
    };
    return this.deps.records.add({
      kind: 'townhall',
      meeting,
      organizer: input.organizer,
      organizerName: input.organizerName,
      request,
      state: 'active',
      version: 1,
      channelBindingFallback: false,
      createdAt: now,
      updatedAt: now,
    });
  }
}

/** A timeout, or a 5xx other than 503 (which says the service did nothing): the draft may exist. */
function outcomeUnknown(e: unknown): boolean {
  return e instanceof GraphRequestError && (e.code === 'graph_timeout' || (e.httpStatus >= 500 && e.httpStatus !== 503));
}

function uncertainOutcome(): AppError {
  return new AppError(
    'graph_timeout',
    504,
    'An earlier attempt timed out and may have created this town hall. Check Teams before creating it again.',
  );
}
