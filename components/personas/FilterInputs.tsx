'use client';
/** The persona browser's filter inputs: a group of checkboxes with counts, and a min-max pair of number inputs. */
import { fmtInt } from './format';
import type { Filter } from './personaColumns';

function toggle(list: string[] | undefined, value: string): string[] {
  const s = new Set(list ?? []);
  if (s.has(value)) s.delete(value);
  else s.add(value);
  return [...s];
}

export function CheckGroup({ legend, name, options, selected, onChange }: { legend: string; name: string; options: { value: string; label: string; n?: number }[]; selected?: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="space-y-0.5" data-testid={`filter-${name}`}>
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={selected?.includes(o.value) ?? false} onChange={() => onChange(toggle(selected, o.value))} data-testid={`filter-${name}-${o.value}`} />
          <span>{o.label}</span>
          {o.n !== undefined && <span className="text-xs tabular-nums text-slate-500">{fmtInt.format(o.n)}</span>}
        </label>
      ))}
    </fieldset>
  );
}

export function RangeInputs({ label, minKey, maxKey, filter, set, min, max, step, title }: { label: string; minKey: keyof Filter; maxKey: keyof Filter; filter: Filter; set: (f: Filter) => void; min: number; max: number; step: number; title: string }) {
  const input = (key: keyof Filter, placeholder: string) => (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      aria-label={`${label} ${placeholder}`}
      placeholder={placeholder}
      className="w-16 rounded border border-slate-300 px-1 py-0.5 text-sm tabular-nums"
      value={(filter[key] as number | undefined) ?? ''}
      onChange={(e) => {
        const v = e.target.value === '' ? undefined : Number(e.target.value);
        set({ ...filter, [key]: v !== undefined && v >= min && v <= max ? v : undefined });
      }}
      data-testid={`filter-${String(key)}`}
    />
  );
  return (
    <div className="flex items-center justify-between gap-1 text-sm" title={title}>
      <span>{label}</span>
      <span className="flex items-center gap-1">
        {input(minKey, 'min')}–{input(maxKey, 'max')}
      </span>
    </div>
  );
}
