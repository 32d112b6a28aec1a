'use client';

/**
 * Create an export (run, group or pool; k distinct personas, k draws with repeats, or every persona with its weight)
 * in the format chosen beforehand, see what it holds (rows, distinct personas, draws, how the weights are normalised),
 * list, download, delete, diff two.
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { HelpTip } from '@/components/HelpTip';
import { EXPORT_FORMATS } from '@/lib/export/schema';
import { ReadOnlyNote, useMayChange } from '../Access';
import { api, ApiError } from '../api';
import { DeleteButton } from '../DeleteButton';

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

/** What a new export answered: its id, format and the manifest's set block (rows, distinct, draws, weights). */
interface Created {
  id: number;
  format: (typeof EXPORT_FORMATS)[number];
  set: { rows: number; distinct: number; draws: number; weights: { normalisation: string; statement: string } } | null;
}

/** An error of the last request, with the API's code and details (e.g. too_few_distinct: { value, available, repeats }). */
interface RequestError {
  message: string;
  code?: string;
  details?: { value?: number; available?: number; repeats?: boolean };
}

const FORMAT_LABELS: Record<(typeof EXPORT_FORMATS)[number], string> = {
  jsonl: 'JSONL (one JSON object per line)',
  csv: 'CSV (spreadsheet-safe)',
  parquet: 'Parquet',
  tinytroupe: 'TinyTroupe agents (zip of *.agent.json)',
  'oasis-twitter': 'OASIS Twitter users (CSV)',
  'oasis-reddit': 'OASIS Reddit users (JSON)',
  prompts: 'Agent system prompts (JSONL, any framework)',
  'hf-dataset': 'Hugging Face dataset folder (zip: Parquet + dataset card)',
};
const FORMAT_NAMES: Record<(typeof EXPORT_FORMATS)[number], string> = {
  jsonl: 'JSONL',
  csv: 'CSV',
  parquet: 'Parquet',
  tinytroupe: 'TinyTroupe',
  'oasis-twitter': 'OASIS Twitter',
  'oasis-reddit': 'OASIS Reddit',
  prompts: 'agent prompts',
  'hf-dataset': 'Hugging Face dataset',
};
const TABLE_FORMATS = EXPORT_FORMATS.slice(0, 3);
const SIMULATOR_FORMATS = EXPORT_FORMATS.slice(3);

const number = new Intl.NumberFormat('en-US');
const count = (n: number, one: string, many = `${one}s`) => `${number.format(n)} ${n === 1 ? one : many}`;

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
function describeSet(e: ExportListItem): string {
  if (e.set === 'weights') return 'every persona + weight';
  if (e.summary) return SELECTION_WORDS[e.summary.selection] ?? e.summary.selection;
  return `${e.selection.unique ? 'unique' : 'with replacement'} · ${e.selection.method}`;
}

interface DiffResult {
  summary: string;
  added: { personaId: number; weight: number; count: number }[];
  removed: { personaId: number; weight: number; count: number }[];
  reweighted: { personaId: number; from: number; to: number; delta: number }[];
  recounted: { personaId: number; from: number; to: number }[];
}

export function ExportsScreen({
  exports,
  runs,
  groups,
  initialGroup,
}: {
  exports: ExportListItem[];
  runs: { id: number; name: string }[];
  groups: { id: number; name: string; aligned: boolean }[];
  initialGroup: number | null;
}) {
  const router = useRouter();
  const mayChange = useMayChange();
  const [kind, setKind] = useState<'group' | 'run' | 'pool'>(initialGroup ? 'group' : groups.some((g) => g.aligned) ? 'group' : runs.length ? 'run' : 'pool');
  const [groupId, setGroupId] = useState<number>(initialGroup ?? groups.find((g) => g.aligned)?.id ?? groups[0]?.id ?? 0);
  const [runId, setRunId] = useState<number>(runs[0]?.id ?? 0);
  const [set, setSet] = useState<'selection' | 'weights'>('selection');
  const [size, setSize] = useState('');
  const [unique, setUnique] = useState(false);
  const [seed, setSeed] = useState(0);
  const [format, setFormat] = useState<(typeof EXPORT_FORMATS)[number]>('jsonl');
  const [error, setError] = useState<RequestError | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [busy, setBusy] = useState(false);
  const [a, setA] = useState<number>(exports[1]?.id ?? exports[0]?.id ?? 0);
  const [b, setB] = useState<number>(exports[0]?.id ?? 0);
  const [diff, setDiff] = useState<DiffResult | null>(null);

  async function create(override: { unique?: boolean } = {}) {
    setError(null);
    setCreated(null);
    setBusy(true);
    const distinct = override.unique ?? unique;
    const source = kind === 'group' ? { kind, groupId } : kind === 'run' ? { kind, runId } : { kind };
    const body: Record<string, unknown> = { source, set, format, seed };
    if (set === 'selection' && size) body.size = Number(size);
    if (set === 'selection' && distinct) body.unique = true;
    try {
      const out = await api<{ id: number; manifest?: { set?: Created['set'] } }>('/api/exports', { json: body });
      setCreated({ id: out.id, format, set: out.manifest?.set ?? null });
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? { message: e.message, code: e.code, details: e.details as RequestError['details'] } : { message: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  /** The suggestion of a too_few_distinct answer: the same k drawn with repeats. */
  function drawWithRepeats(k: number | undefined) {
    setUnique(false);
    if (k !== undefined) setSize(String(k));
    void create({ unique: false });
  }

  async function runDiff() {
    setError(null);
    try {
      setDiff(await api<DiffResult>(`/api/exports/diff?a=${a}&b=${b}`));
    } catch (e) {
      setError({ message: (e as Error).message });
    }
  }

  const describeSource = (e: ExportListItem) =>
    e.source.kind === 'pool' ? 'Pool' : e.source.group ? `Group “${e.source.group.name}” (run ${e.source.run?.id})` : `Run ${e.source.run?.id} “${e.source.run?.name}”`;

  return (
    <div className="space-y-5">
      <section className="rounded-lg border border-slate-200 bg-white p-3" aria-labelledby="new-export-title" data-testid="export-form">
        <h2 id="new-export-title" className="font-semibold">
          New export
        </h2>
        <div className="mt-2 grid gap-3 text-sm md:grid-cols-3">
          <fieldset className="space-y-1" disabled={busy}>
            <legend className="text-xs text-slate-600">From</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === 'group'} onChange={() => setKind('group')} data-testid="export-kind-group" />
              a group’s latest aligned set
            </label>
            {kind === 'group' && (
              <select className="w-full rounded border border-slate-300 px-1 py-1" value={groupId} onChange={(e) => setGroupId(Number(e.target.value))} data-testid="export-group">
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                    {g.aligned ? '' : ' (not aligned yet)'}
                  </option>
                ))}
              </select>
            )}
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === 'run'} onChange={() => setKind('run')} data-testid="export-kind-run" />
              an alignment run
            </label>
            {kind === 'run' && (
              <select className="w-full rounded border border-slate-300 px-1 py-1" value={runId} onChange={(e) => setRunId(Number(e.target.value))} data-testid="export-run">
                {runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    Run {r.id}: {r.name}
                  </option>
                ))}
              </select>
            )}
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === 'pool'} onChange={() => { setKind('pool'); setSet('weights'); }} data-testid="export-kind-pool" />
              the whole pool (uniform weights)
            </label>
          </fieldset>
          <fieldset className="space-y-1" disabled={busy}>
            <legend className="text-xs text-slate-600">Which personas</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="set" checked={set === 'selection'} onChange={() => setSet('selection')} />
              the selected set of k personas
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="set" checked={set === 'weights'} onChange={() => setSet('weights')} data-testid="export-set-weights" />
              every persona with its weight
            </label>
            {set === 'selection' && (
              <div className="space-y-1 pl-5 text-xs">
                <label className="block">
                  k (empty: the run’s stored selection)
                  <input type="number" min={1} className="ml-1 w-24 rounded border border-slate-300 px-1 py-0.5" value={size} onChange={(e) => setSize(e.target.value)} data-testid="export-size" />
                </label>
                <label className="flex items-center gap-1">
                  <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.target.checked)} data-testid="export-unique" />
                  unique: k distinct personas (pivotal sampling, weights re-calibrated to the target); off: k draws with repeats
                </label>
                <label className="block">
                  seed of a fresh draw
                  <input type="number" min={0} className="ml-1 w-20 rounded border border-slate-300 px-1 py-0.5" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} />
                </label>
              </div>
            )}
          </fieldset>
          <fieldset className="space-y-1" disabled={busy}>
            <legend className="text-xs text-slate-600">Format of the file (choose before exporting)</legend>
            {([['Tables', TABLE_FORMATS], ['Simulators', SIMULATOR_FORMATS]] as const).map(([title, formats]) => (
              <div key={title} role="group" aria-label={title}>
                <p className="mt-1 text-[11px] font-medium uppercase tracking-wide text-slate-500">{title}</p>
                {formats.map((f) => (
                  <label key={f} className="flex items-center gap-2">
                    <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`export-format-${f}`} />
                    {FORMAT_LABELS[f]}
                  </label>
                ))}
              </div>
            ))}
            <p className="text-[11px] text-slate-500">Every format is stored with the export; the list below offers each for download.</p>
            <button
              type="button"
              className="mt-2 inline-flex items-center gap-2 rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:opacity-60"
              onClick={() => void create()}
              disabled={busy || !mayChange}
              aria-busy={busy}
              data-testid="create-export"
            >
              {busy && <span className="h-3 w-3 animate-spin rounded-full border-2 border-white border-t-transparent" aria-hidden="true" />}
              {busy ? `Exporting ${FORMAT_NAMES[format]}…` : `Export as ${FORMAT_NAMES[format]}`}
            </button>
            <ReadOnlyNote what="creating an export" />
          </fieldset>
        </div>
        <p className="sr-only" role="status" aria-live="polite">
          {busy ? 'Export running' : created ? `Export ${created.id} created` : ''}
        </p>
        {error && (
          <div className="mt-2 text-sm text-red-700" role="alert" data-testid="export-error" data-code={error.code}>
            <p>{error.message}</p>
            {error.code === 'too_few_distinct' && error.details?.repeats && mayChange && (
              <button
                type="button"
                className="mt-1 rounded border border-red-300 px-2 py-0.5 text-xs text-red-800 hover:bg-red-50"
                onClick={() => drawWithRepeats(error.details?.value)}
                disabled={busy}
                data-testid="export-draw-with-repeats"
              >
                Draw {error.details.value !== undefined ? number.format(error.details.value) : 'k'} with repeats instead
              </button>
            )}
          </div>
        )}
        {created !== null && (
          <p className="mt-2 text-sm text-emerald-800" data-testid="export-created" data-export-id={created.id}>
            Export {created.id} created
            {created.set ? (
              <>
                : <span data-testid="export-created-summary">{count(created.set.rows, 'row')} · {count(created.set.distinct, 'distinct persona')} · {count(created.set.draws, 'draw')} · {describeNormalisation(created.set.weights.normalisation)}</span>
                .{' '}
              </>
            ) : (
              '. '
            )}
            <a className="underline" href={`/api/exports/${created.id}/download?format=${created.format}`} download data-testid="export-created-download">
              Download {FORMAT_NAMES[created.format]}
            </a>{' '}
            ·{' '}
            <a className="underline" href={`/api/exports/${created.id}/download?format=manifest`} download>
              manifest
            </a>
            {created.set && <span className="mt-0.5 block text-xs text-slate-600">{created.set.weights.statement}</span>}
          </p>
        )}
      </section>

      <section aria-labelledby="exports-title">
        <h2 id="exports-title" className="text-lg font-semibold">
          Exports
        </h2>
        <p className="text-xs text-slate-500">
          Each export keeps a manifest (Populace version, target and group, engine config and seed, reference and persona licences,
          metrics, diagnostics, review summary, a sha256 of every row and of each file, and the set: rows, distinct personas, draws,
          how the weights are normalised, and the personas’ own demographics next to the target’s filters, which shape traits only). Each file is stored when the export is made,
          so a download answers exactly those bytes (their sha256 is in the x-content-sha256 header), even after its personas were
          reviewed. Deleting an export is recorded in the audit log.
        </p>
        <div className="relative overflow-x-auto">
<table className="mt-1 w-full text-xs" data-testid="exports-list">
          <thead className="bg-slate-100 text-left text-slate-700">
            <tr>
              <th className="px-2 py-1">#</th>
              <th className="px-2 py-1">Created (UTC)</th>
              <th className="px-2 py-1">From</th>
              <th className="px-2 py-1">Set</th>
              <th className="px-2 py-1 text-right">
                Rows
                <HelpTip term="rows" />
              </th>
              <th className="px-2 py-1 text-right">Distinct</th>
              <th className="px-2 py-1 text-right">
                Draws
                <HelpTip term="count" />
              </th>
              <th className="px-2 py-1">Weights</th>
              <th className="px-2 py-1">Format</th>
              <th className="px-2 py-1">Download</th>
              <th className="px-2 py-1">Rows sha256</th>
              <th className="px-2 py-1">
                <span className="sr-only">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {exports.map((e) => (
              <tr key={e.id} className="border-t border-slate-100" data-testid={`export-row-${e.id}`}>
                <td className="px-2 py-1 tabular-nums">{e.id}</td>
                <td className="px-2 py-1 tabular-nums">
                  {e.createdAt.replace('T', ' ').slice(0, 19)}
                  {e.createdBy && <span className="block text-[10px] text-slate-500">by {e.createdBy}</span>}
                </td>
                <td className="px-2 py-1">{describeSource(e)}</td>
                <td className="px-2 py-1">{describeSet(e)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{e.rows}</td>
                <td className="px-2 py-1 text-right tabular-nums">{e.summary?.distinct ?? e.selection.distinct}</td>
                <td className="px-2 py-1 text-right tabular-nums">{e.summary?.draws ?? e.selection.k}</td>
                <td className="px-2 py-1" title={e.summary?.statement}>
                  {e.summary ? describeNormalisation(e.summary.normalisation) : 'not stated (older export)'}
                </td>
                <td className="px-2 py-1 uppercase">{e.format}</td>
                <td className="px-2 py-1">
                  {[TABLE_FORMATS, SIMULATOR_FORMATS, ['manifest'] as const].map((formats, g) => (
                    <div key={g}>
                      {formats.map((f) => (
                        <a
                          key={f}
                          className="mr-2 text-teal-700 underline"
                          href={`/api/exports/${e.id}/download?format=${f}`}
                          download
                          data-testid={`download-${e.id}-${f}`}
                        >
                          {f}
                        </a>
                      ))}
                      {g === 2 && e.methodsReport ? (
                        <a className="mr-2 text-teal-700 underline" href={e.methodsReport} target="_blank" rel="noreferrer" data-testid={`methods-${e.id}`}>
                          methods report
                        </a>
                      ) : null}
                    </div>
                  ))}
                </td>
                <td className="px-2 py-1 font-mono text-[10px] text-slate-500" title={e.rowsSha256}>
                  {e.rowsSha256.slice(0, 12)}…
                </td>
                <td className="px-2 py-1">
                  <DeleteButton url={`/api/exports/${e.id}`} what={`export ${e.id}`} allowed={e.mayDelete} testId={`delete-export-${e.id}`} />
                </td>
              </tr>
            ))}
            {exports.length === 0 && (
              <tr>
                <td colSpan={12} className="px-2 py-2 text-slate-500">
                  No exports yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
</div>
      </section>

      <section className="space-y-2" aria-labelledby="diff-title">
        <h2 id="diff-title" className="text-lg font-semibold">
          Compare two exports
        </h2>
        <div className="flex flex-wrap items-end gap-2 text-sm">
          {(
            [
              ['A', a, setA],
              ['B', b, setB],
            ] as const
          ).map(([label, value, set]) => (
            <label key={label} className="text-xs">
              <span className="text-slate-600">Export {label}</span>
              <select className="ml-1 rounded border border-slate-300 px-1 py-1" value={value} onChange={(ev) => set(Number(ev.target.value))} data-testid={`diff-${label}`}>
                {exports.map((e) => (
                  <option key={e.id} value={e.id}>
                    #{e.id} {describeSource(e)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button type="button" className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100" onClick={() => void runDiff()} disabled={exports.length === 0} data-testid="run-diff">
            Compare
          </button>
        </div>
        {diff && (
          <div className="rounded border border-slate-200 bg-white p-2 text-xs" data-testid="diff-result">
            <p className="font-medium">{diff.summary}</p>
            <div className="mt-1 grid gap-3 md:grid-cols-3">
              <div>
                <h3 className="font-semibold">Added (in B only)</h3>
                <ul>{diff.added.slice(0, 20).map((x) => <li key={x.personaId}>persona {x.personaId} · weight {x.weight.toExponential(3)} · ×{x.count}</li>)}</ul>
              </div>
              <div>
                <h3 className="font-semibold">Removed (in A only)</h3>
                <ul>{diff.removed.slice(0, 20).map((x) => <li key={x.personaId}>persona {x.personaId} · weight {x.weight.toExponential(3)} · ×{x.count}</li>)}</ul>
              </div>
              <div>
                <h3 className="font-semibold">Reweighted (|Δw| &gt; 1e-9, exported weights)</h3>
                <ul>
                  {diff.reweighted.slice(0, 20).map((x) => (
                    <li key={x.personaId}>
                      persona {x.personaId}: {x.from.toExponential(3)} → {x.to.toExponential(3)}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
