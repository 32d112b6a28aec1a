/**
 * Differences between two exports, from their manifests: personas added (in B only), removed (in A only),
 * reweighted (in both, |w_B - w_A| > 1e-9) and recounted (selection multiplicity changed); rows whose content
 * hash changed are listed too (same persona, different text, scores or status).
 */
import type { ExportManifest } from './schema';

export const REWEIGHT_TOLERANCE = 1e-9;

export interface ExportDiff {
  added: { personaId: number; weight: number; count: number }[];
  removed: { personaId: number; weight: number; count: number }[];
  reweighted: { personaId: number; from: number; to: number; delta: number }[];
  recounted: { personaId: number; from: number; to: number }[];
  changedContent: number[];
  unchanged: number;
  summary: string;
}

export function diffManifests(a: Pick<ExportManifest, 'rows'>, b: Pick<ExportManifest, 'rows'>): ExportDiff {
  const byA = new Map(a.rows.map((r) => [r.personaId, r]));
  const byB = new Map(b.rows.map((r) => [r.personaId, r]));
  const added = b.rows.filter((r) => !byA.has(r.personaId)).map(({ personaId, weight, count }) => ({ personaId, weight, count }));
  const removed = a.rows.filter((r) => !byB.has(r.personaId)).map(({ personaId, weight, count }) => ({ personaId, weight, count }));
  const reweighted: ExportDiff['reweighted'] = [];
  const recounted: ExportDiff['recounted'] = [];
  const changedContent: number[] = [];
  let unchanged = 0;
  for (const ra of a.rows) {
    const rb = byB.get(ra.personaId);
    if (!rb) continue;
    let same = true;
    if (Math.abs(rb.weight - ra.weight) > REWEIGHT_TOLERANCE) {
      reweighted.push({ personaId: ra.personaId, from: ra.weight, to: rb.weight, delta: rb.weight - ra.weight });
      same = false;
    }
    if (rb.count !== ra.count) {
      recounted.push({ personaId: ra.personaId, from: ra.count, to: rb.count });
      same = false;
    }
    if (same && rb.sha256 !== ra.sha256) {
      changedContent.push(ra.personaId);
      same = false;
    }
    if (same) unchanged++;
  }
  reweighted.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.personaId - y.personaId);
  const summary = `${added.length} added, ${removed.length} removed, ${reweighted.length} reweighted, ${recounted.length} recounted, ${changedContent.length} changed in content, ${unchanged} unchanged`;
  return { added, removed, reweighted, recounted, changedContent, unchanged, summary };
}
