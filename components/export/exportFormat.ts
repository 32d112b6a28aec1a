/**
 * How the exports screen words things: format labels and names, counts, the weight normalisation, the Set and From
 * columns; and the types of an export in the list and of a diff.
 */
import { EXPORT_FORMATS } from '@/lib/export/schema';

export interface ExportListItem {
  id: number;
  runId: number | null;
  format: string;
  createdAt: string;
  /** The signed-in user who made it (null without sign-in). */
  createdBy: string | null;
  /** Whether the current user may delete it (owner, admin, or loopback). */
  mayDelete: boolean;
  source: { kind: string; run: { id: number; name: string } | null; group: { id: number; name: string } | null };
  set: string;
  selection: { k: number; distinct: number; unique: boolean; seed: number | null; method: string };
  /** Rows, distinct personas, draws and how the weights are normalised (null for exports made before the manifest said). */
  summary: { rows: number; distinct: number; draws: number; selection: string; normalisation: string; statement: string } | null;
  rows: number;
  rowsSha256: string;
  files: Record<string, { sha256: string; bytes: number }>;
  /** The run's methods report (HTML), or null. */
  methodsReport: string | null;
}

export interface DiffResult {
  summary: string;
  added: { personaId: number; weight: number; count: number }[];
  removed: { personaId: number; weight: number; count: number }[];
  reweighted: { personaId: number; from: number; to: number; delta: number }[];
  recounted: { personaId: number; from: number; to: number }[];
}

export const FORMAT_LABELS: Record<(typeof EXPORT_FORMATS)[number], string> = {
  jsonl: 'JSONL (one JSON object per line)',
  csv: 'CSV (spreadsheet-safe)',
  parquet: 'Parquet',
  tinytroupe: 'TinyTroupe agents (zip of *.agent.json)',
  'oasis-twitter': 'OASIS Twitter users (CSV)',
  'oasis-reddit': 'OASIS Reddit users (JSON)',
  prompts: 'Agent system prompts (JSONL, any framework)',
  'hf-dataset': 'Hugging Face dataset folder (zip: Parquet + dataset card)',
};
export const FORMAT_NAMES: Record<(typeof EXPORT_FORMATS)[number], string> = {
  jsonl: 'JSONL',
  csv: 'CSV',
  parquet: 'Parquet',
  tinytroupe: 'TinyTroupe',
  'oasis-twitter': 'OASIS Twitter',
  'oasis-reddit': 'OASIS Reddit',
  prompts: 'agent prompts',
  'hf-dataset': 'Hugging Face dataset',
};
export const TABLE_FORMATS = EXPORT_FORMATS.slice(0, 3);
export const SIMULATOR_FORMATS = EXPORT_FORMATS.slice(3);

export const number = new Intl.NumberFormat('en-US');
export const count = (n: number, one: string, many = `${one}s`) => `${number.format(n)} ${n === 1 ? one : many}`;

/** The weight normalisation in a few words, for the result line and the list. */
export function describeNormalisation(normalisation: string): string {
  switch (normalisation) {
    case 'recalibrated':
      return 'weights re-calibrated to the target, summing to 1 over the rows';
    case 'horvitz-thompson':
      return 'Horvitz-Thompson weights, summing to 1 over the rows';
    case 'draws':
      return 'weight = count / draws, summing to 1 over the rows';
    case 'pool':
      return 'the run’s weights, summing to 1 over its pool (every row)';
    default:
      return normalisation;
  }
}

const SELECTION_WORDS: Record<string, string> = {
  pivotal: 'k distinct personas (pivotal sampling)',
  systematic: 'k draws with repeats (systematic)',
  stored: 'the run’s stored selection',
  'whole-pool': 'every persona of the pool once',
};

/** The Set column: every persona with its weight, or how the k personas were chosen. */
export function describeSet(e: ExportListItem): string {
  if (e.set === 'weights') return 'every persona + weight';
  if (e.summary) return SELECTION_WORDS[e.summary.selection] ?? e.summary.selection;
  return `${e.selection.unique ? 'unique' : 'with replacement'} · ${e.selection.method}`;
}

/** The From column: the pool, a group's run or a run. */
export const describeSource = (e: ExportListItem) =>
  e.source.kind === 'pool' ? 'Pool' : e.source.group ? `Group “${e.source.group.name}” (run ${e.source.run?.id})` : `Run ${e.source.run?.id} “${e.source.run?.name}”`;
