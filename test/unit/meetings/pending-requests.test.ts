import assert from 'node:assert/strict';
import { PendingRequests, type PendingRequest } from '../../../src/meetings/pending-requests';
import { Claims } from '../../../src/storage/claims';
import { MemoryStore } from '../../../src/storage/memory-store';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const user = { tenantId: 't1', aadObjectId: 'ada' };
const input: Omit<PendingRequest, 'id' | 'createdAt' | 'expiresAt' | 'state'> = {
  user,
  userName: 'Ada',
  request: {
    subject: 'Review',
    startDateTime: '2026-12-01T15:00:00.000Z',
    endDateTime: '2026-12-01T15:30:00.000Z',
    passcode: false,
    live: false,
    attendees: [],
    locale: 'en-US',
    timeZone: 'UTC',
  },
  idempotencyKey: 't1:ada:msg:1',
  commandText: 'meet Review tomorrow 3pm',
  conversation: {},
};

describe('PendingRequests.claim()', () => {
  let now: number;
  let store: MemoryStore;
  const clock = { now: () => now };
  let n = 0;
  const ids = { newId: () => `p${++n}` };
  const instance = (instanceId: string) =>
    new PendingRequests(store, clock, ids, new Claims({ store, clock, instanceId }));

  beforeEach(() => {
    now = NOW;
    store = new MemoryStore(clock);
  });

  it('gives a waiting request to one path only; completed, it is gone for everyone', async () => {
    const a = instance('a');
    const pending = await a.add(input);
    const [first, second] = await Promise.all([a.claim(pending.id), instance('b').claim(pending.id)]);
    assert.deepEqual([first.outcome, second.outcome].sort(), ['claimed', 'gone']);
    const winner = first.outcome === 'claimed' ? first : second;
    if (winner.outcome !== 'claimed') return;
    await a.complete(pending.id, winner.claim);
    assert.equal((await instance('c').claim(pending.id)).outcome, 'gone');
    assert.deepEqual(await a.waitingFor(user), []);
  });

  it('a request claimed by an instance that died is claimable again one lease later (issue #14 finding 3)', async () => {
    const alive = instance('alive');
    const pending = await alive.add(input);
    assert.equal((await instance('dead').claim(pending.id)).outcome, 'claimed');
    assert.equal((await alive.claim(pending.id)).outcome, 'gone', 'while its lease runs, the holder is alive');
    now += 31_000;
    const again = await alive.claim(pending.id);
    assert.equal(again.outcome, 'claimed');
    assert.deepEqual(
      (await alive.waitingFor(user)).map((p) => p.id),
      [pending.id],
      'still listed as waiting until completed',
    );
  });

  it('an expired request is claimed once as expired, so the user is told once', async () => {
    const a = instance('a');
    const pending = await a.add(input);
    now += 16 * 60_000;
    assert.equal((await a.claim(pending.id)).outcome, 'expired');
    assert.equal((await a.claim(pending.id)).outcome, 'gone');
  });
});
