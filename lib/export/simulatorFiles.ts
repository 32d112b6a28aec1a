/** What the simulator writers share: their meta (norms and the set's description) and deterministic JSON and zip bytes. */
import { zipSync } from 'fflate';
import type { TraitNorms } from './personaText';

/** Everything the dataset card says besides the rows: where the set comes from, its licences and citations. */
export interface SetDescription {
  title: string;
  /** One paragraph on the set: the source (run / group / pool), the target, the selection and the weights. */
  summary: string[];
  reference: { name: string; licence: string; citation: string } | null;
  personaSources: { id: string; name: string; licence: string; citation: string; personas: number }[];
  /** Path of the methods report on the server that made the set, or null. */
  methodsReport: string | null;
}

export interface SimulatorMeta {
  version: string;
  rowsSha256: string;
  norms: TraitNorms | null;
  description: SetDescription;
}

export const enc = new TextEncoder();
export const json = (v: unknown) => enc.encode(JSON.stringify(v, null, 2) + '\n');
/** Zip entries' timestamp: fixed, so that the same set gives the same bytes. */
const ZIP_TIME = new Date(Date.UTC(2000, 0, 1));

export function zip(files: Record<string, Uint8Array>): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 6 }]> = {};
  for (const name of Object.keys(files).sort()) entries[name] = [files[name]!, { mtime: ZIP_TIME, level: 6 }];
  return zipSync(entries);
}
