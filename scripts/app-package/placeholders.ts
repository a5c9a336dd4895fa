/**
 * Fills the Toolkit's `${{NAME}}` placeholders the way `teamsApp/zipAppPackage` does, but refuses to produce a
 * package with a hole in it: every placeholder must have a value, and only the names in `allowEmpty` may be empty.
 */
export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Placeholders that may legitimately be empty (production has no name suffix). */
export const EMPTY_ALLOWED: readonly string[] = ['APP_NAME_SUFFIX'];

export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';
  constructor(
    readonly missing: readonly string[],
    readonly source: string,
  ) {
    super(
      `${source}: no value for ${missing.map((n) => `\${{${n}}}`).join(', ')}. ` +
        `Set ${missing.length > 1 ? 'them' : 'it'} in the environment file (provisioning fills the ids).`,
    );
  }
}

/** Names of the placeholders in `template`, in first-appearance order, without duplicates. */
export function listPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Replaces every placeholder in a JSON template. Values are inserted JSON-string-escaped, so the template must use
 * placeholders only inside string literals (as the Toolkit's manifests do).
 * @throws PlaceholderError naming every placeholder without a value.
 */
export function fillJsonPlaceholders(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
  source = 'manifest',
  allowEmpty: readonly string[] = EMPTY_ALLOWED,
): string {
  const missing = listPlaceholders(template).filter((name) => {
    const value = env[name];
    return value === undefined || (value.trim() === '' && !allowEmpty.includes(name));
  });
  if (missing.length > 0) throw new PlaceholderError(missing, source);
  return template.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(env[name] ?? '').slice(1, -1));
}
