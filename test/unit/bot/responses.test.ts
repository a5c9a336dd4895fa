import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  cardFailureAnswer,
  composeFailureAnswer,
  invokeErrorResponse,
  normalizeError,
  signInPageAnswer,
} from '../../../src/bot/responses';
import { createLogger } from '../../../src/logging/logger';
import { appError, ConsentRequiredError, SignInRequiredError, ValidationError } from '../../../src/meetings/errors';

const quiet = createLogger({
  level: 'silent',
  pretty: false,
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

describe('bot/responses: one error, one answer per kind of entry point', () => {
  it('card buttons: sign-in errors ask to sign in, SSO token problems fall back to the sign-in button, the rest is a notice', () => {
    assert.deepEqual(cardFailureAnswer(new SignInRequiredError(), 'en'), { kind: 'login', consent: false });
    assert.deepEqual(cardFailureAnswer(new ConsentRequiredError(), 'en'), { kind: 'login', consent: true });
    for (const code of ['sso_token_rejected', 'wrong_account'] as const) {
      const answer = cardFailureAnswer(appError(code), 'en');
      assert.equal(answer.kind, 'precondition', code);
    }
    assert.deepEqual(cardFailureAnswer(appError('not_your_request'), 'en'), { kind: 'not-your-request' });
    const binding = cardFailureAnswer(
      new ValidationError('This card is not for that meeting.', { meetingKey: 'mismatch' }),
      'en',
    );
    assert.deepEqual(binding, { kind: 'bad-request', message: 'This card is not for that meeting.' });
    const throttled = cardFailureAnswer(appError('graph_throttled'), 'ja-JP');
    assert.equal(throttled.kind, 'notice');
    assert.ok(throttled.kind === 'notice' && throttled.retryable && /Teams/.test(throttled.message));
  });

  it('compose: a rejected SSO token or the wrong account asks to sign in again; a create in progress says "press Create again"', () => {
    assert.deepEqual(composeFailureAnswer(appError('sso_token_rejected'), 'en'), { kind: 'sign-in', consent: false });
    assert.deepEqual(composeFailureAnswer(appError('wrong_account'), 'en'), { kind: 'sign-in', consent: false });
    assert.deepEqual(composeFailureAnswer(new ConsentRequiredError(), 'en'), { kind: 'sign-in', consent: true });
    const slow = composeFailureAnswer(appError('create_in_progress'), 'en');
    assert.deepEqual(slow, {
      kind: 'notice',
      message: "Teams is slow right now. Press Create again — you won't get a second meeting.",
    });
    const past = composeFailureAnswer(appError('time_in_past'), 'en');
    assert.deepEqual(past, {
      kind: 'field-errors',
      errors: { time: 'This time has already passed. Pick a time in the future.' },
    });
  });

  it("sign-in page: the code's status and its localized message; anything else is a 500 without detail", () => {
    assert.deepEqual(signInPageAnswer(appError('wrong_account'), 'en-US'), {
      status: 403,
      message: "The account you signed in with isn't the one you use in Teams. Sign in again with your Teams account.",
    });
    const invalid = signInPageAnswer(appError('sign_in_link_invalid'), 'zh-CN');
    assert.equal(invalid.status, 400);
    assert.match(invalid.message, /登录链接/);
    assert.equal(signInPageAnswer(new Error('secret detail'), 'en').status, 500);
    assert.doesNotMatch(signInPageAnswer(new Error('secret detail'), 'en').message, /secret/);
  });

  it('invokes: outages are 503, other server faults 500, client errors are left to their route', () => {
    assert.equal(invokeErrorResponse(appError('storage_unavailable'))?.status, 503);
    assert.equal(invokeErrorResponse(appError('internal'))?.status, 500);
    assert.equal(invokeErrorResponse(appError('not_your_request')), undefined);
    assert.equal(invokeErrorResponse(new Error('x')), undefined);
    assert.equal(normalizeError(new Error('x'), quiet).code, 'internal');
  });
});
