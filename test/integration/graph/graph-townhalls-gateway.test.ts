import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/graph';
import { GraphMeetingsGateway } from '../../../src/graph';
import { GraphTownhallsGateway } from '../../../src/graph/graph-townhalls-gateway';
import { createLogger } from '../../../src/logging/logger';
import { GraphRequestError } from '../../../src/meetings/errors';
import type { CreateTownhallBody, GraphCaller } from '../../../src/meetings/ports';
import { createTestTokenIssuer, GRACE, type TestTokenIssuer } from './test-tokens';

const BODY: CreateTownhallBody = {
  subject: 'All hands',
  startDateTime: new Date(Date.now() + 86_400_000).toISOString(),
  endDateTime: new Date(Date.now() + 90_000_000).toISOString(),
  audience: 'organization',
  coOrganizers: [{ aadObjectId: GRACE.aadObjectId, displayName: GRACE.name, role: 'attendee' }],
};

describe('GraphTownhallsGateway against the Graph stand-in', () => {
  let issuer: TestTokenIssuer;
  let emulator: GraphEmulator;
  let caller: GraphCaller;

  function gateway(baseUrl = emulator.baseUrl): GraphTownhallsGateway {
    const logger = createLogger({
      level: 'silent',
      pretty: false,
      destination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const transport = new GraphMeetingsGateway({
      baseUrl,
      clock: { now: () => Date.now() },
      logger,
      baseRetryDelayInMs: 20,
    });
    return new GraphTownhallsGateway(transport, logger);
  }

  async function rejectsWith(promise: Promise<unknown>, code: string): Promise<GraphRequestError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof GraphRequestError, String(error));
      assert.equal(error.code, code);
      return error;
    }
    assert.fail(`expected ${code}`);
  }

  before(async () => {
    issuer = await createTestTokenIssuer();
    emulator = await startGraphEmulator({ jwks: issuer.jwks });
    caller = { mode: 'delegated', accessToken: await issuer.delegated({ scp: 'VirtualEvent.ReadWrite' }) };
  });
  afterEach(() => emulator.reset());
  after(() => emulator.close());

  it('create → publish → join link → cancel, all on v1.0 even when GRAPH_BASE_URL is beta', async () => {
    const gw = gateway(emulator.betaBaseUrl);
    const { id } = await gw.createTownhall(caller, BODY);
    assert.equal(await gw.getTownhallJoinUrl(caller, id), undefined, 'a draft has no session yet');
    await gw.publishTownhall(caller, id);
    const url = await gw.getTownhallJoinUrl(caller, id);
    assert.equal(url, emulator.townhalls[0]!.session!.joinWebUrl);
    await gw.cancelTownhall(caller, id);
    assert.equal(emulator.townhalls[0]!.status, 'canceled');
    assert.ok(emulator.requests.every((r) => r.path.startsWith('/v1.0/solutions/virtualEvents/townhalls')));
    assert.deepEqual(emulator.requests[0]!.body, {
      displayName: 'All hands',
      startDateTime: { dateTime: BODY.startDateTime.slice(0, 19), timeZone: 'UTC' },
      endDateTime: { dateTime: BODY.endDateTime.slice(0, 19), timeZone: 'UTC' },
      audience: 'organization',
      coOrganizers: [
        {
          '@odata.type': '#microsoft.graph.communicationsUserIdentity',
          id: GRACE.aadObjectId,
          displayName: GRACE.name,
        },
      ],
    });
  });

  it('maps a 403 (no licence, or an OnlineMeetings-only token) to townhall_refused', async () => {
    emulator.setSwitches({ townhallsUnlicensed: true });
    const error = await rejectsWith(gateway().createTownhall(caller, BODY), 'townhall_refused');
    assert.equal(error.httpStatus, 403);
    emulator.setSwitches({ townhallsUnlicensed: false });
    const meetingsOnly: GraphCaller = { mode: 'delegated', accessToken: await issuer.delegated() };
    await rejectsWith(gateway().createTownhall(meetingsOnly, BODY), 'townhall_refused');
  });

  it('retries a create on 429 but never on 503/504: those are graph_outcome_unknown (the draft may exist)', async () => {
    emulator.injectFaults({ status: 429, retryAfter: 0, count: 1, method: 'POST' });
    await gateway().createTownhall(caller, BODY);
    assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 2);
    assert.equal(emulator.townhalls.length, 1);
    emulator.reset();
    emulator.injectFaults({ status: 504, count: 3, method: 'POST' });
    await rejectsWith(gateway().createTownhall(caller, BODY), 'graph_outcome_unknown');
    assert.equal(emulator.requests.length, 1, 'one attempt');
  });
});
