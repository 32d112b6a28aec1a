/** One post row of an import checked and mapped to the stored columns (author id, text, time, id, the rest as metadata). */
import type { PostRowInput } from '../../db/queries/posts';
import type { BadRow } from './schema';

const pick = (row: Record<string, unknown>, names: string[]): { key: string | null; value: unknown } => {
  for (const n of names) if (n in row) return { key: n, value: row[n] };
  return { key: null, value: undefined };
};

const AUTHOR = ['author_id', 'authorId', 'author', 'user_id', 'user'];
const TEXT = ['text', 'body', 'content', 'post'];
const TIME = ['time', 'timestamp', 'posted_at', 'postedAt', 'created_at', 'date'];
const ID = ['id', 'post_id', 'postId'];

/** A JSON scalar as text, or null for objects and arrays (whose String() is meaningless or even throws). */
function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

/** Validates one post row; returns the row to store or the bad-row reason. */
export function parsePostRow(row: Record<string, unknown>, line: number): PostRowInput | BadRow {
  const author = pick(row, AUTHOR);
  if (author.value === undefined || author.value === null || (scalarText(author.value) ?? 'x').trim() === '') {
    return { line, field: author.key ?? 'author_id', reason: 'the author id is missing' };
  }
  const authorText = scalarText(author.value);
  if (authorText === null) return { line, field: author.key, reason: 'the author id must be a string or a number' };
  const text = pick(row, TEXT);
  if (typeof text.value !== 'string' || text.value.trim() === '') {
    return { line, field: text.key ?? 'text', reason: text.value === undefined ? 'the text is missing' : 'the text is empty or not a string' };
  }
  const time = pick(row, TIME);
  let postedAt: string | null = null;
  if (time.value !== undefined && time.value !== null && scalarText(time.value)?.trim() !== '') {
    const raw = time.value;
    const rawText = scalarText(raw);
    if (rawText === null) return { line, field: time.key, reason: 'the time must be a string or a number' };
    const d = typeof raw === 'number' ? new Date(raw < 1e12 ? raw * 1000 : raw) : new Date(rawText);
    if (Number.isNaN(d.getTime())) return { line, field: time.key, reason: `"${rawText}" is not a date or time` };
    postedAt = d.toISOString();
  }
  const id = pick(row, ID);
  const idText = id.value === undefined || id.value === null ? null : scalarText(id.value);
  if (id.value !== undefined && id.value !== null && idText === null) return { line, field: id.key, reason: 'the id must be a string or a number' };
  const used = new Set([author.key, text.key, time.key, id.key]);
  const metaEntries = Object.entries(row).filter(([k, v]) => !used.has(k) && v !== '' && v !== undefined);
  return {
    authorExternalId: authorText.trim(),
    externalId: idText !== null && idText.trim() !== '' ? idText.trim() : `line:${line}`,
    text: text.value.trim(),
    postedAt,
    metadata: metaEntries.length ? Object.fromEntries(metaEntries) : null,
  };
}
