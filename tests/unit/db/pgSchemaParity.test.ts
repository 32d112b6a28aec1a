/**
 * The PostgreSQL schema (db/pg/schema.ts) mirrors the SQLite one (db/schema.ts): the same tables under the same
 * export names, the same columns with compatible types, nullability, defaults, keys, unique constraints, indexes and
 * foreign keys, and the same TypeScript row types. Read from drizzle's table configs; no server needed.
 */
import { is, type Column } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pgSchema from '@/db/pg/schema';
import * as sqliteSchema from '@/db/schema';

const sqliteTables = (Object.entries(sqliteSchema) as [string, unknown][]).filter((e): e is [string, SQLiteTable] => is(e[1], SQLiteTable));
const pgTables = new Map((Object.entries(pgSchema) as [string, unknown][]).filter((e): e is [string, PgTable] => is(e[1], PgTable)));

/** The PostgreSQL column types each SQLite column type may become. */
const TYPE_MAP: Record<string, string[]> = {
  SQLiteInteger: ['PgInteger', 'PgBigInt53'],
  SQLiteBoolean: ['PgBoolean'],
  SQLiteReal: ['PgDoublePrecision'],
  SQLiteText: ['PgText'],
  SQLiteTextJson: ['PgJsonb', 'PgJson'],
  SQLiteBlobBuffer: ['PgCustomColumn'],
};

/** The JSON columns stored as json (text kept as written) rather than jsonb: the export manifest, downloaded and hashed. */
const JSON_TEXT_COLUMNS = ['exports.manifest'];

/** The integer columns stored as bigint: epoch milliseconds, and job progress sums that grow with a job's size. */
const BIGINT_COLUMNS = [
  'job_units.finished_at',
  'job_units.heartbeat_at',
  'job_units.lease_expires_at',
  'jobs.done',
  'jobs.failures',
  'jobs.total',
];

const sqlText = (c: Column) => (c as unknown as { getSQLType(): string }).getSQLType();
const isAutoIncrement = (c: Column) => 'autoIncrement' in c && c.autoIncrement === true;
/** A default as comparable data: literal values as they are, SQL expressions as 'sql'. */
const defaultOf = (c: Column) => (!c.hasDefault ? undefined : c.default !== null && typeof c.default === 'object' ? 'sql' : c.default);

function describeColumn(c: Column) {
  return {
    name: c.name,
    notNull: c.notNull,
    primary: c.primary,
    default: defaultOf(c),
    isUnique: c.isUnique,
    uniqueName: c.uniqueName,
    enumValues: c.enumValues,
    autoIncrement: isAutoIncrement(c) || c.generatedIdentity?.type === 'byDefault',
  };
}

const columnNames = (cols: (Column | unknown)[]) => cols.map((c) => (c as Column).name);

describe('PostgreSQL schema parity with the SQLite schema', () => {
  it('has the same tables under the same export names, and nothing else', () => {
    expect(sqliteTables.length).toBeGreaterThan(20);
    expect([...pgTables.keys()].sort()).toEqual(sqliteTables.map(([key]) => key).sort());
    for (const [key, table] of sqliteTables) expect(pgTableConfig(pgTables.get(key)!).name, key).toBe(sqliteTableConfig(table).name);
  });

  it.each(sqliteTables.map(([key, table]) => [sqliteTableConfig(table).name, key, table] as const))(
    '%s: same columns, types, nullability, defaults and keys',
    (name, key, table) => {
      const lite = sqliteTableConfig(table);
      const pg = pgTableConfig(pgTables.get(key)!);
      expect(pg.columns.map((c) => c.name)).toEqual(lite.columns.map((c) => c.name));
      for (const lc of lite.columns) {
        const pc = pg.columns.find((c) => c.name === lc.name)!;
        const where = `${name}.${lc.name}`;
        expect(describeColumn(pc), where).toEqual(describeColumn(lc));
        expect(TYPE_MAP[lc.columnType], `${where}: ${lc.columnType}`).toContain(pc.columnType);
        if (pc.columnType === 'PgCustomColumn') expect(sqlText(pc), where).toBe('bytea');
        expect(pc.columnType === 'PgBigInt53', `${where} is bigint`).toBe(BIGINT_COLUMNS.includes(where));
        expect(pc.columnType === 'PgJson', `${where} is json`).toBe(JSON_TEXT_COLUMNS.includes(where));
        expect(pc.generated, `${where} is not generated`).toBeUndefined();
      }
      const indexes = (cfg: typeof lite | typeof pg) =>
        cfg.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique, columns: columnNames(i.config.columns) })).sort((a, b) => a.name!.localeCompare(b.name!));
      expect(indexes(pg)).toEqual(indexes(lite));
      const fks = (cfg: typeof lite | typeof pg) =>
        cfg.foreignKeys
          .map((fk) => {
            const r = fk.reference();
            const foreign = is(r.foreignTable, PgTable) ? pgTableConfig(r.foreignTable).name : sqliteTableConfig(r.foreignTable as SQLiteTable).name;
            return { columns: columnNames(r.columns), foreignTable: foreign, foreignColumns: columnNames(r.foreignColumns), onDelete: fk.onDelete ?? 'no action', onUpdate: fk.onUpdate ?? 'no action' };
          })
          .sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
      expect(fks(pg)).toEqual(fks(lite));
      const pks = (cfg: typeof lite | typeof pg) => cfg.primaryKeys.map((pk) => columnNames(pk.columns));
      expect(pks(pg)).toEqual(pks(lite));
      const uniques = (cfg: typeof lite | typeof pg) => cfg.uniqueConstraints.map((u) => ({ name: u.name, columns: columnNames(u.columns) }));
      expect(uniques(pg)).toEqual(uniques(lite));
    },
  );

  it('maps the column types the SQLite schema uses, and only those', () => {
    const used = new Set(sqliteTables.flatMap(([, t]) => sqliteTableConfig(t).columns.map((c) => c.columnType)));
    expect([...used].sort()).toEqual(Object.keys(TYPE_MAP).sort());
  });

  it('gives every table the same TypeScript row type (checked by the typecheck)', () => {
    type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];
    expectTypeOf<Row<typeof pgSchema.sources>>().toEqualTypeOf<Row<typeof sqliteSchema.sources>>();
    expectTypeOf<Row<typeof pgSchema.authors>>().toEqualTypeOf<Row<typeof sqliteSchema.authors>>();
    expectTypeOf<Row<typeof pgSchema.posts>>().toEqualTypeOf<Row<typeof sqliteSchema.posts>>();
    expectTypeOf<Row<typeof pgSchema.personas>>().toEqualTypeOf<Row<typeof sqliteSchema.personas>>();
    expectTypeOf<Row<typeof pgSchema.personaPosts>>().toEqualTypeOf<Row<typeof sqliteSchema.personaPosts>>();
    expectTypeOf<Row<typeof pgSchema.instruments>>().toEqualTypeOf<Row<typeof sqliteSchema.instruments>>();
    expectTypeOf<Row<typeof pgSchema.instrumentItems>>().toEqualTypeOf<Row<typeof sqliteSchema.instrumentItems>>();
    expectTypeOf<Row<typeof pgSchema.itemResponses>>().toEqualTypeOf<Row<typeof sqliteSchema.itemResponses>>();
    expectTypeOf<Row<typeof pgSchema.traitScores>>().toEqualTypeOf<Row<typeof sqliteSchema.traitScores>>();
    expectTypeOf<Row<typeof pgSchema.referenceSets>>().toEqualTypeOf<Row<typeof sqliteSchema.referenceSets>>();
    expectTypeOf<Row<typeof pgSchema.referenceRespondents>>().toEqualTypeOf<Row<typeof sqliteSchema.referenceRespondents>>();
    expectTypeOf<Row<typeof pgSchema.norms>>().toEqualTypeOf<Row<typeof sqliteSchema.norms>>();
    expectTypeOf<Row<typeof pgSchema.baselineResponses>>().toEqualTypeOf<Row<typeof sqliteSchema.baselineResponses>>();
    expectTypeOf<Row<typeof pgSchema.targets>>().toEqualTypeOf<Row<typeof sqliteSchema.targets>>();
    expectTypeOf<Row<typeof pgSchema.groups>>().toEqualTypeOf<Row<typeof sqliteSchema.groups>>();
    expectTypeOf<Row<typeof pgSchema.jobs>>().toEqualTypeOf<Row<typeof sqliteSchema.jobs>>();
    expectTypeOf<Row<typeof pgSchema.jobUnits>>().toEqualTypeOf<Row<typeof sqliteSchema.jobUnits>>();
    expectTypeOf<Row<typeof pgSchema.alignmentRuns>>().toEqualTypeOf<Row<typeof sqliteSchema.alignmentRuns>>();
    expectTypeOf<Row<typeof pgSchema.reasonCodes>>().toEqualTypeOf<Row<typeof sqliteSchema.reasonCodes>>();
    expectTypeOf<Row<typeof pgSchema.reviewDecisions>>().toEqualTypeOf<Row<typeof sqliteSchema.reviewDecisions>>();
    expectTypeOf<Row<typeof pgSchema.exports>>().toEqualTypeOf<Row<typeof sqliteSchema.exports>>();
    expectTypeOf<Row<typeof pgSchema.exportFiles>>().toEqualTypeOf<Row<typeof sqliteSchema.exportFiles>>();
    expectTypeOf<Row<typeof pgSchema.auditLog>>().toEqualTypeOf<Row<typeof sqliteSchema.auditLog>>();
    expectTypeOf<Row<typeof pgSchema.llmCalls>>().toEqualTypeOf<Row<typeof sqliteSchema.llmCalls>>();
    expectTypeOf<Row<typeof pgSchema.meta>>().toEqualTypeOf<Row<typeof sqliteSchema.meta>>();
    expectTypeOf<Row<typeof pgSchema.users>>().toEqualTypeOf<Row<typeof sqliteSchema.users>>();
    expectTypeOf<Row<typeof pgSchema.sessions>>().toEqualTypeOf<Row<typeof sqliteSchema.sessions>>();
    // one row type per table above: the list is complete
    expect(pgTables.size).toBe(27);
  });
});
