/**
 * A small reader for the Toolkit's env files (env/.env.<name>): `KEY=value` lines, `#` comments, optional single
 * or double quotes, `export ` prefixes tolerated. No variable expansion, like the Toolkit's own env files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type EnvValues = Readonly<Record<string, string>>;

export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/** Parses env-file text; throws EnvFileError naming the line for anything that is not a comment or KEY=value. */
export function parseEnvFile(text: string, source = 'env file'): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    const m = LINE.exec(raw);
    if (!m) throw new EnvFileError(`${source}:${i + 1}: expected KEY=value, got "${raw.trim()}"`);
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) {
      value = quoted[1] === '"' ? (quoted[2] ?? '').replace(/\\n/g, '\n').replace(/\\"/g, '"') : (quoted[2] ?? '');
    } else {
      value = value.replace(/\s+#.*$/, ''); // trailing comment after an unquoted value
    }
    out[m[1]!] = value;
  });
  return out;
}

/** Reads env/.env.<envName> under `root`; a missing file is an EnvFileError naming the path. */
export function loadEnvFile(root: string, envName: string): Record<string, string> {
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) throw new EnvFileError(`invalid environment name "${envName}"`);
  const path = join(root, 'env', `.env.${envName}`);
  if (!existsSync(path)) throw new EnvFileError(`environment file not found: ${path}`);
  return parseEnvFile(readFileSync(path, 'utf8'), path);
}
