import assert from 'node:assert/strict';
import { clarifyCardView } from '../../../src/bot/clarify-view';

const base = {
  locale: 'en-US',
  timeZone: 'America/Los_Angeles',
  requestKey: 'k',
  requestedText: 'meet x',
  now: Date.parse('2026-03-06T17:10:00Z'),
};

describe('clarifyCardView()', () => {
  it("opens the picker on the first suggestion, in the user's zone", () => {
    const view = clarifyCardView({ reason: 'past', suggestions: ['2026-03-12T22:00:00.000Z'] }, base);
    assert.deepEqual([view.pickerDate, view.pickerTime], ['2026-03-12', '15:00']);
  });

  it('opens it on the day the text named at the next half hour when nothing is suggested', () => {
    const view = clarifyCardView(
      { reason: 'unreadable', suggestions: [], unreadable: ['25:00'], day: '2026-03-07' },
      base,
    );
    assert.deepEqual([view.pickerDate, view.pickerTime], ['2026-03-07', '09:30']);
    assert.deepEqual(view.unreadable, ['25:00']);
  });

  it('opens it today at the next half hour otherwise, and falls back to UTC for an unknown zone', () => {
    const view = clarifyCardView({ reason: 'unreadable', suggestions: [] }, { ...base, timeZone: 'Mars/Olympus' });
    assert.deepEqual([view.pickerDate, view.pickerTime], ['2026-03-06', '17:30']);
  });
});
