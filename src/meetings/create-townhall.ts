import type { CreateMeetingInput, CreateMeetingResult } from './create-meeting';
import { appError, GraphRequestError } from './errors';
import { meetingKeyFor } from './idempotency';
import type { MeetingRecords } from './meeting-records';
import type {
  ClaimsPort,
  Clock,
  GatewayCallOptions,
  GraphCaller,
  HeldClaim,
  TownhallCallerFor,
  TownhallsGateway,
} from './ports';
import type { MeetingRecord, OnlineMeeting } from './types';

/**
 * The settled outcome of one town hall request's draft create (a claim, storage/claims.ts): `created` (the draft
 * exists; a redelivery or Retry publishes it if it has no record yet) or `uncertain` (a create whose outcome is
 * unknown, or whose holder died, is never sent again under this key; the user is told it may exist).
 */
type DraftOutcome = { readonly state: 'created'; readonly id: string } | { readonly state: 'uncertain' };

const CLAIM_TTL_IN_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_OTHER_IN_MS = 4_000;

export interface CreateTownhallDeps {
  readonly gateway: TownhallsGateway;
  /** The organizer's town hall caller (VirtualEvent.ReadWrite); throws ConsentRequiredError or TownhallApplicationModeError. */
  readonly callerFor: TownhallCallerFor;
  readonly claims: Pick<ClaimsPort, 'claimOrAwait'>;
  readonly records: MeetingRecords;
  readonly clock: Clock;
}

/**
 * `live` → a Teams town hall (design.md §3): create the draft (subject, times, audience organization, mentioned
 * people as co-organizers), publish it, read the published session's join link, remember it as a `townhall`
 * record. Once per idempotency key: a redelivery finds the same town hall, and a create whose outcome is unknown is
 * not repeated (the key answers `create_uncertain`; only the requester's "Create it anyway", a new key, makes another).
 */
export class CreateTownhall {
  constructor(private readonly deps: CreateTownhallDeps) {}

  async execute(input: CreateMeetingInput): Promise<CreateMeetingResult> {
    // Before any claim: no consent or application mode asks the user something and leaves nothing behind.
    const caller = await this.deps.callerFor(input.organizer);
    const options: GatewayCallOptions = {
      locale: input.request.locale,
      ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
    };
    const attempt = await this.deps.claims.claimOrAwait<DraftOutcome>(`townhall-claim:${input.idempotencyKey}`, {
      ttlInMs: CLAIM_TTL_IN_MS,
      waitInMs: WAIT_FOR_OTHER_IN_MS,
      // A holder that died may have sent its POST: taking its claim over could make a second town hall.
      abandoned: 'report',
    });
    let id: string;
    switch (attempt.kind) {
      case 'settled': {
        if (attempt.outcome.state === 'uncertain') throw appError('create_uncertain');
        const existing = await this.deps.records.get(meetingKeyFor(attempt.outcome.id));
        if (existing) return { record: existing.record, duplicate: true };
        // The draft exists but was never published or recorded: resume with publish.
        id = attempt.outcome.id;
        break;
      }
      case 'held':
        throw appError('create_in_progress', {
          userMessage: 'This town hall is still being created. Give it a moment; it will not be created twice.',
        });
      case 'abandoned':
        await attempt.settle({ state: 'uncertain' });
        throw appError('create_uncertain');
      case 'claimed':
        id = await this.createDraft(attempt.claim, caller, input, options);
        break;
    }
    await this.publish(caller, id, options);
    const joinWebUrl = await this.deps.gateway.getTownhallJoinUrl(caller, id, options);
    if (!joinWebUrl) {
      throw new GraphRequestError(
        'graph_unavailable',
        502,
        undefined,
        'Microsoft Teams published the town hall but gave no join link yet. Press Retry in a moment.',
      );
    }
    const record = await this.remember(input, id, joinWebUrl);
    // Resumed after a failed publish: nobody has seen this town hall's card yet.
    return { record, duplicate: false };
  }

  private async createDraft(
    claim: HeldClaim<DraftOutcome>,
    caller: GraphCaller,
    input: CreateMeetingInput,
    options: GatewayCallOptions,
  ): Promise<string> {
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
      await claim.settle({ state: 'created', id });
      return id;
    } catch (e) {
      if (!outcomeUnknown(e)) {
        // A definite failure: nothing was made, the key is free for Retry.
        await claim.release();
        throw e;
      }
      await claim.settle({ state: 'uncertain' });
      throw appError('create_uncertain', { cause: e });
    }
  }

  /** A publish that already happened (an earlier attempt's answer was lost) is the outcome we wanted. */
  private async publish(caller: GraphCaller, id: string, options: GatewayCallOptions): Promise<void> {
    try {
      await this.deps.gateway.publishTownhall(caller, id, options);
    } catch (e) {
      if (
        e instanceof GraphRequestError &&
        e.httpStatus === 400 &&
        (await this.deps.gateway.getTownhallJoinUrl(caller, id, options))
      )
        return;
      throw e;
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
      organizer: {
        id: input.organizer.aadObjectId,
        displayName: input.organizerName,
        tenantId: input.organizer.tenantId,
      },
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

/** The gateway's unknown outcome (a timeout, a lost answer, 502-504 to the POST): the draft may exist. */
function outcomeUnknown(e: unknown): boolean {
  return e instanceof GraphRequestError && (e.code === 'graph_outcome_unknown' || e.code === 'graph_timeout');
}
