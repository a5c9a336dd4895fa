import assert from 'node:assert/strict';
import { PARTNER_TENANT_ID } from '../../../emulators/fixtures';
import {
  LINUS,
  completeSignInLink,
  messageActivity,
  signInLinkFrom,
  startHarness,
  type Harness,
} from '../../support/harness';

const isMeetingCard = (a: Record<string, unknown>) => JSON.stringify(a).includes('meetup-join');

/**
 * Issue #14 finding 6: a B2B guest (Linus, home tenant PARTNER_TENANT_ID) signs in to the resource tenant. Entra keys
 * the account by the home tenant (client_info), while Teams reports the guest by the resource tenant.
 */
describe('a B2B guest signing in by link', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { TEAMS_SSO: 'false' } });
  });
  after(async () => h.close());

  it('the waiting meeting is created after the link sign-in, and the next command needs no sign-in', async () => {
    await h.post(messageActivity(h, 'meet partner sync tomorrow 10am', { user: LINUS }));
    const prompt = await h.connector.waitForMessage((c) => signInLinkFrom(c.activity) !== undefined);
    const link = signInLinkFrom(prompt.activity)!;
    const done = await completeSignInLink(link, LINUS);
    assert.equal(done.status, 200, done.page.slice(0, 300));
    // The callback's client_info names the home account, as Entra's does for a guest.
    const info = JSON.parse(
      Buffer.from(new URL(done.callbackUrl!).searchParams.get('client_info') ?? '', 'base64url').toString(),
    ) as { uid: string; utid: string };
    assert.deepEqual(info, { uid: LINUS.home!.objectId, utid: PARTNER_TENANT_ID });
    await h.connector.waitForMessage(
      (c) => isMeetingCard(c.activity) && JSON.stringify(c.activity).includes('partner sync'),
    );

    h.connector.reset();
    await h.post(messageActivity(h, 'meet partner follow-up tomorrow 2pm', { user: LINUS }));
    const next = await h.connector.waitForMessage(
      (c) => isMeetingCard(c.activity) || signInLinkFrom(c.activity) !== undefined,
    );
    assert.ok(isMeetingCard(next.activity), 'a token silently: no second sign-in prompt');
    assert.equal(h.graph.meetings.filter((m) => /partner/.test(m.subject ?? '')).length, 2);
  });
});
