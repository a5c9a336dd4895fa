import assert from 'node:assert/strict';
import { parseCommand } from '../../../src/meetings/command-parser';
import { PHRASES } from '../../fixtures/phrases';

describe('parseCommand()', () => {
  it('has a corpus of at least 150 hand-written phrases in English, Chinese and Japanese', () => {
    assert.ok(PHRASES.length >= 150, `only ${PHRASES.length} phrases`);
  });

  for (const [i, phrase] of PHRASES.entries()) {
    it(`#${i + 1} ${JSON.stringify(phrase.text)} (${phrase.timeZone}, ${phrase.locale}, now ${phrase.now})`, () => {
      const actual = parseCommand(phrase.text, {
        now: Date.parse(phrase.now),
        timeZone: phrase.timeZone,
        locale: phrase.locale,
      });
      if (actual.kind === 'invalid') {
        // The message is English log text; the contract is the reason.
        assert.equal(typeof actual.message, 'string');
        assert.ok(actual.message.length > 0);
        const { message: _message, ...rest } = actual;
        assert.deepEqual(rest, phrase.expected);
      } else {
        assert.deepEqual(actual, phrase.expected);
      }
    });
  }

  it('never throws and returns a known kind for odd input', () => {
    const kinds = new Set(['help', 'signout', 'create', 'clarify', 'invalid', 'unknown']);
    for (const text of [
      '<at></at>',
      'meet <at>x',
      'meet for',
      'meet 99:99',
      '会议 ',
      'meet at',
      '   ',
      'meet \u0000',
    ]) {
      const result = parseCommand(text, { now: Date.parse('2026-03-06T17:00:00Z'), timeZone: 'UTC', locale: 'en-US' });
      assert.ok(kinds.has(result.kind), `${text} → ${result.kind}`);
    }
  });
});
