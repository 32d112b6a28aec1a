/** The workspace overview shown on the first screen and used by the health check. */
import { databaseFile, getDb, type Db } from '../../db/client';
import {
  countBaselinesBySource,
  countPersonasBySourceAndStatus,
  countTables,
  listInstrumentsWithCounts,
  listRecentAlignmentRuns,
  listReferenceSetsWithCounts,
  readConnectionSettings,
} from '../../db/queries/overview';
import { personaStatuses, type PersonaStatus } from '../../db/schema';

export interface SourceRow {
  sourceId: string;
  sourceName: string;
  licence: string;
  byStatus: Record<PersonaStatus, number>;
  total: number;
}

export function getWorkspaceOverview(db: Db = getDb()) {
  const rows = countPersonasBySourceAndStatus({ db });
  const bySource = new Map<string, SourceRow>();
  const statusTotals = Object.fromEntries(personaStatuses.map((s) => [s, 0])) as Record<PersonaStatus, number>;
  for (const r of rows) {
    let entry = bySource.get(r.sourceId);
    if (!entry) {
      entry = {
        sourceId: r.sourceId,
        sourceName: r.sourceName,
        licence: r.licence,
        byStatus: Object.fromEntries(personaStatuses.map((s) => [s, 0])) as Record<PersonaStatus, number>,
        total: 0,
      };
      bySource.set(r.sourceId, entry);
    }
    entry.byStatus[r.status] += r.n;
    entry.total += r.n;
    statusTotals[r.status] += r.n;
  }
  const sources = [...bySource.values()];
  return {
    personas: {
      total: sources.reduce((a, s) => a + s.total, 0),
      byStatus: statusTotals,
      bySource: sources,
    },
    references: listReferenceSetsWithCounts({ db }),
    instruments: listInstrumentsWithCounts({ db }),
    baselines: countBaselinesBySource({ db }),
    alignmentRuns: listRecentAlignmentRuns({ db }),
  };
}
export type WorkspaceOverview = ReturnType<typeof getWorkspaceOverview>;

/**
 * Database status and table counts for GET /api/health. The database file's path is a server detail, included
 * only with `details` (the route sets it for admins and on a loopback server).
 */
export function getHealth(db: Db = getDb(), { details = false }: { details?: boolean } = {}) {
  const started = performance.now();
  const counts = countTables({ db });
  const { journalMode, foreignKeys } = readConnectionSettings({ db });
  return {
    status: 'ok' as const,
    database: {
      ...(details ? { file: databaseFile(db) } : {}),
      journalMode,
      foreignKeys,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    },
    counts,
  };
}
