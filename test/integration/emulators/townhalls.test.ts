import assert from 'node:assert/strict';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import { LOCAL_TENANT_ID } from '../../../emulators/fixtures';
import { ADA, createTestTokenIssuer, GRACE, LINUS_GUEST, type TestTokenIssuer } from '../graph/test-tokens';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies under test */
type Json = any;

const TOWNHALL_SCOPES = 'VirtualEvent.ReadWrite User.Read openid profile';

/** A create body as the v1.0 page's example shapes it (times in the future so publish is allowed). */
function townhallBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = new Date(Date.now() + 86_400_000);
  const end = new Date(start.getTime() + 3_600_000);
  return {
    displayName: 'All hands',
    startDateTime: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' },
    endDateTime: { dateTime: end.toISOString().slice(0, 19), timeZone: 'UTC' },
    audience: 'organization',
    coOrganizers: [
      {
        '@odata.type': '#microsoft.graph.communicationsUserIdentity',
        id: GRACE.aadObjectId,
        tenantId: LOCAL_TENANT_ID,
      },
    ],
    ...overrides,
  };
}

describe('Graph town hall stand-in (virtualEvents/townhalls, v1.0 docs)', () => {
  let issuer: TestTokenIssuer;
  let emulator: GraphEmulator;
  let ada: string;

  before(async () => {
    issuer = await createTestTokenIssuer();
    emulator = await startGraphEmulator({ jwks: issuer.jwks });
    ada = await issuer.delegated({ scp: TOWNHALL_SCOPES });
  });
  afterEach(() => emulator.reset());
  after(() => emulator.close());

  async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; base?: string } = {},
  ): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? ada}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${options.base ?? emulator.v1BaseUrl}/solutions/virtualEvents/townhalls${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const create = (body: unknown = townhallBody(), token?: string) =>
    call('POST', '', { body, ...(token ? { token } : {}) });
  const refused = (r: { status: number; body: Json }, status: number, pattern?: RegExp): void => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(typeof r.body.error.code, 'string');
    if (pattern) assert.match(r.body.error.message, pattern);
  };

  it('creates a draft (201) shaped like the create page, with co-organizers filled in', async () => {
    const r = await create();
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'draft');
    assert.match(r.body.id, new RegExp(`^[0-9a-f-]{36}@${LOCAL_TENANT_ID}$`));
    assert.equal(r.body.displayName, 'All hands');
    assert.equal(r.body.audience, 'organization');
    assert.equal(r.body.createdBy.user.id, ADA.aadObjectId);
    assert.deepEqual(r.body.coOrganizers, [
      { id: GRACE.aadObjectId, tenantId: LOCAL_TENANT_ID, displayName: GRACE.name },
    ]);
    assert.equal(r.body.isInviteOnly, false);
  });

  it('draft → published (204) → a session with the attendee joinWebUrl; publishing twice is refused', async () => {
    const { body } = await create();
    const id = encodeURIComponent(body.id);
    assert.deepEqual((await call('GET', `/${id}/sessions`)).body.value, [], 'a draft has no session to join yet');
    assert.equal((await call('POST', `/${id}/publish`)).status, 204);
    assert.equal((await call('GET', `/${id}`)).body.status, 'published');
    const sessions = await call('GET', `/${id}/sessions`);
    assert.equal(sessions.status, 200);
    assert.equal(sessions.body.value.length, 1);
    assert.match(sessions.body.value[0].joinWebUrl, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    refused(await call('POST', `/${id}/publish`), 400, /cannot be published/);
  });

  it('cancel is permanent (204, then canceled; a second cancel 400); only the organizer may publish or cancel', async () => {
    const { body } = await create();
    const id = encodeURIComponent(body.id);
    const grace = await issuer.delegated({
      oid: GRACE.aadObjectId,
      upn: GRACE.upn,
      name: GRACE.name,
      scp: TOWNHALL_SCOPES,
    });
    assert.equal((await call('GET', `/${id}`, { token: grace })).status, 200, 'a co-organizer can read it');
    refused(await call('POST', `/${id}/publish`, { token: grace }), 403, /Only the organizer/);
    refused(await call('POST', `/${id}/cancel`, { token: grace }), 403, /Only the organizer/);
    assert.equal((await call('POST', `/${id}/cancel`)).status, 204);
    assert.equal((await call('GET', `/${id}`)).body.status, 'canceled');
    refused(await call('POST', `/${id}/cancel`), 400);
    refused(await call('POST', `/${id}/publish`), 400);
  });

  it('checks scopes: OnlineMeetings.ReadWrite alone is 403; VirtualEvent.Read may read but not write', async () => {
    refused(await create(townhallBody(), await issuer.delegated()), 403, /VirtualEvent\.ReadWrite/);
    const { body } = await create();
    const reader = await issuer.delegated({ scp: 'VirtualEvent.Read' });
    assert.equal((await call('GET', `/${encodeURIComponent(body.id)}`, { token: reader })).status, 200);
    refused(await call('POST', `/${encodeURIComponent(body.id)}/cancel`, { token: reader }), 403);
  });

  it('an application token is refused: "Application: Not supported"', async () => {
    const app = await issuer.application({ roles: ['VirtualEvent.Read.All', 'OnlineMeetings.ReadWrite.All'] });
    refused(await create(townhallBody(), app), 403, /Application permissions are not supported/);
    assert.equal(emulator.townhalls.length, 0);
  });

  it('is served on v1.0 only: the same call on beta fails', async () => {
    refused(await call('POST', '', { body: townhallBody(), base: emulator.betaBaseUrl }), 400, /v1\.0/);
  });

  it('validates the body: required fields, unknown and read-only properties, times, audience rules, co-organizers', async () => {
    refused(await create(townhallBody({ displayName: undefined })), 400, /displayName/);
    refused(await create(townhallBody({ startDateTime: undefined })), 400, /startDateTime/);
    refused(
      await create(townhallBody({ isBroadcast: true })),
      400,
      /'isBroadcast' does not exist on type 'microsoft\.graph\.virtualEventTownhall'/,
    );
    refused(await create(townhallBody({ status: 'published' })), 400, /read-only/);
    refused(
      await create(townhallBody({ startDateTime: { dateTime: '2030-01-01T10:00:00Z', timeZone: 'UTC' } })),
      400,
      /without an offset/,
    );
    refused(
      await create(townhallBody({ startDateTime: { dateTime: '2030-01-01T10:00:00', timeZone: 'Mars/Olympus' } })),
      400,
      /time zone/,
    );
    const body = townhallBody();
    refused(await create({ ...body, endDateTime: body.startDateTime }), 400, /later than/);
    refused(await create(townhallBody({ audience: 'everyone', isInviteOnly: true })), 400, /isInviteOnly/);
    refused(await create(townhallBody({ audience: 'public' })), 400, /audience/);
    refused(
      await create(townhallBody({ coOrganizers: [{ id: LINUS_GUEST.aadObjectId }] })),
      400,
      /organizer's organization/,
    );
    refused(
      await create(townhallBody({ coOrganizers: [{ id: ADA.aadObjectId }] })),
      400,
      /cannot also be a co-organizer/,
    );
    assert.equal(emulator.townhalls.length, 0);
  });

  it('accepts a Windows zone name as the docs example does', async () => {
    const r = await create(
      townhallBody({
        startDateTime: { dateTime: '2030-03-30T10:00:00', timeZone: 'Pacific Standard Time' },
        endDateTime: { dateTime: '2030-03-30T17:00:00', timeZone: 'Pacific Standard Time' },
      }),
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.startDateTime, { dateTime: '2030-03-30T10:00:00', timeZone: 'Pacific Standard Time' });
  });

  it("unknown ids are 404, and so is someone else's town hall", async () => {
    refused(await call('GET', '/00000000-0000-0000-0000-000000000000@x'), 404);
    const { body } = await create(townhallBody({ coOrganizers: [] }));
    const grace = await issuer.delegated({ oid: GRACE.aadObjectId, scp: TOWNHALL_SCOPES });
    refused(await call('GET', `/${encodeURIComponent(body.id)}`, { token: grace }), 404);
  });

  it('the townhallsUnlicensed switch (also over /_control/switches) answers 403 on create; /_control/townhalls lists them', async () => {
    await create();
    const listed = (await (await fetch(`${emulator.origin}/_control/townhalls`)).json()) as Json;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].status, 'draft');
    emulator.reset();
    const switched = await fetch(`${emulator.origin}/_control/switches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ townhallsUnlicensed: true }),
    });
    assert.equal(switched.status, 200);
    refused(await create(), 403, /license/);
    assert.equal(emulator.townhalls.length, 0);
  });
});
