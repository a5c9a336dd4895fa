import { strict as assert } from 'node:assert';
import { ZodError } from 'zod';
import { toOnlineMeeting } from '../../../src/graph/graph-meeting-schema';
import { codeForStatus, graphRequestError } from '../../../src/graph/graph-error-mapping';

/** Trimmed from the seed's example 4 response. */
const SEED_EXAMPLE_4 = {
  audioConferencing: {
    tollNumber: '+12525478',
    tollFreeNumber: '+18690588',
    ConferenceId: '2999',
    dialinUrl: 'https://dialin.teams.microsoft.com/22fa0?id=2999',
  },
  chatInfo: {
    threadId: '19%3A3b523985568b776357c1dd79%40thread.skype',
    messageId: '15629053',
    replyChainMessageId: null,
  },
  creationDateTime: '2019-07-11T02:17:17.6491364Z',
  startDateTime: '2019-07-11T02:17:17.6491364Z',
  endDateTime: '2019-07-11T02:47:17.651138Z',
  id: 'MSpkYzE3Njc0Yy04MWQ5LTRhFpHRTNaR1F6WGhyZWFkLnYy',
  joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_M2Iz%40thread.skype/0?context=%7b%7d',
  participants: {
    organizer: {
      identity: { user: { id: '5e72-d251', tenantId: '72fbf-86f1', displayName: 'Mario Rogers' } },
      role: 'presenter',
      upn: 'upn-value',
    },
  },
  subject: 'User meeting',
  joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: '1234567890', passcode: '123abc' },
};

describe('toOnlineMeeting()', () => {
  it("maps the seed's response, reading ConferenceId with a capital C", () => {
    const m = toOnlineMeeting(SEED_EXAMPLE_4);
    assert.equal(m.dialIn?.conferenceId, '2999');
    assert.equal(m.passcode, '123abc');
    assert.equal(m.isPasscodeRequired, true);
    assert.equal(m.joinMeetingId, '1234567890');
    assert.equal(m.chatThreadId, '19%3A3b523985568b776357c1dd79%40thread.skype');
    assert.deepEqual(m.organizer, {
      id: '5e72-d251',
      tenantId: '72fbf-86f1',
      displayName: 'Mario Rogers',
      upn: 'upn-value',
      role: 'presenter',
    });
    assert.equal(m.isBroadcast, false);
  });

  it('reads conferenceId too and turns a null passcode into undefined', () => {
    const m = toOnlineMeeting({
      ...SEED_EXAMPLE_4,
      audioConferencing: { conferenceId: '42' },
      joinMeetingIdSettings: { isPasscodeRequired: false, joinMeetingId: '1', passcode: null },
    });
    assert.equal(m.dialIn?.conferenceId, '42');
    assert.equal(m.passcode, undefined);
  });

  it('throws ZodError for a body that is not an onlineMeeting', () => {
    assert.throws(() => toOnlineMeeting({ error: { code: 'x' } }), ZodError);
  });
});

describe('codeForStatus()', () => {
  const plain = { askedLive: false, askedChannel: false };
  it('maps statuses', () => {
    assert.deepEqual(
      [429, 401, 403, 404, 400, 500, 503, 409].map((s) => codeForStatus(s, plain)),
      [
        'graph_throttled',
        'graph_forbidden',
        'graph_forbidden',
        'graph_not_found',
        'graph_bad_request',
        'graph_unavailable',
        'graph_unavailable',
        'graph_bad_request',
      ],
    );
  });
  it('reads a 400 by what the request asked for', () => {
    assert.equal(codeForStatus(400, { askedLive: true, askedChannel: false }), 'live_events_unsupported');
    assert.equal(codeForStatus(400, { askedLive: false, askedChannel: true }), 'channel_binding_refused');
  });
});

describe("graphRequestError() classifies from Graph's answer", () => {
  const channel = { askedLive: false, askedChannel: true };
  const body = (code: string, inner: Record<string, string> = {}) => ({
    error: { code, message: 'm', innerError: { 'request-id': 'rid-body', ...inner } },
  });

  it("reads Graph's code before the status and what was asked", () => {
    // A channel meeting refused for a reason that has nothing to do with the channel is not a binding refusal.
    assert.equal(graphRequestError(400, body('Forbidden'), 'rid', channel).code, 'graph_forbidden');
    assert.equal(
      graphRequestError(400, body('BadRequest', { code: 'InvalidThreadId' }), 'rid', {
        askedLive: true,
        askedChannel: true,
      }).code,
      'channel_binding_refused',
    );
    assert.equal(graphRequestError(503, body('ThrottledRequest'), 'rid', channel).code, 'graph_throttled');
    assert.equal(graphRequestError(400, body('itemNotFound'), 'rid', channel).code, 'graph_not_found');
  });

  it("falls back to the status for codes it does not know, and keeps Graph's code and the request-id", () => {
    const e = graphRequestError(400, body('BadRequest'), undefined, channel);
    assert.equal(e.code, 'channel_binding_refused');
    assert.equal(e.graphCode, 'BadRequest');
    assert.equal(e.requestId, 'rid-body');
    assert.equal(graphRequestError(400, body('BadRequest'), 'rid-header', channel).requestId, 'rid-header');
    assert.equal(graphRequestError(502, '<html>bad gateway</html>', undefined, channel).code, 'graph_unavailable');
  });
});
