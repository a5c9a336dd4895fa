import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CreateMeeting } from '../../../src/meetings/create-meeting';
import { CreateTownhall } from '../../../src/meetings/create-townhall';
import { ConsentRequiredError, GraphRequestError } from '../../../src/meetings/errors';
import { MeetingRecords } from '../../../src/meetings/meeting-records';
import type { GraphCaller, MeetingsGateway, TownhallsGateway } from '../../../src/meetings/ports';
import type { MeetingRequest } from '../../../src/meetings/types';
import { Claims } from '../../../src/storage/claims';
import { MemoryStore } from '../../../src/storage/memory-store';

const caller: GraphCaller = { mode: 'delegated', accessToken: 'not-a-real-token' };
const organizer = { tenantId: 't1', aadObjectId: 'o1' };
const request: MeetingRequest = {
  subject: 'All hands',
  startDateTime: '2026-12-01T15:00:00.000Z',
  endDateTime: '2026-12-01T16:00:00.000Z',
  passcode: false,
  live: true,
  attendees: [{ aadObjectId: 'o2', displayName: 'Grace', role: 'attendee' }],
  locale: 'en-US',
  timeZone: 'UTC',
};
const input = (key = 'k1') => ({ request, idempotencyKey: key, caller, organizer, organizerName: 'Ada' });

/** A town hall service in memory: drafts, publish, a session link once published. */
function fakeTownhalls() {
  const published = new Set<string>();
  let n = 0;
  const gateway = {
    createTownhall: sinon.spy(async () => ({ id: `th${++n}` })),
    publishTownhall: sinon.spy(async (_c: GraphCaller, id: string) => {
      published.add(id);
    }),
    getTownhallJoinUrl: sinon.spy(async (_c: GraphCaller, id: string) =>
      published.has(id) ? `https://teams.microsoft.com/l/meetup-join/${id}` : undefined,
    ),
    cancelTownhall: sinon.spy(async () => undefined),
  } satisfies TownhallsGateway;
  return gateway;
}

describe('CreateTownhall (live → town hall)', () => {
  const clock = { now: () => Date.parse('2026-11-28T12:00:00Z') };
  let store: MemoryStore;
  let gateway: ReturnType<typeof fakeTownhalls>;
  let callerFor: sinon.SinonStub;
  let useCase: CreateMeeting;
  const meetings = {
    createMeeting: sinon.stub().rejects(new Error('no onlineMeeting for live')),
    createOrGetMeeting: sinon.stub().rejects(new Error('no onlineMeeting for live')),
  } as unknown as MeetingsGateway;

  beforeEach(() => {
    store = new MemoryStore(clock);
    gateway = fakeTownhalls();
    callerFor = sinon.stub().resolves(caller);
    const claims = new Claims({ store, clock, instanceId: 'test', sleep: async () => undefined });
    const records = new MeetingRecords(store, clock, claims);
    const townhalls = new CreateTownhall({ gateway, callerFor, claims, records, clock });
    useCase = new CreateMeeting({ gateway: meetings, claims, records, clock, townhalls });
  });

  it('creates the draft, publishes it and records a townhall with the session join link; co-organizers from the request', async () => {
    const { record, duplicate } = await useCase.execute(input());
    assert.equal(duplicate, false);
    assert.equal(record.kind, 'townhall');
    assert.equal(record.meeting.joinWebUrl, 'https://teams.microsoft.com/l/meetup-join/th1');
    const [, body] = gateway.createTownhall.firstCall.args as unknown as [
      GraphCaller,
      { audience: string; coOrganizers: unknown[] },
    ];
    assert.equal(body.audience, 'organization');
    assert.equal(body.coOrganizers.length, 1);
    assert.ok(gateway.publishTownhall.calledOnce);
    assert.equal(useCase.accessFor(request), 'townhalls');
    assert.equal(useCase.accessFor({ live: false }), 'meetings');
  });

  it('the same key returns the same town hall (one create)', async () => {
    await useCase.execute(input());
    const again = await useCase.execute(input());
    assert.equal(again.duplicate, true);
    assert.ok(gateway.createTownhall.calledOnce);
  });

  it('a publish that failed resumes with publish on Retry, never a second draft', async () => {
    gateway.publishTownhall = sinon
      .stub()
      .onFirstCall()
      .rejects(new GraphRequestError('graph_unavailable', 503, undefined, 'down'))
      .callsFake(async () => undefined) as never;
    await assert.rejects(
      useCase.execute(input()),
      (e: unknown) => e instanceof GraphRequestError && e.code === 'graph_unavailable',
    );
    gateway.getTownhallJoinUrl = sinon.stub().resolves('https://teams.microsoft.com/l/meetup-join/th1') as never;
    const { record } = await useCase.execute(input());
    assert.equal(record.meeting.id, 'th1');
    assert.ok(gateway.createTownhall.calledOnce);
  });

  it('a create whose outcome is unknown (timeout, lost answer, 502-504) is not sent again; a definite refusal frees the key', async () => {
    gateway.createTownhall = sinon
      .stub()
      .rejects(new GraphRequestError('graph_outcome_unknown', 504, undefined, 'no answer')) as never;
    await assert.rejects(useCase.execute(input('t')), { code: 'create_uncertain' });
    await assert.rejects(useCase.execute(input('t')), { code: 'create_uncertain' });
    assert.equal((gateway.createTownhall as unknown as sinon.SinonStub).callCount, 1);
    // "Create it anyway" is a new key: one new create.
    gateway.createTownhall = sinon.stub().resolves({ id: 'th5' }) as never;
    assert.equal((await useCase.execute(input('t-anyway'))).record.meeting.id, 'th5');

    gateway.createTownhall = sinon
      .stub()
      .onFirstCall()
      .rejects(new GraphRequestError('townhall_refused', 403, undefined, 'no licence'))
      .resolves({ id: 'th9' }) as never;
    await assert.rejects(
      useCase.execute(input('r')),
      (e: unknown) => e instanceof GraphRequestError && e.code === 'townhall_refused',
    );
    const retried = await useCase.execute(input('r'));
    assert.equal(retried.record.meeting.id, 'th9');
  });

  it('asks for the town hall caller before anything: missing consent leaves no claim behind', async () => {
    callerFor.rejects(new ConsentRequiredError());
    await assert.rejects(useCase.execute(input('c')), ConsentRequiredError);
    assert.equal(gateway.createTownhall.callCount, 0);
    callerFor.resolves(caller);
    assert.equal((await useCase.execute(input('c'))).duplicate, false);
  });
});
