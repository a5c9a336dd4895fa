import {
  ADAPTIVE_CARD_SCHEMA,
  type ActionData,
  type ActionSet,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  type Container,
  type ExecuteAction,
  type Fact,
  type FactSet,
  type NestedCard,
  type OpenUrlAction,
  type ShowCardAction,
  type SubmitAction,
  type TextBlock,
} from './types';

/**
 * Small builders for the elements Convene's cards repeat. Each takes the required parts as arguments and the rest
 * as an options object typed from the element, so options are checked like a literal element would be. Callers
 * pass only options they mean: a key set to `undefined` would still appear in the card object.
 */

type Options<T, K extends keyof T> = Omit<T, 'type' | K>;

export function textBlock(text: string, options: Options<TextBlock, 'text'> = {}): TextBlock {
  return { type: 'TextBlock', text, ...options };
}

export function fact(title: string, value: string): Fact {
  return { title, value };
}

export function factSet(facts: readonly Fact[], options: Options<FactSet, 'facts'> = {}): FactSet {
  return { type: 'FactSet', facts, ...options };
}

export function container(items: readonly CardElement[], options: Options<Container, 'items'> = {}): Container {
  return { type: 'Container', ...options, items };
}

export function actionSet(actions: readonly CardAction[], options: Options<ActionSet, 'actions'> = {}): ActionSet {
  return { type: 'ActionSet', actions, ...options };
}

export function openUrl(
  title: string,
  url: string,
  options: Options<OpenUrlAction, 'title' | 'url'> = {},
): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url, ...options };
}

export function submit(
  title: string,
  data: ActionData,
  options: Options<SubmitAction, 'title' | 'data'> = {},
): SubmitAction {
  return { type: 'Action.Submit', title, data, ...options };
}

/**
 * An Action.Execute with the Action.Submit fallback that clients without Universal Actions need: the same title,
 * and the data with `verb` added, since an Action.Submit carries no verb of its own.
 */
export function execute(
  verb: string,
  title: string,
  data: ActionData,
  options: Omit<ExecuteAction, 'type' | 'verb' | 'title' | 'data' | 'fallback'> = {},
): ExecuteAction {
  return { type: 'Action.Execute', title, verb, data, ...options, fallback: submit(title, { ...data, verb }) };
}

export function showCard(title: string, body: readonly CardElement[], actions: readonly CardAction[]): ShowCardAction {
  const card: NestedCard = { type: 'AdaptiveCard', body, actions };
  return { type: 'Action.ShowCard', title, card };
}

/** A version 1.5 card; `parts` carries the optional card properties (fallbackText, refresh, actions, …). */
export function adaptiveCard(
  body: readonly CardElement[],
  parts: Omit<AdaptiveCard, 'type' | '$schema' | 'version' | 'body'> = {},
): AdaptiveCard {
  const { actions, ...head } = parts;
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: '1.5', ...head, body };
  return actions ? { ...card, actions } : card;
}

/** The card's size as Teams counts it: UTF-8 bytes of its JSON. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
