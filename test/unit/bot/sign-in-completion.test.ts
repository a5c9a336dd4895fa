import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import sinon from 'sinon';
import { BackgroundTasks } from '../../../src/bot/background-tasks';
import { PendingCompletion } from '../../../src/bot/sign-in-completion';
import { createLogger } from '../../../src/logging/logger';
import { PendingRequests } from '../../../src/meetings/pending-requests';
import type { MeetingRecord, MeetingRequest, UserRef } from '../../../src/meetings/types';
import { Claims } from '../../../src/storage/claims';
import { MemoryStore } from '../../../src/storage/memory-store';

const NOW = Date.parse('2030-01-15T10:00:00Z');
const ADA: UserRef = { tenantId: 't1', aadObjectId: 'ada' };
const GRACE: UserRef = { tenantId: 't1', aadObjectId: 'grace' };
const REQUEST: MeetingRequest = {
  subject: 'Sync',
  startDateTime: '2030-01-16T10:00:00Z',
  endDateTime: '2030-01-16T10:30:00Z',
  passcode: false,
  live: false,
  attendees: [],
  locale: 'en-US',
  timeZone: 'UTC',
};

describe('PendingCompletion', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  function setUp() {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: new Writable({
        write: (c: Buffer, _e, done) => {
          lines.push(c.toString());
          done();
        },
      }),
    });
    const clock = { now: () => NOW };
    let n = 0;
    const store = new MemoryStore(clock);
    const pending = new PendingRequests(
      store,
      clock,
      { newId: () => `p${++n}` },
      new Claims({ store, clock, instanceId: 'test' }),
    );
    const execute = sandbox
      .stub()
      .resolves({ record: { meeting: { id: 'm1' } } as unknown as MeetingRecord, duplicate: false });
    const post = sandbox.stub().resolves();
    const sent: unknown[] = [];
    const completion = new PendingCompletion({
      createMeeting: { execute, accessFor: () => 'meetings' as const },
      pending,
      callers: { silent: async () => ({ mode: 'delegated', accessToken: 'token' }) },
      poster: { post },
      proactive: {
        continue: async (_ref, logic) =>
          logic({
            sendActivity: async (a: unknown) => {
              sent.push(a);
              return { id: 'x' };
            },
          } as never),
      },
      keeper: { keepForRetry: async () => undefined },
      prompter: { consentLink: () => 'https://convene.example/auth/start?t=x' },
      background: new BackgroundTasks(logger),
      clock,
      logger,
    });
    const add = (user: UserRef) =>
      pending.add({
        user,
        userName: 'n',
        request: REQUEST,
        idempotencyKey: `k-${user.aadObjectId}`,
        commandText: 'meet',
        conversation: { user: { id: '29:x' } },
      });
    return { completion, pending, execute, post, sent, lines, add };
  }

  it('completes the request the link names and reports it', async () => {
    const { completion, add, execute, post } = setUp();
    const mine = await add(ADA);
    const report = await completion.complete(ADA, mine.id);
    assert.deepEqual(report, { completed: [mine.id], notCompleted: [] });
    assert.equal(execute.firstCall.args[0].idempotencyKey, 'k-ada');
    assert.equal(post.callCount, 1);
  });

  it("leaves someone else's request untouched (not claimed) and logs what it could not complete", async () => {
    const { completion, add, pending, execute, lines } = setUp();
    const theirs = await add(GRACE);
    const report = await completion.complete(ADA, theirs.id);
    assert.deepEqual(report, { completed: [], notCompleted: [{ id: theirs.id, reason: 'other_user' }] });
    assert.equal(execute.callCount, 0);
    assert.equal((await pending.get(theirs.id))?.state, 'waiting');
    assert.ok(lines.some((l) => l.includes('sign-in completion left requests') && l.includes('other_user')));
  });

  it('tells the user a request expired instead of creating it', async () => {
    const { completion, pending, execute, sent } = setUp();
    const old = await pending.add({
      user: ADA,
      userName: 'n',
      request: REQUEST,
      idempotencyKey: 'k',
      commandText: 'meet',
      conversation: {},
    });
    sandbox.stub(pending, 'claim').resolves({ outcome: 'expired', pending: old });
    const report = await completion.complete(ADA, old.id);
    assert.deepEqual(report.notCompleted, [{ id: old.id, reason: 'expired' }]);
    assert.equal(execute.callCount, 0);
    assert.match(JSON.stringify(sent), /expired/);
  });
});
