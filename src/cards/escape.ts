/**
 * Escaping for user text (subjects, names, the user's own command) placed in cards.
 *
 * - `md()` for fields Teams renders as markdown (TextBlock.text, Fact title/value): collapses line breaks and
 *   control characters to spaces and backslash-escapes every markdown/HTML/template special
 *   (\ ` * _ { } [ ] ( ) # ! < > & | ~ $, and a leading list marker `-`, `+`, `1.`, `1)`). CommonMark renders
 *   `\x` as `x`, so the text reads as typed;
 *   `\{\{DATE(…)\}\}` no longer matches the DATE/TIME function syntax, `\$\{…\}` is no template expression, and
 *   `\<at>`/`\&amp;` are neither HTML nor entities.
 * - `plain()` for fields rendered as plain text (action titles, input values): collapses control characters and
 *   breaks `${` and `{{` with U+200B so neither a template engine nor the DATE/TIME functions can see them.
 * - `html()` for Bot Framework hero/thumbnail card text, which Teams renders as a subset of HTML.
 */

const MARKDOWN_SPECIALS = /[\\`*_{}[\]()#!<>&|~$]/g;
const LEADING_LIST_MARKER = /^([-+]|\d+[.)])(?=\s|$)/;
// Line breaks, tabs, other C0/C1 controls, line/paragraph separators and bidi overrides (spoofing).
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** Collapses control characters and whitespace runs, trims, and cuts to `max` code points with an ellipsis. */
export function normalizeText(text: string, max = 500): string {
  const flat = text
    .replace(CONTROL, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

export function md(text: string, max?: number): string {
  return normalizeText(text, max)
    .replace(MARKDOWN_SPECIALS, (c) => `\\${c}`)
    .replace(LEADING_LIST_MARKER, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`);
}

export function plain(text: string, max?: number): string {
  return normalizeText(text, max).replace(/\$\{/g, '$\u200b{').replace(/\{\{/g, '{\u200b{');
}

export function html(text: string, max?: number): string {
  return normalizeText(text, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\$\{/g, '$\u200b{')
    .replace(/\{\{/g, '{\u200b{');
}

/** The URL when it is an absolute http(s) URL, else undefined (no `javascript:`, `data:` or relative links). */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    // Keep the exact string Graph gave us unless it holds characters a URL must not carry raw.
    return /[\s<>"{}|\\^`]/.test(url) ? parsed.href : url;
  } catch {
    // Not a URL at all: the caller omits the button.
    return undefined;
  }
}

/** `123456789012` → `123 456 789 012` (groups of three from the left); non-numeric ids are returned flattened. */
export function groupDigits(id: string): string {
  const compact = id.replace(/\s+/g, '');
  const match = /^(\d+)(#?)$/.exec(compact);
  if (!match?.[1]) return normalizeText(id, 64);
  return `${(match[1].match(/\d{1,3}/g) ?? []).join(' ')}${match[2] ?? ''}`;
}
