import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import { LOCAL_CLIENT_ID } from '../../../emulators/fixtures';
import { ADA, createTestTokenIssuer, GRACE, LINUS_GUEST, type TestTokenIssuer } from '../graph/test-tokens';

/** The seed's five example requests, byte for byte (seed/000_6f3d4a8af18a5a9b.txt). */
const SEED = {
  example1: `{
  "startDateTime":"2019-07-12T14:30:34.2444915-07:00",
  "endDateTime":"2019-07-12T15:00:34.2464912-07:00",
  "subject":"User Token Meeting"
}`,
  example2: `{
  "startDateTime":"2019-07-12T14:30:34.2444915-07:00",
  "endDateTime":"2019-07-12T15:00:34.2464912-07:00",
  "subject":"User meeting in Microsoft Teams channel.",
  "chatInfo": {
    "threadId":"19%3A3b5239894b776357c1dd79%40thread.skype"
  }
}`,
  example3: `{
  "subject":"User Token Live Event",
  "startDateTime":"2020-12-02T14:30:34.2444915+00:00",
  "endDateTime":"2020-12-02T15:00:34.2464912+00:00",
  "isBroadcast": true,
  "broadcastSettings": {
    "allowedAudience": "everyone",
    "isRecordingEnabled": true,
    "isAttendeeReportEnabled": true
  }
}`,
  example4: `{
  "startDateTime":"2019-07-12T14:30:34.2444915-07:00",
  "endDateTime":"2019-07-12T15:00:34.2464912-07:00",
  "subject":"User meeting",
  "joinMeetingIdSettings": {
    "isPasscodeRequired": true
  }
}`,
  example5a: `{
  "startDateTime":"2019-07-12T14:30:34.2444915-07:00",
  "endDateTime":"2019-07-12T15:00:34.2464912-07:00",
  "subject":"User meeting in Microsoft Teams channel.",
  "joinMeetingIdSettings": {
    "isPasscodeRequired": false
  }
}`,
  example5b: `{
  "startDateTime":"2019-07-12T14:30:34.2444915-07:00",
  "endDateTime":"2019-07-12T15:00:34.2464912-07:00",
  "subject":"User meeting in Microsoft Teams channel."
}`,
};

/* eslint-disable @typescript-eslint/no-unsafe-call --
   Graph responses are untyped JSON here on purpose: the test asserts the wire format field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Json = any;

interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Json;
}

describe('Graph onlineMeetings stand-in', () => {
  let issuer: TestTokenIssuer;
  let emulator: GraphEmulator;
  let adaToken: string;

  before(async () => {
    issuer = await createTestTokenIssuer();
    emulator = await startGraphEmulator({ jwks: issuer.jwks });
    adaToken = await issuer.delegated();
  });
  afterEach(() => emulator.reset());
  after(() => emulator.close());

  async function call(
    method: string,
    path: string,
    options: {
      token?: string | null;
      body?: string | object;
      language?: string;
      contentType?: string;
      base?: string;
      prefer?: string;
    } = {},
  ): Promise<CallResult> {
    const headers: Record<string, string> = {};
    if (options.prefer) headers['prefer'] = options.prefer;
    const token = options.token === undefined ? adaToken : options.token;
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (options.language) headers['accept-language'] = options.language;
    // The seed is the beta page: its examples (and the tests built on them) go to beta unless a test says otherwise.
    const response = await fetch(`${options.base ?? emulator.betaBaseUrl}${path}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  const decodeJoinInformation = (content: string): string => decodeURIComponent(content.replace(/\+/g, ' '));

  function assertODataError(result: CallResult, status: number, code?: string): void {
    assert.equal(result.status, status, JSON.stringify(result.body));
    assert.equal(typeof result.body.error.message, 'string');
    if (code) assert.equal(result.body.error.code, code);
    const inner = result.body.error.innerError;
    assert.match(inner.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    assert.equal(inner['request-id'], result.headers.get('request-id'));
    assert.equal(inner['client-request-id'], result.headers.get('client-request-id'));
  }

  describe("the seed's five example requests, verbatim", () => {
    it('example 1: creates a meeting with every field the seed response shows', async () => {
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example1 });
      assert.equal(r.status, 201);
      assert.ok(r.headers.get('request-id'));
      assert.ok(r.headers.get('client-request-id'));
      const m = r.body;
      assert.equal(
        m['@odata.context'],
        `https://graph.microsoft.com/beta/$metadata#users('${ADA.aadObjectId}')/onlineMeetings/$entity`,
      );
      assert.equal(m.subject, 'User Token Meeting');
      assert.equal(m.startDateTime, '2019-07-12T21:30:34.2444915Z');
      assert.equal(m.endDateTime, '2019-07-12T22:00:34.2464912Z');
      assert.match(m.creationDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
      const decodedId = Buffer.from(m.id, 'base64').toString('utf8');
      assert.match(decodedId, new RegExp(`^1\\*${ADA.aadObjectId}\\*0\\*\\*19:meeting_[A-Za-z0-9]+@thread\\.v2$`));
      assert.match(
        m.joinWebUrl,
        /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_[A-Za-z0-9]+%40thread\.v2\/0\?context=%7b%22Tid%22%3a%22/,
      );
      assert.ok(m.joinWebUrl.includes(`%22Oid%22%3a%22${ADA.aadObjectId}%22%7d`));
      assert.deepEqual(m.participants.organizer, {
        identity: {
          user: {
            id: ADA.aadObjectId,
            tenantId: m.participants.organizer.identity.user.tenantId,
            displayName: ADA.name,
            identityProvider: 'AAD',
          },
        },
        role: 'presenter',
        upn: ADA.upn,
      });
      assert.equal(m.joinMeetingIdSettings.isPasscodeRequired, false);
      assert.match(m.joinMeetingIdSettings.joinMeetingId, /^\d+$/);
      assert.equal(m.joinMeetingIdSettings.passcode, null);
      assert.match(m.audioConferencing.ConferenceId, /^\d+$/);
      assert.ok(m.audioConferencing.tollNumber && m.audioConferencing.tollFreeNumber);
      assert.ok(m.audioConferencing.dialinUrl.endsWith(`?id=${m.audioConferencing.ConferenceId}`));
      assert.deepEqual(m.chatInfo, { threadId: decodedId.split('**')[1], messageId: '0', replyChainMessageId: '0' });
      assert.deepEqual(m.lobbyBypassSettings, { scope: 'organization', isDialInBypassEnabled: false });
      assert.equal(m.allowedPresenters, 'everyone');
      assert.equal(m.isEntryExitAnnounced, true);
      assert.equal(m.isBroadcast, false);
      assert.equal(m.joinInformation.contentType, 'html');
      const html = decodeJoinInformation(m.joinInformation.content);
      assert.ok(html.startsWith('data:text/html,'));
      assert.ok(html.includes('Join Microsoft Teams Meeting'));
      assert.ok(html.includes(m.joinWebUrl));
      assert.ok(html.includes('&language=en-US'));
      assert.ok(!m.joinInformation.content.includes('%20'), 'spaces are form-encoded as +');
    });

    it('example 2: binds to the channel given as a percent-encoded threadId and echoes it', async () => {
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example2 });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.chatInfo.threadId, '19%3A3b5239894b776357c1dd79%40thread.skype');
      assert.match(r.body.chatInfo.messageId, /^\d+$/);
      assert.equal(r.body.chatInfo.replyChainMessageId, null);
    });

    it('example 2 with a raw channel id works too', async () => {
      const r = await call('POST', '/me/onlineMeetings', {
        body: { subject: 'raw', chatInfo: { threadId: '19:convene-team-general@thread.tacv2' } },
      });
      assert.equal(r.status, 201);
      assert.equal(r.body.chatInfo.threadId, '19:convene-team-general@thread.tacv2');
    });

    it('example 3: beta accepts the live-event request but makes a regular meeting (no broadcast data since 2024-09-30)', async () => {
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example3 });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.isBroadcast, false);
      assert.equal(r.body.broadcastSettings, null);
      assert.equal(r.body.startDateTime, '2020-12-02T14:30:34.2444915Z');
      assert.equal(r.body.participants.organizer.role, 'presenter');
    });

    it('example 3 sent to v1.0: isBroadcast is an unknown property there (400)', async () => {
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example3, base: emulator.v1BaseUrl });
      assertODataError(r, 400, 'BadRequest');
      assert.match(
        r.body.error.message,
        /The property 'isBroadcast' does not exist on type 'microsoft\.graph\.onlineMeeting'/,
      );
      assert.equal(emulator.meetings.length, 0);
    });

    it('example 3 is refused with 400 when the refuseLiveEvents switch is on', async () => {
      emulator.setSwitches({ refuseLiveEvents: true });
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example3 });
      assertODataError(r, 400, 'BadRequest');
      assert.equal(emulator.meetings.length, 0);
    });

    it('example 4: generates a passcode when one is required', async () => {
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example4 });
      assert.equal(r.status, 201);
      assert.equal(r.body.joinMeetingIdSettings.isPasscodeRequired, true);
      assert.match(r.body.joinMeetingIdSettings.passcode, /^[A-Za-z0-9]{6}$/);
      assert.match(r.body.joinMeetingIdSettings.joinMeetingId, /^\d+$/);
    });

    it('example 5: no passcode with isPasscodeRequired false or without joinMeetingIdSettings', async () => {
      for (const body of [SEED.example5a, SEED.example5b]) {
        const r = await call('POST', '/me/onlineMeetings', { body });
        assert.equal(r.status, 201);
        assert.equal(r.body.joinMeetingIdSettings.isPasscodeRequired, false);
        assert.equal(r.body.joinMeetingIdSettings.passcode, null);
      }
    });
  });

  describe('validation', () => {
    it('refuses PATCH of joinMeetingIdSettings with 400', async () => {
      const created = await call('POST', '/me/onlineMeetings', { body: SEED.example1 });
      const r = await call('PATCH', `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`, {
        body: { joinMeetingIdSettings: { isPasscodeRequired: true } },
      });
      assertODataError(r, 400, 'BadRequest');
    });

    it('refuses an end before the start with 400', async () => {
      const r = await call('POST', '/me/onlineMeetings', {
        body: { subject: 'x', startDateTime: '2030-01-01T11:00:00Z', endDateTime: '2030-01-01T10:00:00Z' },
      });
      assertODataError(r, 400);
    });

    it('refuses createOrGet without externalId with 400', async () => {
      const r = await call('POST', '/me/onlineMeetings/createOrGet', { body: { subject: 'x' } });
      assertODataError(r, 400);
    });

    it('refuses createOrGet with joinMeetingIdSettings or isBroadcast with 400', async () => {
      for (const extra of [{ joinMeetingIdSettings: { isPasscodeRequired: true } }, { isBroadcast: true }]) {
        const r = await call('POST', '/me/onlineMeetings/createOrGet', { body: { externalId: 'e1', ...extra } });
        assertODataError(r, 400);
      }
    });

    it('refuses PATCH with only one of start and end', async () => {
      const created = await call('POST', '/me/onlineMeetings', { body: SEED.example1 });
      const r = await call('PATCH', `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`, {
        body: { startDateTime: '2030-01-01T10:00:00Z' },
      });
      assertODataError(r, 400);
    });

    it('refuses a non-JSON content type, malformed times and unknown properties', async () => {
      assertODataError(
        await call('POST', '/me/onlineMeetings', { body: SEED.example1, contentType: 'text/plain' }),
        400,
      );
      assertODataError(await call('POST', '/me/onlineMeetings', { body: { startDateTime: '12 July 2019' } }), 400);
      assertODataError(await call('POST', '/me/onlineMeetings', { body: { subjekt: 'typo' } }), 400);
    });

    it('refuses a chatInfo.threadId that is not a Teams thread', async () => {
      assertODataError(await call('POST', '/me/onlineMeetings', { body: { chatInfo: { threadId: 'general' } } }), 400);
    });

    it('refuses presenter for a user outside the tenant, accepts them as attendee', async () => {
      const guest = (role: string, tenantId?: string): object => ({
        participants: {
          attendees: [{ identity: { user: { id: LINUS_GUEST.aadObjectId, ...(tenantId ? { tenantId } : {}) } }, role }],
        },
      });
      assertODataError(await call('POST', '/me/onlineMeetings', { body: guest('presenter') }), 400);
      assertODataError(await call('POST', '/me/onlineMeetings', { body: guest('coorganizer') }), 400);
      const other = {
        participants: {
          attendees: [{ identity: { user: { id: 'x-1', tenantId: 'another-tenant' } }, role: 'presenter' }],
        },
      };
      assertODataError(await call('POST', '/me/onlineMeetings', { body: other }), 400);
      assert.equal((await call('POST', '/me/onlineMeetings', { body: guest('attendee') })).status, 201);
    });

    it('defaults to now..now+1h without times, and start+1h without end', async () => {
      const before = Date.now();
      const r = await call('POST', '/me/onlineMeetings', { body: {} });
      assert.equal(r.status, 201);
      const start = Date.parse(r.body.startDateTime);
      assert.ok(start >= before - 1000 && start <= Date.now() + 1000);
      assert.equal(Date.parse(r.body.endDateTime) - start, 3_600_000);
      const r2 = await call('POST', '/me/onlineMeetings', { body: { startDateTime: '2030-01-01T10:00:00+02:00' } });
      assert.equal(r2.body.endDateTime, '2030-01-01T09:00:00.0000000Z');
    });
  });

  describe('authentication and authorization', () => {
    it('answers 401 "Access token is empty." without a token', async () => {
      const r = await call('POST', '/me/onlineMeetings', { token: null, body: SEED.example1 });
      assertODataError(r, 401, 'InvalidAuthenticationToken');
      assert.equal(r.body.error.message, 'Access token is empty.');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    });

    it('answers 401 to a token for another audience, an expired token and a foreign signature', async () => {
      const wrongAud = await issuer.delegated({ aud: 'api://someone-else' });
      assertODataError(
        await call('POST', '/me/onlineMeetings', { token: wrongAud, body: SEED.example1 }),
        401,
        'InvalidAuthenticationToken',
      );
      const expired = await issuer.delegated({ expiresInSeconds: -10 });
      const r = await call('POST', '/me/onlineMeetings', { token: expired, body: SEED.example1 });
      assertODataError(r, 401, 'InvalidAuthenticationToken');
      assert.equal(r.body.error.message, 'Access token has expired or is not yet valid.');
      const foreign = await (await createTestTokenIssuer()).delegated();
      assertODataError(await call('POST', '/me/onlineMeetings', { token: foreign, body: SEED.example1 }), 401);
    });

    it('accepts the Graph app id as audience', async () => {
      const token = await issuer.delegated({ aud: '00000003-0000-0000-c000-000000000000' });
      assert.equal((await call('POST', '/me/onlineMeetings', { token, body: SEED.example1 })).status, 201);
    });

    it('answers 403 to a delegated token without OnlineMeetings.ReadWrite; Read suffices for GET', async () => {
      const created = await call('POST', '/me/onlineMeetings', { body: SEED.example1 });
      const readOnly = await issuer.delegated({ scp: 'OnlineMeetings.Read User.Read' });
      assertODataError(
        await call('POST', '/me/onlineMeetings', { token: readOnly, body: SEED.example1 }),
        403,
        'Forbidden',
      );
      assert.equal(
        (await call('GET', `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`, { token: readOnly })).status,
        200,
      );
    });

    it('answers 403 on /users/{id} without an application access policy, 201 with one', async () => {
      const appToken = await issuer.application();
      const path = `/users/${ADA.aadObjectId}/onlineMeetings`;
      const r = await call('POST', path, { token: appToken, body: SEED.example1 });
      assertODataError(r, 403, 'Forbidden');
      assert.equal(r.body.error.message, 'No application access policy found for this app.');
      emulator.grantAccessPolicy(LOCAL_CLIENT_ID, [ADA.aadObjectId]);
      const ok = await call('POST', path, { token: appToken, body: SEED.example1 });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.participants.organizer.identity.user.id, ADA.aadObjectId);
      assertODataError(
        await call('POST', `/users/${GRACE.aadObjectId}/onlineMeetings`, { token: appToken, body: SEED.example1 }),
        403,
      );
    });

    it('answers 403 to an application token without OnlineMeetings.ReadWrite.All, even with a policy', async () => {
      emulator.grantAccessPolicy(LOCAL_CLIENT_ID, 'global');
      const token = await issuer.application({ roles: ['User.Read.All'] });
      assertODataError(
        await call('POST', `/users/${ADA.aadObjectId}/onlineMeetings`, { token, body: SEED.example1 }),
        403,
      );
    });

    it('lets a delegated token use /users/{ownOid} but not another user', async () => {
      assert.equal(
        (await call('POST', `/users/${ADA.aadObjectId}/onlineMeetings`, { body: SEED.example1 })).status,
        201,
      );
      assertODataError(await call('POST', `/users/${GRACE.aadObjectId}/onlineMeetings`, { body: SEED.example1 }), 403);
    });

    it('verifies tokens against a JWKS URL', async () => {
      const jwksServer: Server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(issuer.jwks));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      const port = (jwksServer.address() as AddressInfo).port;
      const viaUrl = await startGraphEmulator({ jwksUrl: `http://127.0.0.1:${port}/discovery/v2.0/keys` });
      try {
        const r = await call('POST', '/me/onlineMeetings', { body: SEED.example1, base: viaUrl.baseUrl });
        assert.equal(r.status, 201);
      } finally {
        await viaUrl.close();
        await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
      }
    });
  });

  describe('get, update, delete, createOrGet', () => {
    it('answers 404 itemNotFound for an unknown meeting id', async () => {
      const unknown = Buffer.from(`1*${ADA.aadObjectId}*0**19:meeting_nope@thread.v2`).toString('base64');
      assertODataError(await call('GET', `/me/onlineMeetings/${unknown}`), 404, 'itemNotFound');
      assertODataError(
        await call('PATCH', `/me/onlineMeetings/${unknown}`, { body: { subject: 'x' } }),
        404,
        'itemNotFound',
      );
      assertODataError(await call('DELETE', `/me/onlineMeetings/${unknown}`), 404, 'itemNotFound');
    });

    it('lets an invited attendee read the meeting, but not another user', async () => {
      const created = await call('POST', '/me/onlineMeetings', {
        body: {
          subject: 'with Grace',
          participants: { attendees: [{ identity: { user: { id: GRACE.aadObjectId } }, role: 'attendee' }] },
        },
      });
      const path = `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`;
      const grace = await issuer.delegated({ oid: GRACE.aadObjectId, upn: GRACE.upn, name: GRACE.name });
      assert.equal((await call('GET', path, { token: grace })).status, 200);
      assertODataError(await call('PATCH', path, { token: grace, body: { subject: 'hijack' } }), 403);
      const alan = await issuer.delegated({ oid: 'a1f1a1a1-0000-4000-8000-000000000003' });
      assertODataError(await call('GET', path, { token: alan }), 404);
    });

    it('PATCH returns 200 with the full object, DELETE 204, then 404', async () => {
      const created = await call('POST', '/me/onlineMeetings', { body: SEED.example4 });
      const path = `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`;
      const patched = await call('PATCH', path, {
        body: { subject: 'Moved', startDateTime: '2030-03-01T09:00:00Z', endDateTime: '2030-03-01T09:30:00Z' },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.subject, 'Moved');
      assert.equal(patched.body.startDateTime, '2030-03-01T09:00:00.0000000Z');
      assert.equal(patched.body.joinMeetingIdSettings.passcode, created.body.joinMeetingIdSettings.passcode);
      assert.equal(patched.body.joinWebUrl, created.body.joinWebUrl);
      const deleted = await call('DELETE', path);
      assert.equal(deleted.status, 204);
      assertODataError(await call('GET', path), 404, 'itemNotFound');
    });

    it('createOrGet: 201 then 200 with the stored meeting unchanged; keyed per user', async () => {
      const first = await call('POST', '/me/onlineMeetings/createOrGet', {
        body: { externalId: 'ext-1', subject: 'First' },
      });
      assert.equal(first.status, 201);
      assert.equal(first.body.externalId, 'ext-1');
      const again = await call('POST', '/me/onlineMeetings/createOrGet', {
        body: { externalId: 'ext-1', subject: 'Second' },
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.subject, 'First');
      const grace = await issuer.delegated({ oid: GRACE.aadObjectId });
      const other = await call('POST', '/me/onlineMeetings/createOrGet', {
        token: grace,
        body: { externalId: 'ext-1' },
      });
      assert.equal(other.status, 201);
      assert.notEqual(other.body.id, first.body.id);
    });

    it('finds a meeting by JoinWebUrl filter', async () => {
      const created = await call('POST', '/me/onlineMeetings', { body: SEED.example1 });
      const filter = encodeURIComponent(`JoinWebUrl eq '${created.body.joinWebUrl}'`);
      const r = await call('GET', `/me/onlineMeetings?$filter=${filter}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.value.length, 1);
      assert.equal(r.body.value[0].id, created.body.id);
    });

    it('serves /v1.0 too, without the beta-only fields', async () => {
      const r = await call('POST', '/me/onlineMeetings', { body: SEED.example1, base: emulator.v1BaseUrl });
      assert.equal(r.status, 201);
      assert.ok(r.body['@odata.context'].startsWith('https://graph.microsoft.com/v1.0/'));
      assert.equal('isBroadcast' in r.body, false);
      assertODataError(
        await call('POST', '/me/onlineMeetings', { body: SEED.example3, base: emulator.v1BaseUrl }),
        400,
      );
    });
  });

  // whole-chat (#15): meeting options set by PATCH after createOrGet, under v1.0's update rules.
  describe('meeting options (v1.0 update rules)', () => {
    const v1 = () => ({ base: emulator.v1BaseUrl });
    async function v1Meeting(): Promise<string> {
      const created = await call('POST', '/me/onlineMeetings/createOrGet', {
        ...v1(),
        body: { externalId: `opt-${Math.random()}`, subject: 'Options' },
      });
      assert.equal(created.status, 201);
      return `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`;
    }

    it('stores and returns lobbyBypassSettings, allowedPresenters, recordAutomatically, allowMeetingChat and a meetingOptionsWebUrl', async () => {
      const path = await v1Meeting();
      const body = {
        lobbyBypassSettings: { scope: 'everyone', isDialInBypassEnabled: true },
        allowedPresenters: 'organizer',
        recordAutomatically: true,
        allowMeetingChat: 'limited',
      };
      const patched = await call('PATCH', path, { ...v1(), body });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const got = await call('GET', path, v1());
      for (const r of [patched, got]) {
        assert.deepEqual(r.body.lobbyBypassSettings, body.lobbyBypassSettings);
        assert.equal(r.body.allowedPresenters, 'organizer');
        assert.equal(r.body.recordAutomatically, true);
        assert.equal(r.body.allowMeetingChat, 'limited');
        assert.match(r.body.meetingOptionsWebUrl, /^https:\/\/teams\.microsoft\.com\/meetingOptions\//);
      }
    });

    it('updates only the lobbyBypassSettings members a PATCH gives', async () => {
      const path = await v1Meeting();
      await call('PATCH', path, { ...v1(), body: { lobbyBypassSettings: { scope: 'everyone' } } });
      const r = await call('PATCH', path, { ...v1(), body: { lobbyBypassSettings: { isDialInBypassEnabled: true } } });
      assert.deepEqual(r.body.lobbyBypassSettings, { scope: 'everyone', isDialInBypassEnabled: true });
    });

    it('refuses values outside the documented enums and a meetingOptionsWebUrl in the body', async () => {
      const path = await v1Meeting();
      assertODataError(await call('PATCH', path, { ...v1(), body: { lobbyBypassSettings: { scope: 'nobody' } } }), 400);
      assertODataError(await call('PATCH', path, { ...v1(), body: { allowedPresenters: 'attendees' } }), 400);
      assertODataError(await call('PATCH', path, { ...v1(), body: { allowMeetingChat: 'off' } }), 400);
      assertODataError(await call('PATCH', path, { ...v1(), body: { recordAutomatically: 'yes' } }), 400);
      assertODataError(
        await call('PATCH', path, { ...v1(), body: { meetingOptionsWebUrl: 'https://example.com' } }),
        400,
      );
    });

    it('refuses createOrGet with option fields (its body has none) and PATCH of create-only settings', async () => {
      assertODataError(
        await call('POST', '/me/onlineMeetings/createOrGet', {
          ...v1(),
          body: { externalId: 'x', recordAutomatically: true },
        }),
        400,
      );
      const path = await v1Meeting();
      assertODataError(await call('PATCH', path, { ...v1(), body: { shareMeetingChatHistoryDefault: 'none' } }), 400);
    });

    it('refuses allowedPresenters roleIsPresenter without the attendee list naming the presenters', async () => {
      const path = await v1Meeting();
      assertODataError(await call('PATCH', path, { ...v1(), body: { allowedPresenters: 'roleIsPresenter' } }), 400);
      const attendees = [{ identity: { user: { id: GRACE.aadObjectId } }, role: 'presenter' }];
      const r = await call('PATCH', path, {
        ...v1(),
        body: { allowedPresenters: 'roleIsPresenter', participants: { attendees } },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });

    it("returns the 'invited' lobby scope only with Prefer: include-unknown-enum-members", async () => {
      const path = await v1Meeting();
      await call('PATCH', path, { ...v1(), body: { lobbyBypassSettings: { scope: 'invited' } } });
      assert.equal((await call('GET', path, v1())).body.lobbyBypassSettings.scope, 'unknownFutureValue');
      const withPrefer = await call('GET', path, { ...v1(), prefer: 'include-unknown-enum-members' });
      assert.equal(withPrefer.body.lobbyBypassSettings.scope, 'invited');
    });
  });

  describe('v1.0 and beta differ as documented', () => {
    const v1 = () => ({ base: emulator.v1BaseUrl });
    const unknownProperty = (r: CallResult, name: string): void => {
      assertODataError(r, 400, 'BadRequest');
      assert.match(
        r.body.error.message,
        new RegExp(`The property '${name}' does not exist on type 'microsoft\\.graph\\.onlineMeeting'`),
      );
    };

    it('serves the same onlineMeetings routes under /v1.0 and /beta', async () => {
      for (const base of [emulator.v1BaseUrl, emulator.betaBaseUrl]) {
        const r = await call('POST', '/me/onlineMeetings', {
          base,
          body: { subject: 'both', joinMeetingIdSettings: { isPasscodeRequired: true } },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.ok(
          r.body['@odata.context'].startsWith(
            `https://graph.microsoft.com/${base.endsWith('beta') ? 'beta' : 'v1.0'}/`,
          ),
        );
      }
    });

    it('createOrGet with chatInfo: beta binds the channel, v1.0 answers an unknown property', async () => {
      const body = {
        externalId: 'ch-1',
        subject: 'chan',
        chatInfo: { threadId: '19:convene-team-general@thread.tacv2' },
      };
      unknownProperty(await call('POST', '/me/onlineMeetings/createOrGet', { ...v1(), body }), 'chatInfo');
      const beta = await call('POST', '/me/onlineMeetings/createOrGet', { body });
      assert.equal(beta.status, 201, JSON.stringify(beta.body));
      assert.equal(beta.body.chatInfo.threadId, '19:convene-team-general@thread.tacv2');
      const plain = await call('POST', '/me/onlineMeetings/createOrGet', {
        ...v1(),
        body: { externalId: 'ch-2', subject: 'plain' },
      });
      assert.equal(plain.status, 201);
      assert.equal(plain.body.externalId, undefined, 'v1.0 has no externalId property');
    });

    it('v1.0 has no isBroadcast/broadcastSettings on create or update', async () => {
      unknownProperty(
        await call('POST', '/me/onlineMeetings', {
          ...v1(),
          body: { subject: 'x', broadcastSettings: { allowedAudience: 'organization' } },
        }),
        'broadcastSettings',
      );
      const created = await call('POST', '/me/onlineMeetings', { ...v1(), body: { subject: 'x' } });
      const path = `/me/onlineMeetings/${encodeURIComponent(created.body.id)}`;
      unknownProperty(
        await call('PATCH', path, { ...v1(), body: { broadcastSettings: { isRecordingEnabled: false } } }),
        'broadcastSettings',
      );
      assert.equal(created.body.isBroadcast, undefined);
    });
  });

  describe('Accept-Language', () => {
    it('localizes joinInformation in Japanese and Simplified Chinese, English by default', async () => {
      const ja = await call('POST', '/me/onlineMeetings', { body: SEED.example1, language: 'ja' });
      const jaHtml = decodeJoinInformation(ja.body.joinInformation.content);
      assert.ok(jaHtml.includes('Microsoft Teams 会議に参加'));
      assert.ok(jaHtml.includes('&language=ja'));
      const zh = await call('GET', `/me/onlineMeetings/${encodeURIComponent(ja.body.id)}`, {
        language: 'zh-CN,zh;q=0.9,en;q=0.8',
      });
      const zhHtml = decodeJoinInformation(zh.body.joinInformation.content);
      assert.ok(zhHtml.includes('加入 Microsoft Teams 会议'));
      assert.ok(zhHtml.includes('&language=zh-CN'));
      const star = await call('GET', `/me/onlineMeetings/${encodeURIComponent(ja.body.id)}`, { language: '*' });
      assert.ok(decodeJoinInformation(star.body.joinInformation.content).includes('Join Microsoft Teams Meeting'));
    });
  });

  describe('control', () => {
    it('injects faults with Retry-After, records requests without the token, and refuses channel binding on switch', async () => {
      emulator.injectFaults({ status: 429, retryAfter: 2, count: 1, method: 'POST' });
      const throttled = await call('POST', '/me/onlineMeetings', { body: SEED.example1 });
      assertODataError(throttled, 429, 'TooManyRequests');
      assert.equal(throttled.headers.get('retry-after'), '2');
      assert.equal((await call('POST', '/me/onlineMeetings', { body: SEED.example1 })).status, 201);
      const record = emulator.requests[1]!;
      assert.equal(record.headers['authorization'], true);
      assert.equal(record.caller?.oid, ADA.aadObjectId);
      assert.equal(record.status, 201);
      assert.ok(!JSON.stringify(emulator.requests).includes(adaToken));

      emulator.setSwitches({ refuseChannelBinding: true });
      const refused = await call('POST', '/me/onlineMeetings', { body: SEED.example2 });
      assertODataError(refused, 400, 'BadRequest');
      assert.equal(refused.body.error.message, '1026: An error has occurred.');
    });

    it('offers the same control over HTTP under /_control', async () => {
      const post = (path: string, body: unknown): Promise<Response> =>
        fetch(`${emulator.origin}/_control/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      assert.equal((await post('faults', { status: 503, count: 1 })).status, 200);
      assert.equal((await call('GET', '/me/onlineMeetings?$filter=x')).status, 503);
      await post('switches', { refuseLiveEvents: true });
      assert.equal((await call('POST', '/me/onlineMeetings', { body: SEED.example3 })).status, 400);
      await post('access-policies', { appId: LOCAL_CLIENT_ID, userIds: 'global' });
      const app = await issuer.application();
      assert.equal(
        (await call('POST', `/users/${GRACE.aadObjectId}/onlineMeetings`, { token: app, body: SEED.example1 })).status,
        201,
      );
      const requests = (await (await fetch(`${emulator.origin}/_control/requests`)).json()) as Json[];
      assert.equal(requests.length, 3);
      const meetings = (await (await fetch(`${emulator.origin}/_control/meetings`)).json()) as Json[];
      assert.equal(meetings.length, 1);
      await post('reset', {});
      assert.equal(emulator.requests.length, 0);
      assert.equal(emulator.meetings.length, 0);
    });
  });
});
