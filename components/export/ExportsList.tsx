'use client';
/** The list of exports: what each holds, its downloads in every format (and the methods report), and delete. */
import { HelpTip } from '@/components/HelpTip';
import { DeleteButton } from '../DeleteButton';
import { describeNormalisation, describeSet, describeSource, SIMULATOR_FORMATS, TABLE_FORMATS, type ExportListItem } from './exportFormat';

export function ExportsList({ exports }: { exports: ExportListItem[] }) {
  return (
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
  );
}
