import assert from 'node:assert/strict';
import ical from 'node-ical';
import sinon from 'sinon';
import { calendarFileFor } from '../../../src/meetings/calendar-file';
import { CreateMeeting } from '../../../src/meetings/create-meeting';
import { AppError, GraphRequestError, ValidationError } from '../../../src/meetings/errors';
import { meetingKeyFor } from '../../../src/meetings/idempotency';
import { KeptRequests } from '../../../src/meetings/kept-requests';
import { ManageMeeting, type CardActionInput } from '../../../src/meetings/manage-meeting';
import { MeetingRecords } from '../../../src/meetings/meeting-records';
import type { GraphCaller, MeetingPatch, MeetingsGateway } from '../../../src/meetings/ports';
import type { MeetingRecord, OnlineMeeting } from '../../../src/meetings/types';
import { Claims } from '../../../src/storage/claims';
import { MemoryStore } from '../../../src/storage/memory-store';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const clock = { now: () => NOW };
const caller: GraphCaller = { mode: 'delegated', accessToken: 'not-a-real-token' };
const ada = { tenantId: 't1', aadObjectId: 'ada' };
const grace = { tenantId: 't1', aadObjectId: 'grace' };

const meeting: OnlineMeeting = {
  id: 'MSpAbc+/=',
  subject: 'Review, part 1; "final"',
  startDateTime: '2026-12-01T15:00:00.000Z',
  endDateTime: '2026-12-01T15:30:00.000Z',
  joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
  joinMeetingId: '123456789',
  passcode: 'abc123',
  isPasscodeRequired: true,
  dialIn: { tollNumber: '+14255550100', conferenceId: '24999' },
  organizer: { id: 'ada', upn: 'ada@convene.local' },
  attendees: [],
  isBroadcast: false,
};

function record(overrides: Partial<MeetingRecord> = {}): MeetingRecord {
  return {
    meeting,
    organizer: ada,
    organizerName: 'Ada Lovelace',
    request: {
      subject: meeting.subject,
      startDateTime: meeting.startDateTime,
      endDateTime: meeting.endDateTime,
      passcode: false,
      live: false,
      attendees: [],
      locale: 'en-US',
      timeZone: 'UTC',
    },
    state: 'active',
    version: 1,
    channelBindingFallback: false,
    cardActivityId: 'card-1',
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    ...overrides,
  };
}

describe('ManageMeeting', () => {
  let sandbox: sinon.SinonSandbox;
  let gateway: { [K in keyof MeetingsGateway]: sinon.SinonStub };
  let records: MeetingRecords;
  let manage: ManageMeeting;
  const key = meetingKeyFor(meeting.id);
  const input = (overrides: Partial<CardActionInput> = {}): CardActionInput => ({
    meetingKey: key,
    version: 1,
    actor: ada,
    cardActivityId: 'card-1',
    caller: async () => caller,
    locale: 'en-US',
    ...overrides,
  });

  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    const seen = new Set<string>();
    gateway = {
      createMeeting: sandbox.stub(),
      createOrGetMeeting: sandbox.stub().callsFake(async (_c, body) => {
        const created = !seen.has(body.externalId);
        seen.add(body.externalId);
        return {
          meeting: {
            ...meeting,
            id: `new-${body.externalId}`,
            startDateTime: body.startDateTime,
            endDateTime: body.endDateTime,
          },
          created,
        };
      }),
      getMeeting: sandbox.stub().resolves({ ...meeting, subject: 'Changed in Outlook' }),
      updateMeeting: sandbox.stub().callsFake(async (_c, _id, patch: MeetingPatch) => ({ ...meeting, ...patch })),
      deleteMeeting: sandbox.stub().resolves(),
    };
    const store = new MemoryStore(clock);
    const claims = new Claims({ store, clock, instanceId: 'test', sleep: async () => undefined });
    records = new MeetingRecords(store, clock, claims);
    await records.add(record());
    const createMeeting = new CreateMeeting({ gateway, claims, records, clock });
    manage = new ManageMeeting({ gateway, records, createMeeting, kept: new KeptRequests(store), clock });
  });
  afterEach(() => sandbox.restore());

  describe('reschedule()', () => {
    it('patches start and end together and bumps the version', async () => {
      const interval = { startDateTime: '2026-12-02T10:00:00.000Z', endDateTime: '2026-12-02T11:00:00.000Z' };
      const outcome = await manage.reschedule(input(), interval);
      assert.equal(outcome.kind, 'changed');
      sinon.assert.calledOnceWithExactly(gateway.updateMeeting, caller, meeting.id, interval, { locale: 'en-US' });
      assert.equal(outcome.record.version, 2);
      assert.equal(outcome.record.meeting.startDateTime, interval.startDateTime);
    });

    it('refuses someone other than the organizer without asking for a caller', async () => {
      const callerSpy = sandbox.spy(async () => caller);
      const outcome = await manage.reschedule(input({ actor: grace, caller: callerSpy }), {
        startDateTime: 'a',
        endDateTime: 'b',
      });
      assert.deepEqual([outcome.kind, outcome.kind === 'refused' && outcome.reason], ['refused', 'not_organizer']);
      sinon.assert.notCalled(callerSpy);
      sinon.assert.notCalled(gateway.updateMeeting);
    });

    it('answers a stale version with the current record and no Graph call', async () => {
      await manage.rename(input(), 'First');
      const outcome = await manage.rename(input(), 'First');
      assert.equal(outcome.kind, 'current');
      sinon.assert.calledOnce(gateway.updateMeeting);
    });

    it('applies two concurrent identical clicks once', async () => {
      const [a, b] = await Promise.all([manage.rename(input(), 'Once'), manage.rename(input(), 'Once')]);
      assert.deepEqual([a.kind, b.kind].sort(), ['changed', 'current']);
      sinon.assert.calledOnce(gateway.updateMeeting);
    });

    it('frees the version again when Graph fails, so the user can retry', async () => {
      gateway.updateMeeting.onFirstCall().rejects(new GraphRequestError('graph_unavailable', 503, 'r1', 'down'));
      await assert.rejects(
        manage.rename(input(), 'X'),
        (e: unknown) => e instanceof AppError && e.code === 'graph_unavailable',
      );
      const outcome = await manage.rename(input(), 'X');
      assert.equal(outcome.kind, 'changed');
    });
  });

  describe('cancel()', () => {
    it('deletes once and then refuses further changes', async () => {
      const outcome = await manage.cancel(input());
      assert.equal(outcome.record.state, 'cancelled');
      const again = await manage.reschedule(input({ version: 2 }), { startDateTime: 'a', endDateTime: 'b' });
      assert.deepEqual([again.kind, again.kind === 'refused' && again.reason], ['refused', 'meeting_cancelled']);
      sinon.assert.calledOnce(gateway.deleteMeeting);
      sinon.assert.notCalled(gateway.updateMeeting);
    });

    it('treats a meeting already deleted in Graph as cancelled', async () => {
      gateway.deleteMeeting.rejects(new GraphRequestError('graph_not_found', 404, 'r', 'gone'));
      assert.equal((await manage.cancel(input())).record.state, 'cancelled');
    });
  });

  describe('binding', () => {
    it('refuses a card whose message is not the meeting card', async () => {
      await assert.rejects(manage.cancel(input({ cardActivityId: 'another-card' })), ValidationError);
      await assert.rejects(manage.cancel(input({ meetingKey: 'unknown' })), ValidationError);
      sinon.assert.notCalled(gateway.deleteMeeting);
    });
  });

  describe('refresh()', () => {
    it('automatic: from the record, no caller, no Graph', async () => {
      const outcome = await manage.refresh(
        input({ actor: grace, caller: () => Promise.reject(new Error('no')) }),
        true,
      );
      assert.equal(outcome.kind, 'current');
      sinon.assert.notCalled(gateway.getMeeting);
    });

    it('manual by the organizer reads Graph and keeps the snapshot; by others refused', async () => {
      assert.equal((await manage.refresh(input({ actor: grace }), false)).kind, 'refused');
      const outcome = await manage.refresh(input(), false);
      assert.equal(outcome.record.meeting.subject, 'Changed in Outlook');
      sinon.assert.calledOnce(gateway.getMeeting);
    });
  });

  describe('newLike()', () => {
    it('creates the same meeting at a new time, idempotently per values', async () => {
      const interval = { startDateTime: '2026-12-03T10:00:00.000Z', endDateTime: '2026-12-03T10:30:00.000Z' };
      const a = await manage.newLike(input(), interval, { date: '2026-12-03' });
      const b = await manage.newLike(input(), interval, { date: '2026-12-03' });
      assert.equal(a.kind, 'created');
      assert.equal(b.kind === 'created' && b.duplicate, true);
      assert.equal(a.record.meeting.id, b.record.meeting.id);
    });
  });

  describe('completeKept()', () => {
    it('retries with the original key, only for the person who asked', async () => {
      const store = new MemoryStore(clock);
      const kept = new KeptRequests(store);
      const createMeeting = new CreateMeeting({
        gateway,
        claims: new Claims({ store, clock, instanceId: 'test' }),
        records,
        clock,
      });
      const m = new ManageMeeting({ gateway, records, createMeeting, kept, clock });
      await kept.keep('t1:ada:msg:1', {
        kind: 'failed',
        user: ada,
        userName: 'Ada',
        request: record().request,
        commandText: 'meet',
      });
      await assert.rejects(
        m.completeKept('t1:ada:msg:1', grace, async () => caller),
        (e: unknown) => e instanceof AppError && e.code === 'not_your_request',
      );
      const done = await m.completeKept('t1:ada:msg:1', ada, async () => caller);
      assert.ok(done);
      assert.equal(await m.completeKept('nothing', ada, async () => caller), undefined);
    });
  });
});

describe('calendarFileFor()', () => {
  it('publishes one event with a stable UID, escaped text and the join details', () => {
    const text = calendarFileFor(record({ version: 3 }), { uidDomain: 'convene.example' });
    assert.match(text, /METHOD:PUBLISH/);
    assert.match(text, /DTSTAMP:\d{8}T\d{6}Z/);
    assert.match(text, /SUMMARY:Review\\, part 1\\; "final"/);
    assert.match(text, /SEQUENCE:3/);
    const again = calendarFileFor(record(), { uidDomain: 'convene.example' });
    assert.equal(/UID:(.*)/.exec(text)![1], /UID:(.*)/.exec(again)![1]);
    const event = Object.values(ical.sync.parseICS(text)).find((e) => e?.type === 'VEVENT') as ical.VEvent;
    assert.equal(String(event.summary), meeting.subject);
    assert.equal((event.start as Date).toISOString(), meeting.startDateTime);
    assert.equal((event.end as Date).toISOString(), meeting.endDateTime);
    const description = String(event.description);
    for (const part of [meeting.joinWebUrl, '123456789', 'abc123', '+14255550100', 'Ada Lovelace'])
      assert.ok(description.includes(part), part);
  });

  it('marks a cancelled meeting CANCELLED', () => {
    assert.match(calendarFileFor(record({ state: 'cancelled' }), { uidDomain: 'x' }), /STATUS:CANCELLED/);
  });
});

describe('ManageMeeting after a crash in the middle of a card change (issue #14 finding 3)', () => {
  it('a change claim whose holder died is free one lease later: the Rename applies instead of silently doing nothing', async () => {
    let now = NOW;
    const movingClock = { now: () => now };
    const store = new MemoryStore(movingClock);
    const records = new MeetingRecords(
      store,
      movingClock,
      new Claims({ store, clock: movingClock, instanceId: 'alive', sleep: async () => undefined }),
    );
    await records.add(record());
    const updateMeeting = sinon.stub().callsFake(async (_c, _id, patch: MeetingPatch) => ({ ...meeting, ...patch }));
    const gateway = {
      createMeeting: sinon.stub(),
      createOrGetMeeting: sinon.stub(),
      getMeeting: sinon.stub(),
      updateMeeting,
      deleteMeeting: sinon.stub(),
    };
    const claims = new Claims({ store, clock: movingClock, instanceId: 'alive', sleep: async () => undefined });
    const manage = new ManageMeeting({
      gateway,
      records,
      createMeeting: new CreateMeeting({ gateway, claims, records, clock: movingClock }),
      kept: new KeptRequests(store),
      clock: movingClock,
    });
    const key = meetingKeyFor(meeting.id);
    // Another instance claimed version 1's change and was killed before it finished (it never renews again).
    const deadInstance = new MeetingRecords(
      store,
      movingClock,
      new Claims({ store, clock: movingClock, instanceId: 'dead' }),
    );
    assert.ok(await deadInstance.claimChange(key, 1));
    now += 31_000;
    const input: CardActionInput = {
      meetingKey: key,
      version: 1,
      actor: ada,
      cardActivityId: 'card-1',
      caller: async () => caller,
      locale: 'en-US',
    };
    const outcome = await manage.rename(input, 'After the crash');
    assert.equal(outcome.kind, 'changed');
    sinon.assert.calledOnce(updateMeeting);
    assert.equal((await records.get(key))?.record.meeting.subject, 'After the crash');
  });
});
