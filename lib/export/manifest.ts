/**
 * Manifest helpers: the Populace version, the digest of the row hashes, and reading a manifest file with errors
 * that name the file, the line and the field (for `export --from-manifest` and uploads).
 * The manifest holds no timestamp: the export's creation time lives in the database row, so that the manifest and
 * the files are reproducible byte for byte.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../http/errors';
import { sha256Hex } from './formats';
import { manifestSchema, type ExportManifest } from './schema';

let version: string | null = null;
/** The version in package.json. */
export function populaceVersion(): string {
  if (version === null) {
    const pkg = JSON.parse(readFileSync(path.join(/* turbopackIgnore: true */ process.cwd(), 'package.json'), 'utf8')) as { version?: string };
    version = pkg.version ?? '0.0.0';
  }
  return version;
}

/** sha256 of the row hashes joined by '\n' (order matters). */
export function rowsDigest(hashes: string[]): string {
  return sha256Hex(hashes.join('\n'));
}

/** 1-based line of a character offset. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line where the value at `jsonPath` (keys and array indices) starts in a JSON text; when the path does not
 * exist, the line of its deepest existing parent. Assumes the text is valid JSON.
 */
export function jsonLineOf(text: string, jsonPath: readonly (string | number)[]): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
    }
    i++;
  };
  const readString = () => {
    const start = i;
    skipString();
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === '{') {
          skipString();
          ws();
          i++; // ':'
        }
        skipValue();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // close
        return;
      }
    }
    if (c === '"') return skipString();
    while (i < text.length && !/[,\]}\s]/.test(text[i]!)) i++;
  };
  let best = 1;
  const find = (depth: number): void => {
    ws();
    best = lineAt(text, i);
    if (depth === jsonPath.length) return;
    const key = jsonPath[depth];
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return;
      for (;;) {
        ws();
        const keyPos = i;
        const k = readString();
        ws();
        i++; // ':'
        if (k === String(key)) {
          best = lineAt(text, keyPos);
          if (depth + 1 === jsonPath.length) return;
          return find(depth + 1);
        }
        skipValue();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return;
      for (let idx = 0; ; idx++) {
        if (idx === key) return find(depth + 1);
        skipValue();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        return;
      }
    }
  };
  find(0);
  return best;
}

/** Offset of the first syntax error of a JSON text (strict grammar), or null when it is valid. */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  class Stop extends Error {}
  const fail = (): never => {
    throw new Stop();
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : null;
  } catch (e) {
    if (e instanceof Stop) return Math.min(i, text.length);
    throw e;
  }
}

/** Parses and validates a manifest; errors name the file, the line and the field. */
export function parseManifestText(text: string, file = 'manifest'): ExportManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const offset = jsonErrorOffset(text);
    const line = offset !== null ? lineAt(text, offset) : null;
    throw new AppError('invalid_manifest', `${file}${line ? `:${line}` : ''}: not valid JSON (${msg}).`, 400);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((iss) => {
      const p = iss.path.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
      return { line: jsonLineOf(text, p), field: p.join('.') || '(root)', message: iss.message };
    });
    const first = issues[0]!;
    throw new AppError(
      'invalid_manifest',
      issues.map((x) => `${file}:${x.line}: field "${x.field}": ${x.message}`).join('\n'),
      400,
      { file, line: first.line, field: first.field, issues },
    );
  }
  return parsed.data;
}

export function readManifestFile(file: string): ExportManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('unreadable_manifest', `${file}: cannot read the manifest (${(e as Error).message}).`, 400);
  }
  return parseManifestText(text, file);
}
