import type { AdaptiveCard } from './types.js';

/**
 * A compile-once renderer for the part of the Adaptive Cards Templating language our cards use. It replaces
 * `adaptivecards-templating`, which re-interprets every `${…}` through adaptive-expressions on each render (about 8%
 * of a command's CPU in `npm run bench`) and with adaptive-expressions and antlr4ts costs tens of MB of RSS to load.
 * Supported, with the reference engine's semantics (test/unit/cards/template.test.ts compares the two):
 *
 * - `"${a.b}"` as the whole string: the raw value, any type. Undefined leaves the string `${a.b}` in place, as the
 *   engine does; null is kept in an object and dropped from an array.
 * - Text around one or more `${a.b}`: each value as `toString()` would give it, undefined ones left as `${a.b}`;
 *   null throws at render time (the engine throws a TypeError there).
 * - `$when: "${a}"` keeps the element only when the value is exactly `true` (the engine drops `1`, `"x"` and
 *   `[]` too); `$when: "${a || b}"` keeps it when any operand is neither false, null nor undefined.
 * - `$data: "${a}"`: an array repeats the element once per item, with the item as scope; anything else becomes
 *   the scope. `$when` is evaluated in that scope.
 * - The engine's shapes: an element whose `$when` drops it becomes null (dropped from arrays, kept as a property
 *   value), a repeat of one item is the item itself and of two or more an array, and arrays flatten nested arrays.
 *
 * Known difference: names are matched exactly first, then ignoring case; the engine takes the first key that
 * matches ignoring case, which differs only for data with two keys that differ only in case.
 */

/** A template outside the supported subset, thrown by compileTemplate; the message names the expression and where. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

type Scope = unknown;
type Render = (scope: Scope) => unknown;
type Read = (scope: Scope) => unknown;

/** Keys the engine strips from the output; `$when` and `$data` are handled, the others are not supported. */
const RESERVED_KEYS = new Set(['$when', '$data', '$root', '$index', '$host', '$_acTemplateVersion']);
/** `$` keys that are card schema, not templating, and pass through. */
const PASS_THROUGH_KEYS = new Set(['$schema']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Adaptive Expressions reads these as literals, not names, at the start of a path (`a.true` is a name).
const LITERAL_WORDS = new Set(['true', 'false', 'null', 'undefined']);
const SUBSET =
  'only ${name.name…} paths are supported (and ${a || b} in $when), not function calls, other operators, ' +
  'literals, indexing or $root/$index/$data';

/** One step of a path, like the engine's accessProperty: own enumerable keys of objects, else undefined. */
function property(scope: Scope, name: string, lowerName: string): unknown {
  if (typeof scope !== 'object' || scope === null) return undefined;
  const record = scope as Record<string, unknown>;
  if (Object.prototype.propertyIsEnumerable.call(record, name)) return record[name];
  for (const key of Object.keys(record)) if (key.toLowerCase() === lowerName) return record[key];
  return undefined;
}

interface Path {
  /** The path as the engine prints it when it leaves an undefined binding in place. */
  readonly text: string;
  readonly read: Read;
}

function parsePath(source: string, expression: string, where: string): Path {
  const names = source.split('.').map((part) => part.trim());
  for (const [i, name] of names.entries()) {
    if (!IDENTIFIER.test(name) || (i === 0 && LITERAL_WORDS.has(name))) {
      throw new TemplateError(`Unsupported template expression "${expression}" at ${where}: ${SUBSET}.`);
    }
  }
  const steps = names.map((name) => [name, name.toLowerCase()] as const);
  const [first, second] = steps;
  let read: Read;
  // Paths of one and two names are nearly all of them; unrolled, a read is one or two property lookups.
  if (first && steps.length === 1) read = (scope) => property(scope, first[0], first[1]);
  else if (first && second && steps.length === 2) read = (scope) => property(property(scope, first[0], first[1]), second[0], second[1]);
  else {
    read = (scope) => {
      let value = scope;
      for (const [name, lower] of steps) value = property(value, name, lower);
      return value;
    };
  }
  return { text: names.join('.'), read };
}

type Piece = string | Path;

/** Splits a string into literal text and `${…}` paths; a string without `${` is a single literal. */
function parsePieces(text: string, where: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = text;
  for (let start = rest.indexOf('${'); start >= 0; start = rest.indexOf('${')) {
    const end = rest.indexOf('}', start);
    if (end < 0) throw new TemplateError(`Unterminated template expression in "${text}" at ${where}.`);
    pieces.push(literalText(rest.slice(0, start), text, where));
    const expression = rest.slice(start, end + 1);
    pieces.push(parsePath(rest.slice(start + 2, end), expression, where));
    rest = rest.slice(end + 1);
  }
  pieces.push(literalText(rest, text, where));
  return pieces.filter((piece) => piece !== '');
}

function literalText(literal: string, text: string, where: string): string {
  // Around a binding the engine parses the whole string as an expression, where these escape or end it.
  if (/[\\`]/.test(literal)) {
    throw new TemplateError(`Backslash or backtick next to a template expression in "${text}" at ${where}: not supported.`);
  }
  return literal;
}

/** Reads the whole-string binding `${…}` of a `$when` or `$data` value, or throws. */
function directiveExpression(value: unknown, key: string, where: string): string {
  const match = typeof value === 'string' ? /^\$\{([^{}]*)\}$/.exec(value) : null;
  if (!match?.[1]) throw new TemplateError(`${key} at ${where} must be a single \${…} expression; got ${JSON.stringify(value)}.`);
  return match[1];
}

function compileWhen(value: unknown, where: string): (scope: Scope) => boolean {
  const source = directiveExpression(value, '$when', where);
  const expression = `\${${source}}`;
  const operands = source.split('||').map((operand) => parsePath(operand, expression, where).read);
  const [only] = operands;
  // The engine keeps an element only for a boolean true; `||` yields true when an operand is neither false nor
  // null/undefined (so `"" || false` is true while `""` alone is not).
  if (only && operands.length === 1) return (scope) => only(scope) === true;
  return (scope) => operands.some((read) => {
    const operand = read(scope);
    return typeof operand === 'boolean' ? operand : operand != null;
  });
}

function compileString(text: string, where: string): Render {
  if (!text.includes('${')) return () => text;
  const pieces = parsePieces(text, where);
  const [only] = pieces;
  if (only !== undefined && typeof only !== 'string' && pieces.length === 1) {
    const { read, text: path } = only;
    const unbound = `\${${path}}`;
    return (scope) => {
      const value = read(scope);
      return value === undefined ? unbound : value;
    };
  }
  return (scope) => {
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        out += piece;
        continue;
      }
      const value = piece.read(scope);
      // The engine throws here too (it calls toString() on null).
      if (value === null) throw new TemplateError(`\${${piece.text}} is null inside the text "${text}" at ${where}.`);
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the engine's toString(), "[object Object]" included.
      out += value === undefined ? `\${${piece.text}}` : String(value);
    }
    return out;
  };
}

function compileArray(items: readonly unknown[], where: string): Render {
  const renders = items.map((item, i) => compileNode(item, `${where}[${i}]`));
  return (scope) => {
    const out: unknown[] = [];
    for (const render of renders) {
      const value = render(scope);
      // Dropped elements are null; repeated ones arrive as arrays and are spliced in.
      if (value === null) continue;
      if (Array.isArray(value)) for (const item of value) out.push(item);
      else out.push(value);
    }
    return out;
  };
}

function compileObject(node: Readonly<Record<string, unknown>>, where: string): Render {
  const fields: Array<readonly [string, Render]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('$') && !PASS_THROUGH_KEYS.has(key) && key !== '$when' && key !== '$data') {
      const kind = RESERVED_KEYS.has(key) ? 'a templating key that is not supported' : 'an unknown $ key';
      throw new TemplateError(`${key} at ${where} is ${kind}.`);
    }
    // The engine leaves out undefined values and the directives.
    if (value === undefined || key === '$when' || key === '$data') continue;
    fields.push([key, compileNode(value, `${where}.${key}`)]);
  }
  const build = (scope: Scope): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, render] of fields) out[key] = render(scope);
    return out;
  };

  const when = '$when' in node ? compileWhen(node.$when, `${where}.$when`) : undefined;
  if (!('$data' in node)) return when ? (scope) => (when(scope) ? build(scope) : null) : build;

  const dataWhere = `${where}.$data`;
  const source = directiveExpression(node.$data, '$data', dataWhere);
  const { read, text: path } = parsePath(source, `\${${source}}`, dataWhere);
  const unbound = `\${${path}}`;
  return (scope) => {
    // Like a whole-string binding: an undefined value becomes the text `${path}`, and that string the scope.
    const value = read(scope);
    const context = value === undefined ? unbound : value;
    if (!Array.isArray(context)) return !when || when(context) ? build(context) : null;
    const out: unknown[] = [];
    let itemScope = scope;
    for (const item of context as readonly unknown[]) {
      // An undefined item keeps the previous scope, as in the engine.
      if (item !== undefined) itemScope = item;
      if (!when || when(itemScope)) out.push(build(itemScope));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

function compileNode(node: unknown, where: string): Render {
  if (typeof node === 'string') return compileString(node, where);
  if (Array.isArray(node)) return compileArray(node, where);
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>, where);
  return () => node;
}

/**
 * Compiles an Adaptive Card template once (call at module load) and returns its renderer, which only reads
 * properties and builds objects. Throws TemplateError when the template uses anything outside the subset above.
 * Data must define every field the template binds (an undefined `${x}` is left in the card, as the reference
 * engine does; the card tests check no `${` survives) and must already be escaped: values are never re-evaluated.
 */
export function compileTemplate<TData extends object>(template: AdaptiveCard): (data: TData) => AdaptiveCard {
  const render = compileNode(template, 'card');
  return (data: TData) => render(data) as AdaptiveCard;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
