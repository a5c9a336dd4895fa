import { Template } from 'adaptivecards-templating';
import type { AdaptiveCard } from './types.js';

/**
 * Compiles an Adaptive Card template once (call at module load) and returns its expander. Data must define every
 * field the template binds (the engine leaves an undefined `${x}` in place) and must already be escaped.
 */
export function compileTemplate<TData extends object>(template: AdaptiveCard): (data: TData) => AdaptiveCard {
  const compiled = new Template(template);
  return (data: TData) => compiled.expand({ $root: data }) as AdaptiveCard;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
