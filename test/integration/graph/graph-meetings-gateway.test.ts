import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import sinon from 'sinon';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import { LOCAL_CLIENT_ID } from '../../../emulators/fixtures';
import { GraphMeetingsGateway, type GraphMeetingsGatewayOptions } from '../../../src/graph';
import { createLogger } from '../../../src/logging/logger';
import { GraphRequestError } from '../../../src/meetings/errors';
import type { CreateMeetingBody, GraphCaller } from '../../../src/meetings/ports';
import { ADA, createTestTokenIssuer, GRACE, type TestTokenIssuer } from './test-tokens';

const BODY: CreateMeetingBody = {
  subject: 'Sprint review',
  startDateTime: '2030-05-06T15:00:00Z',
  endDateTime: '2030-05-06T15:45:00Z',
  passcode: false,
  live: false,
  attendees: [],
};

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<GraphRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphRequestError, `expected GraphRequestError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('GraphMeetingsGateway against the Graph stand-in', () => {
  let issuer: TestTokenIssuer;
  let emulator: GraphEmulator;
  let caller: GraphCaller;
  let token: string;
  let logLines: string[];
  const sandbox = sinon.createSandbox();

  function gateway(overrides: Partial<GraphMeetingsGatewayOptions> = {}): GraphMeetingsGateway {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    return new GraphMeetingsGateway({
      baseUrl: emulator.baseUrl,
      clock: { now: () => Date.now() },
      logger: createLogger({ level: 'debug', pretty: false, destination }),
      baseRetryDelayInMs: 50,
      ...overrides,
    });
  }

  before(async () => {
    issuer = await createTestTokenIssuer();
    emulator = await startGraphEmulator({ jwks: issuer.jwks });
    token = await issuer.delegated();
    caller = { mode: 'delegated', accessToken: token };
  });
  beforeEach(() => {
    logLines = [];
  });
  afterEach(() => {
    sandbox.restore();
    emulator.reset();
    assert.ok(!logLines.join('').includes(token), 'the token never reaches the log');
  });
  after(() => emulator.close());

  describe('createMeeting()', () => {
    it('POSTs to /me/onlineMeetings with the bearer over plain http, Accept-Language and the mapped body', async () => {
      const meeting = await gateway().createMeeting(caller, BODY, { locale: 'ja-JP' });
      assert.equal(emulator.requests.length, 1);
      const request = emulator.requests[0]!;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1.0/me/onlineMeetings', 'v1.0 by default');
      assert.equal(request.headers['authorization'], true);
      assert.equal(request.headers['accept-language'], 'ja-JP');
      assert.match(String(request.headers['content-type']), /^application\/json/);
      assert.deepEqual(request.body, {
        subject: 'Sprint review',
        startDateTime: '2030-05-06T15:00:00Z',
        endDateTime: '2030-05-06T15:45:00Z',
      });
      assert.equal(meeting.subject, 'Sprint review');
      assert.equal(meeting.startDateTime, '2030-05-06T15:00:00.0000000Z');
      assert.equal(meeting.organizer.id, ADA.aadObjectId);
      assert.equal(meeting.isPasscodeRequired, false);
      assert.equal(meeting.passcode, undefined);
      assert.match(meeting.joinMeetingId ?? '', /^\d+$/);
      assert.match(meeting.dialIn?.conferenceId ?? '', /^\d+$/, 'ConferenceId (capital C) is read');
      assert.ok(meeting.joinWebUrl.startsWith('https://teams.microsoft.com/l/meetup-join/'));
    });

    it('maps passcode, live (the seed broadcast body, beta only), attendees and the raw channel id', async () => {
      const body: CreateMeetingBody = {
        ...BODY,
        passcode: true,
        live: true,
        attendees: [{ aadObjectId: GRACE.aadObjectId, displayName: GRACE.name, upn: GRACE.upn, role: 'presenter' }],
        chatThreadId: '19:convene-team-general@thread.tacv2',
      };
      const meeting = await gateway().createMeeting(caller, body);
      assert.deepEqual(emulator.requests[0]!.body, {
        subject: 'Sprint review',
        startDateTime: '2030-05-06T15:00:00Z',
        endDateTime: '2030-05-06T15:45:00Z',
        participants: {
          attendees: [
            {
              identity: { user: { id: GRACE.aadObjectId, displayName: GRACE.name } },
              upn: GRACE.upn,
              role: 'presenter',
            },
          ],
        },
        chatInfo: { threadId: '19:convene-team-general@thread.tacv2' },
        joinMeetingIdSettings: { isPasscodeRequired: true },
        isBroadcast: true,
        broadcastSettings: { allowedAudience: 'organization', isRecordingEnabled: true, isAttendeeReportEnabled: true },
      });
      assert.equal(emulator.requests[0]!.headers['accept-language'], 'en-US', 'never `*`');
      assert.equal(
        emulator.requests[0]!.path,
        '/beta/me/onlineMeetings',
        'isBroadcast exists only in beta: that call alone swaps',
      );
      assert.equal(meeting.isPasscodeRequired, true);
      assert.match(meeting.passcode ?? '', /^[A-Za-z0-9]{6}$/);
      assert.equal(meeting.isBroadcast, false, 'Graph makes a regular meeting of it since 2024-09-30');
      assert.equal(meeting.chatThreadId, '19:convene-team-general@thread.tacv2');
      assert.deepEqual(
        meeting.attendees.map((a) => [a.id, a.role]),
        [[GRACE.aadObjectId, 'presenter']],
      );
    });

    it('uses /users/{userId}/onlineMeetings in application mode', async () => {
      emulator.grantAccessPolicy(LOCAL_CLIENT_ID, [GRACE.aadObjectId]);
      const appCaller: GraphCaller = {
        mode: 'application',
        accessToken: await issuer.application(),
        userId: GRACE.aadObjectId,
      };
      const meeting = await gateway().createMeeting(appCaller, BODY);
      assert.equal(emulator.requests[0]!.path, `/v1.0/users/${GRACE.aadObjectId}/onlineMeetings`);
      assert.equal(meeting.organizer.id, GRACE.aadObjectId);
    });

    it('maps a refused channel binding to channel_binding_refused and a refused live event to live_events_unsupported', async () => {
      emulator.setSwitches({ refuseChannelBinding: true, refuseLiveEvents: true });
      const channel = await rejectsWith(
        gateway().createMeeting(caller, { ...BODY, chatThreadId: '19:convene-team-general@thread.tacv2' }),
        'channel_binding_refused',
      );
      assert.equal(channel.httpStatus, 400);
      assert.equal(channel.graphCode, 'BadRequest');
      assert.equal(channel.requestId, emulator.requests[0]!.requestId);
      await rejectsWith(gateway().createMeeting(caller, { ...BODY, live: true }), 'live_events_unsupported');
      await rejectsWith(
        gateway().createMeeting(caller, { ...BODY, endDateTime: '2030-05-06T14:00:00Z' }),
        'graph_bad_request',
      );
    });

    it('maps an expired token to graph_forbidden', async () => {
      const expired: GraphCaller = {
        mode: 'delegated',
        accessToken: await issuer.delegated({ expiresInSeconds: -60 }),
      };
      const error = await rejectsWith(gateway().createMeeting(expired, BODY), 'graph_forbidden');
      assert.equal(error.httpStatus, 401);
    });
  });

  describe('createOrGetMeeting()', () => {
    it('answers created on 201 and the same meeting on 200', async () => {
      const gw = gateway();
      const body = {
        ...BODY,
        externalId: 'tenant|ada|activity-1',
        chatThreadId: '19:convene-team-planning@thread.tacv2',
      };
      const first = await gw.createOrGetMeeting(caller, body);
      const second = await gw.createOrGetMeeting(caller, body);
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.meeting.id, first.meeting.id);
      assert.equal(first.meeting.externalId, 'tenant|ada|activity-1');
      assert.equal(emulator.meetings.length, 1);
      assert.equal(
        emulator.requests[0]!.path,
        '/beta/me/onlineMeetings/createOrGet',
        'chatInfo on createOrGet is beta only',
      );
      assert.deepEqual(emulator.requests[0]!.body, {
        externalId: 'tenant|ada|activity-1',
        subject: 'Sprint review',
        startDateTime: '2030-05-06T15:00:00Z',
        endDateTime: '2030-05-06T15:45:00Z',
        chatInfo: { threadId: '19:convene-team-planning@thread.tacv2' },
      });
    });

    it('goes to v1.0 without chatInfo, and to beta when GRAPH_BASE_URL says beta', async () => {
      const body = { ...BODY, externalId: 'tenant|ada|activity-2' };
      await gateway().createOrGetMeeting(caller, body);
      assert.equal(emulator.requests[0]!.path, '/v1.0/me/onlineMeetings/createOrGet');
      await gateway({ baseUrl: emulator.betaBaseUrl }).getMeeting(caller, emulator.meetings[0]!.id);
      assert.equal(emulator.requests[1]!.path, `/beta/me/onlineMeetings/${emulator.meetings[0]!.id}`);
    });

    it('refuses a passcode or live body without calling Graph', async () => {
      await rejectsWith(
        gateway().createOrGetMeeting(caller, { ...BODY, passcode: true, externalId: 'x' }),
        'graph_bad_request',
      );
      await rejectsWith(
        gateway().createOrGetMeeting(caller, { ...BODY, live: true, externalId: 'x' }),
        'graph_bad_request',
      );
      assert.equal(emulator.requests.length, 0);
    });
  });

  describe('getMeeting() / updateMeeting() / deleteMeeting()', () => {
    it('reads, updates and deletes, then reports graph_not_found', async () => {
      const gw = gateway();
      const created = await gw.createMeeting(caller, { ...BODY, passcode: true });
      const read = await gw.getMeeting(caller, created.id, { locale: 'zh-CN' });
      assert.equal(read.id, created.id);
      assert.equal(read.passcode, created.passcode);
      assert.equal(emulator.requests[1]!.path, `/v1.0/me/onlineMeetings/${created.id}`);
      assert.equal(emulator.requests[1]!.headers['accept-language'], 'zh-CN');

      const updated = await gw.updateMeeting(caller, created.id, {
        subject: 'Moved',
        startDateTime: '2030-05-07T09:00:00Z',
        endDateTime: '2030-05-07T09:30:00Z',
      });
      assert.equal(emulator.requests[2]!.method, 'PATCH');
      assert.deepEqual(emulator.requests[2]!.body, {
        subject: 'Moved',
        startDateTime: '2030-05-07T09:00:00Z',
        endDateTime: '2030-05-07T09:30:00Z',
      });
      assert.equal(updated.subject, 'Moved');
      assert.equal(updated.startDateTime, '2030-05-07T09:00:00.0000000Z');

      await gw.deleteMeeting(caller, created.id);
      assert.equal(emulator.requests[3]!.method, 'DELETE');
      assert.equal(emulator.requests[3]!.status, 204);
      const error = await rejectsWith(gw.getMeeting(caller, created.id), 'graph_not_found');
      assert.equal(error.httpStatus, 404);
      assert.equal(error.graphCode, 'itemNotFound');
    });

    // whole-chat (#15): meeting options as the v1.0 fields.
    it('PATCHes meeting options as the v1.0 fields with the Prefer header, and reads them back (invited included)', async () => {
      const gw = gateway();
      const { meeting } = await gw.createOrGetMeeting(caller, { ...BODY, externalId: 'opts-1' });
      assert.deepEqual(meeting.options, {
        lobbyScope: 'organization',
        dialInBypassesLobby: false,
        allowedPresenters: 'everyone',
        recordAutomatically: false,
        allowMeetingChat: 'enabled',
      });
      assert.match(meeting.meetingOptionsWebUrl ?? '', /^https:\/\/teams\.microsoft\.com\/meetingOptions\//);
      const updated = await gw.updateMeeting(caller, meeting.id, {
        options: {
          lobbyScope: 'invited',
          dialInBypassesLobby: true,
          allowedPresenters: 'organizer',
          recordAutomatically: true,
          allowMeetingChat: 'disabled',
        },
      });
      const patch = emulator.requests[1]!;
      assert.equal(patch.headers['prefer'], 'include-unknown-enum-members');
      assert.deepEqual(patch.body, {
        lobbyBypassSettings: { scope: 'invited', isDialInBypassEnabled: true },
        allowedPresenters: 'organizer',
        recordAutomatically: true,
        allowMeetingChat: 'disabled',
      });
      assert.deepEqual(updated.options, {
        lobbyScope: 'invited',
        dialInBypassesLobby: true,
        allowedPresenters: 'organizer',
        recordAutomatically: true,
        allowMeetingChat: 'disabled',
      });
    });

    it('sends the full attendee list with allowedPresenters roleIsPresenter, as Graph requires', async () => {
      const gw = gateway();
      const { meeting } = await gw.createOrGetMeeting(caller, { ...BODY, externalId: 'opts-2' });
      const attendees = [{ aadObjectId: GRACE.aadObjectId, displayName: GRACE.name, role: 'presenter' as const }];
      const updated = await gw.updateMeeting(caller, meeting.id, {
        options: { allowedPresenters: 'roleIsPresenter' },
        attendees,
      });
      assert.equal(updated.options?.allowedPresenters, 'roleIsPresenter');
      const body = emulator.requests[1]!.body as { participants: { attendees: { role: string }[] } };
      assert.deepEqual(
        body.participants.attendees.map((a) => a.role),
        ['presenter'],
      );
    });

    it('maps a PATCH with only a start to graph_bad_request', async () => {
      const gw = gateway();
      const created = await gw.createMeeting(caller, BODY);
      await rejectsWith(
        gw.updateMeeting(caller, created.id, { startDateTime: '2030-05-07T09:00:00Z' }),
        'graph_bad_request',
      );
    });
  });

  describe('retries, deadline, timeout', () => {
    it('retries a 429 after Retry-After: 1 and creates exactly one meeting', async () => {
      emulator.injectFaults({ status: 429, retryAfter: 1, count: 1, method: 'POST' });
      const started = Date.now();
      const meeting = await gateway().createMeeting(caller, BODY);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
      assert.equal(emulator.requests.length, 2);
      assert.deepEqual(
        emulator.requests.map((r) => r.status),
        [429, 201],
      );
      assert.equal(emulator.meetings.length, 1);
      assert.equal(emulator.meetings[0]!.id, meeting.id);
    });

    // createOrGet is idempotent by externalId: 503/504 may be retried (a plain POST may not; see below).
    it('backs off exponentially on 503 without Retry-After, then succeeds (createOrGet)', async () => {
      emulator.injectFaults({ status: 503, count: 2 });
      const sleep = sandbox.spy((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      const { meeting } = await gateway({ sleep, baseRetryDelayInMs: 40 }).createOrGetMeeting(caller, {
        ...BODY,
        passcode: false,
        externalId: 'backoff-1',
      });
      assert.deepEqual(
        sleep.args.map((a) => a[0]),
        [40, 80],
      );
      assert.deepEqual(
        emulator.requests.map((r) => r.status),
        [503, 503, 201],
      );
      assert.ok(meeting.id);
    });

    it('gives up after maxRetries with graph_unavailable (createOrGet)', async () => {
      emulator.injectFaults({ status: 504, count: 10 });
      const error = await rejectsWith(
        gateway({ maxRetries: 2, baseRetryDelayInMs: 10 }).createOrGetMeeting(caller, {
          ...BODY,
          passcode: false,
          externalId: 'give-up-1',
        }),
        'graph_unavailable',
      );
      assert.equal(emulator.requests.length, 3);
      assert.equal(error.httpStatus, 504);
    });

    // Issue #14 finding 2: a plain POST that may have been carried out is never repeated.
    for (const [what, fault] of [
      ['503', { status: 503 }],
      ['504 after the meeting was made', { status: 504, afterEffect: true }],
      ['a connection dropped after the request was sent', { dropConnection: true, afterEffect: true }],
    ] as const) {
      it(`never repeats a plain POST after ${what}: graph_outcome_unknown, one request`, async () => {
        emulator.injectFaults({ ...fault, count: 1 });
        const error = await rejectsWith(
          gateway({ baseRetryDelayInMs: 10 }).createMeeting(caller, BODY),
          'graph_outcome_unknown',
        );
        assert.equal(emulator.requests.length, 1);
        assert.equal(error.retryable, false);
      });
    }

    it('retries a plain POST after 429 (Graph refused it without doing it)', async () => {
      emulator.injectFaults({ status: 429, retryAfter: 0, count: 1 });
      await gateway({ baseRetryDelayInMs: 10 }).createMeeting(caller, BODY);
      assert.deepEqual(
        emulator.requests.map((r) => r.status),
        [429, 201],
      );
    });

    it('a POST to a port nobody listens on was never sent: graph_unavailable, not an unknown outcome', async () => {
      await rejectsWith(
        gateway({ baseUrl: 'http://127.0.0.1:9/v1.0' }).createMeeting(caller, BODY),
        'graph_unavailable',
      );
    });

    it('never starts a wait that ends after the deadline', async () => {
      emulator.injectFaults({ status: 429, retryAfter: 5, count: 1 });
      const sleep = sandbox.spy((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      const started = Date.now();
      const error = await rejectsWith(
        gateway({ sleep }).createMeeting(caller, BODY, { deadline: started + 2000 }),
        'graph_throttled',
      );
      assert.ok(Date.now() - started < 1000, 'returned without waiting');
      assert.equal(sleep.callCount, 0);
      assert.equal(error.retryAfterInMs, 5000);
      assert.equal(emulator.requests.length, 1);
      assert.equal(emulator.meetings.length, 0);
    });

    it('maps 500 to graph_unavailable with the Graph request-id, without retrying', async () => {
      emulator.injectFaults({ status: 500, count: 1 });
      const error = await rejectsWith(gateway().createMeeting(caller, BODY), 'graph_unavailable');
      assert.equal(error.httpStatus, 500);
      assert.equal(error.requestId, emulator.requests[0]!.requestId);
      assert.equal(error.graphCode, 'InternalServerError');
      assert.equal(emulator.requests.length, 1);
      assert.ok(
        logLines.some((line) => line.includes(error.requestId ?? '-') && line.includes('InternalServerError')),
        'raw error logged',
      );
    });

    it('maps an attempt that outlives requestTimeoutInMs to graph_timeout (createOrGet), without retrying', async () => {
      emulator.injectFaults({ delayMs: 1500, count: 1 });
      const started = Date.now();
      const error = await rejectsWith(
        gateway({ requestTimeoutInMs: 200 }).createOrGetMeeting(caller, {
          ...BODY,
          passcode: false,
          externalId: 'slow-1',
        }),
        'graph_timeout',
      );
      assert.ok(Date.now() - started < 1200);
      assert.equal(error.retryable, true);
      assert.equal(emulator.requests.length, 1);
    });

    it('maps a plain POST that outlives requestTimeoutInMs to graph_outcome_unknown (it may have been carried out)', async () => {
      emulator.injectFaults({ delayMs: 1500, count: 1 });
      await rejectsWith(gateway({ requestTimeoutInMs: 200 }).createMeeting(caller, BODY), 'graph_outcome_unknown');
      assert.equal(emulator.requests.length, 1);
    });
  });
});
