/** Reading a stored JSON column: its value parsed with its schema, or an error naming where it does not fit. */
import type { z } from 'zod';

/**
 * Parses a stored JSON value with its schema; a value that does not fit (written by another version, or edited by
 * hand) is an error naming the table, the row and the column.
 */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown, where: { table: string; id: number | string; column: string }): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new Error(`${where.table} ${where.id}: the stored ${where.column} does not have the expected shape${at}: ${issue?.message ?? 'invalid'}.`);
}
