import { strict as assert } from 'node:assert';
import * as AC from 'adaptivecards';
import {
  actionSet,
  adaptiveCard,
  cardBytes,
  container,
  execute,
  fact,
  factSet,
  openUrl,
  showCard,
  submit,
  textBlock,
} from '../../../src/cards/builders';
import type {
  AdaptiveCard,
  CardElement,
  ColumnSet,
  InputChoiceSet,
  TextBlock,
  ToggleVisibilityAction,
} from '../../../src/cards/index';

/** The adaptivecards library's parse and validation messages for a card (none for a valid 1.5 card). */
function problems(json: AdaptiveCard): string[] {
  const context = new AC.SerializationContext();
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) events.push(e.message);
  return events;
}

const columns: ColumnSet = {
  type: 'ColumnSet',
  columns: [
    { type: 'Column', width: 'auto', items: [textBlock('left', { fontType: 'monospace' })] },
    {
      type: 'Column',
      width: 2,
      verticalContentAlignment: 'center',
      items: [textBlock('right', { horizontalAlignment: 'right' })],
    },
  ],
};
const choices: InputChoiceSet = {
  type: 'Input.ChoiceSet',
  id: 'who',
  label: 'Who',
  style: 'filtered',
  isMultiSelect: true,
  choices: [
    { title: 'Ana', value: 'a' },
    { title: 'Bo', value: 'b' },
  ],
};
const toggle: ToggleVisibilityAction = {
  type: 'Action.ToggleVisibility',
  title: 'More',
  targetElements: ['more', { elementId: 'less', isVisible: false }],
};

/** A card using every element and action type the types describe. */
function everyPart(): AdaptiveCard {
  const body: CardElement[] = [
    textBlock('Title', { style: 'heading', size: 'large', weight: 'bolder', color: 'accent', wrap: true, maxLines: 2 }),
    factSet([fact('Organizer', 'Ana')], { spacing: 'small' }),
    container([textBlock('more', { id: 'more', isVisible: false })], {
      style: 'emphasis',
      bleed: true,
      minHeight: '40px',
    }),
    container([textBlock('less', { id: 'less' })], { selectAction: openUrl('Open', 'https://example.com/x') }),
    columns,
    actionSet([openUrl('Join', 'https://example.com/j', { style: 'positive' }), toggle]),
    { type: 'Input.Text', id: 'subject', label: 'Subject', maxLength: 255, style: 'text', isMultiline: true },
    {
      type: 'Input.Date',
      id: 'date',
      label: 'Date',
      value: '2026-03-10',
      min: '2026-01-01',
      isRequired: true,
      errorMessage: 'Required',
    },
    { type: 'Input.Time', id: 'time', value: '15:00', max: '23:59' },
    { type: 'Input.Number', id: 'minutes', value: 30, min: 5, max: 1440 },
    { type: 'Input.Toggle', id: 'live', title: 'Live', value: 'false', valueOn: 'true', valueOff: 'false', wrap: true },
    choices,
  ];
  return adaptiveCard(body, {
    fallbackText: 'A card',
    refresh: { action: { type: 'Action.Execute', verb: 'refresh', data: { k: 1 } }, userIds: ['29:a'] },
    msteams: { width: 'Full' },
    actions: [
      execute('save', 'Save', { k: 1 }, { style: 'positive', associatedInputs: 'auto' }),
      submit('Send', { nonce: 'n' }),
      showCard('Details', [textBlock('inside')], [execute('ok', 'OK', { k: 2 })]),
    ],
  });
}

describe('card types and builders', () => {
  it('describe Adaptive Card 1.5 as the adaptivecards library reads it: a card with every part parses cleanly', () => {
    const card = everyPart();
    assert.deepEqual(problems(card), []);
    assert.ok(cardBytes(card) < 28 * 1024);
  });

  it('execute() gives the Action.Submit fallback the same title and the data plus the verb', () => {
    assert.deepEqual(execute('retry', 'Retry', { requestKey: 'k' }, { style: 'positive' }), {
      type: 'Action.Execute',
      title: 'Retry',
      verb: 'retry',
      data: { requestKey: 'k' },
      style: 'positive',
      fallback: { type: 'Action.Submit', title: 'Retry', data: { requestKey: 'k', verb: 'retry' } },
    });
  });

  it('adaptiveCard() leaves out actions that were not given', () => {
    const card = adaptiveCard([textBlock('x')]);
    assert.deepEqual(Object.keys(card), ['type', '$schema', 'version', 'body']);
  });

  it('reject a misspelt property or a wrong enum value at compile time (tsc checks the @ts-expect-error lines)', () => {
    // Each line below must fail to compile; if a type loosened, `@ts-expect-error` itself fails `npm run typecheck`.
    // @ts-expect-error `heigth` is not a TextBlock property.
    const misspelt: TextBlock = { type: 'TextBlock', text: 'x', heigth: 'auto' };
    // @ts-expect-error `huge` is not a text size.
    const wrongSize = textBlock('x', { size: 'huge' });
    // @ts-expect-error an Input.Number value is a number, not text.
    const textNumber: CardElement = { type: 'Input.Number', id: 'n', value: '30' };
    // @ts-expect-error Action.ShowCard cannot be a select action.
    const showCardSelect = container([], { selectAction: showCard('x', [], []) });
    // @ts-expect-error cards are version 1.5.
    const wrongVersion: AdaptiveCard = { ...adaptiveCard([]), version: '1.6' };
    // What compiled anyway (through the expected errors) is still only data.
    for (const value of [misspelt, wrongSize, textNumber, showCardSelect, wrongVersion])
      assert.equal(typeof value, 'object');
  });
});
