import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CreateMeeting } from '../../../src/meetings/create-meeting';
import { GraphRequestError } from '../../../src/meetings/errors';
import { MeetingRecords } from '../../../src/meetings/meeting-records';
import type { CreateMeetingBody, GraphCaller, MeetingsGateway } from '../../../src/meetings/ports';
import type { MeetingRequest, OnlineMeeting } from '../../../src/meetings/types';
import { Claims } from '../../../src/storage/claims';
import { MemoryStore } from '../../../src/storage/memory-store';

const caller: GraphCaller = { mode: 'delegated', accessToken: 'not-a-real-token' };
const organizer = { tenantId: 't1', aadObjectId: 'o1' };
const request = (overrides: Partial<MeetingRequest> = {}): MeetingRequest => ({
  subject: 'Review',
  startDateTime: '2026-12-01T15:00:00.000Z',
  endDateTime: '2026-12-01T15:30:00.000Z',
  passcode: false,
  live: false,
  attendees: [],
  locale: 'en-US',
  timeZone: 'UTC',
  ...overrides,
});

function meeting(id: string, body: CreateMeetingBody): OnlineMeeting {
  return {
    id,
    subject: body.subject,
    startDateTime: body.startDateTime,
    endDateTime: body.endDateTime,
    joinWebUrl: `https://teams.microsoft.com/l/meetup-join/${id}`,
    joinMeetingId: '123456789',
    isPasscodeRequired: body.passcode,
    ...(body.passcode ? { passcode: 'abc123' } : {}),
    organizer: { id: 'o1' },
    attendees: [],
    isBroadcast: body.live,
  };
}

/** An in-memory gateway with Graph's createOrGet semantics; sinon spies count calls. */
function fakeGateway() {
  const byExternal = new Map<string, OnlineMeeting>();
  let n = 0;
  const gateway: MeetingsGateway = {
    createMeeting: sinon.spy(async (_c: GraphCaller, body: CreateMeetingBody) => meeting(`m${++n}`, body)),
    createOrGetMeeting: sinon.spy(async (_c: GraphCaller, body: CreateMeetingBody & { externalId: string }) => {
      const existing = byExternal.get(body.externalId);
      if (existing) return { meeting: existing, created: false };
      const made = meeting(`m${++n}`, body);
      byExternal.set(body.externalId, made);
      return { meeting: made, created: true };
    }),
    getMeeting: sinon.spy(async (_c: GraphCaller, id: string) =>
      meeting(id, { subject: 'x', startDateTime: '', endDateTime: '', passcode: false, live: false, attendees: [] }),
    ),
    updateMeeting: sinon.stub().rejects(new Error('unused')),
    deleteMeeting: sinon.stub().rejects(new Error('unused')),
  };
  return gateway;
}

describe('CreateMeeting.execute()', () => {
  let clockMs: number;
  const clock = { now: () => clockMs };
  let store: MemoryStore;
  let gateway: ReturnType<typeof fakeGateway>;
  let useCase: CreateMeeting;

  beforeEach(() => {
    clockMs = Date.parse('2026-11-28T12:00:00Z');
    store = new MemoryStore(clock);
    gateway = fakeGateway();
    const claims = new Claims({ store, clock, instanceId: 'test', sleep: async () => undefined });
    useCase = new CreateMeeting({ gateway, claims, records: new MeetingRecords(store, clock, claims), clock });
  });

  const input = (key: string, r = request()) => ({
    request: r,
    idempotencyKey: key,
    caller,
    organizer,
    organizerName: 'Ada',
  });

  it('uses createOrGet for a plain meeting; the same key returns the same meeting', async () => {
    const first = await useCase.execute(input('k1'));
    const second = await useCase.execute(input('k1'));
    assert.equal(first.record.meeting.id, second.record.meeting.id);
    assert.equal(second.duplicate, true);
    assert.equal((gateway.createMeeting as sinon.SinonSpy).callCount, 0);
  });

  it('guards a passcode meeting with a claim: concurrent deliveries make one POST', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => useCase.execute(input('k2', request({ passcode: true })))),
    );
    assert.equal((gateway.createMeeting as sinon.SinonSpy).callCount, 1);
    assert.equal(new Set(results.map((r) => r.record.meeting.id)).size, 1);
  });

  it('frees the claim after a definite failure so a retry can create the meeting', async () => {
    (gateway as { createMeeting: unknown }).createMeeting = sinon
      .stub()
      .onFirstCall()
      .rejects(new GraphRequestError('graph_unavailable', 500, 'r1', 'down'))
      .onSecondCall()
      .callsFake(async (_c: GraphCaller, body: CreateMeetingBody) => meeting('m-retry', body));
    await assert.rejects(useCase.execute(input('k3', request({ passcode: true }))), { code: 'graph_unavailable' });
    const retried = await useCase.execute(input('k3', request({ passcode: true })));
    assert.equal(retried.record.meeting.id, 'm-retry');
  });

  for (const code of ['graph_outcome_unknown', 'graph_timeout'] as const) {
    it(`remembers a POST whose outcome is unknown (${code}) and never repeats it under the same key`, async () => {
      (gateway as { createMeeting: unknown }).createMeeting = sinon
        .stub()
        .rejects(new GraphRequestError(code, 504, undefined, 'slow'));
      await assert.rejects(useCase.execute(input('k4', request({ passcode: true }))), { code: 'create_uncertain' });
      await assert.rejects(useCase.execute(input('k4', request({ passcode: true }))), { code: 'create_uncertain' });
      assert.equal((gateway.createMeeting as sinon.SinonStub).callCount, 1, 'one POST in all');
    });
  }

  it('a claim whose holder died (lease lapsed) is uncertain, not taken over: its POST may have happened', async () => {
    const claims = new Claims({ store, clock, instanceId: 'dead', sleep: async () => undefined });
    const held = await claims.claim('dedup:k6', { ttlInMs: 60_000 });
    assert.equal(held.kind, 'claimed');
    clockMs += 31_000;
    await assert.rejects(useCase.execute(input('k6', request({ passcode: true }))), { code: 'create_uncertain' });
    assert.equal((gateway.createMeeting as sinon.SinonSpy).callCount, 0);
    // A new key (the requester's "Create it anyway") does create.
    const anyway = await useCase.execute(input('k6:anyway', request({ passcode: true })));
    assert.equal(anyway.duplicate, false);
  });

  it("reads the previous version's de-duplication records (instances of both versions on one Redis)", async () => {
    await store.set('dedup:old-done', { state: 'done', meetingId: 'm-old', channelBindingFallback: false }, 60_000);
    await store.set('dedup:old-uncertain', { state: 'uncertain', since: clockMs }, 60_000);
    const found = await useCase.execute(input('old-done', request({ passcode: true })));
    assert.deepEqual([found.record.meeting.id, found.duplicate], ['m-old', true]);
    await assert.rejects(useCase.execute(input('old-uncertain', request({ passcode: true }))), {
      code: 'create_uncertain',
    });
    assert.equal((gateway.createMeeting as sinon.SinonSpy).callCount, 0, 'neither made a second meeting');
  });

  it('falls back to an unbound meeting when Graph refuses the channel binding', async () => {
    (gateway as { createOrGetMeeting: unknown }).createOrGetMeeting = sinon
      .stub()
      .onFirstCall()
      .rejects(new GraphRequestError('channel_binding_refused', 400, 'r2', 'no'))
      .onSecondCall()
      .callsFake(async (_c: GraphCaller, body: CreateMeetingBody) => ({
        meeting: meeting('m-unbound', body),
        created: true,
      }));
    const result = await useCase.execute(input('k5', request({ channelThreadId: '19:c@thread.tacv2' })));
    assert.equal(result.record.channelBindingFallback, true);
    const secondBody = (gateway.createOrGetMeeting as sinon.SinonStub).secondCall.args[1] as CreateMeetingBody;
    assert.equal(secondBody.chatThreadId, undefined);
  });

  it('records the meeting for its organizer (recent list, newest first)', async () => {
    const records = new MeetingRecords(store, clock, new Claims({ store, clock, instanceId: 'test' }));
    await useCase.execute(input('a'));
    await useCase.execute(input('b', request({ subject: 'Second' })));
    const recent = await records.listRecent(organizer);
    assert.deepEqual(
      recent.map((r) => r.meeting.subject),
      ['Second', 'Review'],
    );
  });
});
