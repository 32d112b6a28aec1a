'use client';

/**
 * The reason picker a reject opens: number keys pick a reason, Enter confirms, Esc cancels (the keys are handled by
 * the review screen; this shows the choice and takes clicks). While reasons are required, Enter needs a pick.
 */
export function ReasonPicker({
  reasonCodes,
  selected,
  required,
  busy,
  personaId,
  onPick,
  onConfirm,
  onCancel,
}: {
  reasonCodes: { code: string; label: string }[];
  selected: string | null;
  required: boolean;
  busy: boolean;
  personaId: number;
  onPick: (code: string) => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const canConfirm = !busy && (selected !== null || !required);
  return (
    <div className="space-y-2 rounded-lg border-2 border-rose-300 bg-rose-50 p-3" role="dialog" aria-modal="false" aria-labelledby="reason-picker-title" data-testid="reason-picker">
      <p id="reason-picker-title" className="text-sm font-medium text-rose-950">
        Reject #{personaId}: why? <span className="font-normal text-rose-900">Press a number, then Enter; Esc cancels.</span>
        {!required && <span className="font-normal text-rose-900"> A reason is optional.</span>}
      </p>
      <div className="flex flex-wrap gap-1.5" data-testid="reason-codes">
        {reasonCodes.map((r, i) => (
          <button
            key={r.code}
            type="button"
            aria-pressed={selected === r.code}
            onClick={() => onPick(r.code)}
            className={`rounded border px-2 py-1 text-sm ${selected === r.code ? 'border-rose-900 bg-rose-900 text-white' : 'border-slate-300 bg-white hover:bg-slate-50'}`}
            data-testid={`reason-${r.code}`}
          >
            <kbd className="mr-1 font-mono text-xs opacity-70">{i + 1}</kbd>
            {r.label}
          </button>
        ))}
      </div>
      <div className="flex items-center gap-2">
        <button type="button" disabled={!canConfirm} onClick={onConfirm} className="rounded bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-800 disabled:opacity-50" data-testid="reason-confirm">
          Reject{selected ? ` as “${reasonCodes.find((r) => r.code === selected)?.label ?? selected}”` : ''} <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">Enter</kbd>
        </button>
        <button type="button" onClick={onCancel} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm" data-testid="reason-cancel">
          Cancel <kbd className="ml-1 font-mono text-xs">Esc</kbd>
        </button>
        {required && selected === null && <span className="text-xs text-rose-900">A reject needs a reason.</span>}
      </div>
    </div>
  );
}
