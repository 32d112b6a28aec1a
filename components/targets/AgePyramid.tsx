'use client';

/**
 * An age-gender pyramid: one row per age band (oldest on top), women to the left, men to the right, a third column
 * for other / unknown gender; each bar shows all (light) and the selected part (dark). Optional brush: drag over
 * bands (or click one) to choose an age range; two range inputs do the same from the keyboard; gender toggles.
 */
import { memo, useRef, useState } from 'react';

export interface PyramidBand {
  label: string;
  /** Counts by column: left (female), right (male), extra (other / unknown). */
  all: [number, number, number];
  /** The selected part of each (defaults to all). */
  selected?: [number, number, number];
}

export interface PyramidBrush {
  /** Inclusive band range currently chosen (null = every band). */
  range: [number, number] | null;
  onRange: (from: number, to: number) => void;
}

export interface PyramidAges {
  min: number;
  max: number;
  ageMin?: number;
  ageMax?: number;
  onAges: (ageMin: number | undefined, ageMax: number | undefined) => void;
}

export interface PyramidGenders {
  options: { value: string; label: string }[];
  selected: readonly string[];
  onToggle: (value: string) => void;
}

function Bar({ all, sel, max, side, tone }: { all: number; sel: number; max: number; side: 'left' | 'right'; tone: [string, string] }) {
  const w = max > 0 ? (100 * all) / max : 0;
  const inner = all > 0 ? (100 * sel) / all : 0;
  return (
    <div className={`flex h-full items-center ${side === 'left' ? 'justify-end' : 'justify-start'}`}>
      <div className={`relative h-3/4 ${tone[1]}`} style={{ width: `${w}%`, minWidth: all > 0 ? 1 : 0 }}>
        <div className={`absolute inset-y-0 ${side === 'left' ? 'right-0' : 'left-0'} ${tone[0]}`} style={{ width: `${inner}%` }} />
      </div>
    </div>
  );
}

function AgePyramidView({
  bands,
  columns = ['female', 'male', 'other / unknown'],
  title,
  unit = 'respondents',
  brush,
  ages,
  genders,
  thumbnail,
  testId,
  note,
}: {
  bands: PyramidBand[];
  columns?: [string, string, string];
  title: string;
  unit?: string;
  brush?: PyramidBrush;
  ages?: PyramidAges;
  genders?: PyramidGenders;
  thumbnail?: boolean;
  testId?: string;
  note?: string;
}) {
  const [preview, setPreview] = useState<[number, number] | null>(null);
  const anchor = useRef<number | null>(null);
  const max = Math.max(1, ...bands.flatMap((b) => [b.all[0], b.all[1]]));
  const maxExtra = Math.max(1, ...bands.map((b) => b.all[2]));
  const shown = preview ?? brush?.range ?? null;
  const inRange = (i: number) => shown !== null && i >= Math.min(...shown) && i <= Math.max(...shown);
  const rows = bands.map((b, i) => ({ b, i })).reverse();
  const tones: [string, string][] = [
    ['bg-rose-500', 'bg-rose-200'],
    ['bg-sky-600', 'bg-sky-200'],
    ['bg-slate-500', 'bg-slate-200'],
  ];
  const totals = [0, 1, 2].map((k) => bands.reduce((a, b) => a + b.all[k as 0], 0));

  const end = () => {
    if (anchor.current !== null && preview) {
      const [a, b] = preview;
      const sameSingle = brush?.range && a === b && brush.range[0] === a && brush.range[1] === b;
      if (sameSingle) brush?.onRange(0, bands.length - 1);
      else brush?.onRange(Math.min(a, b), Math.max(a, b));
    }
    anchor.current = null;
    setPreview(null);
  };

  return (
    <figure className="space-y-1" data-testid={testId}>
      {!thumbnail && <figcaption className="text-xs font-medium text-slate-800">{title}</figcaption>}
      <div className={`grid ${thumbnail ? 'text-[9px]' : 'text-[11px]'} text-slate-600`} style={{ gridTemplateColumns: '1fr 3.2rem 1fr 0.55fr' }} aria-hidden="true">
        <span className="text-right">{columns[0]} ({totals[0]!.toLocaleString('en-US')})</span>
        <span className="text-center">age</span>
        <span>{columns[1]} ({totals[1]!.toLocaleString('en-US')})</span>
        <span className="pl-1">{columns[2]} ({totals[2]!.toLocaleString('en-US')})</span>
      </div>
      <div
        role={brush ? 'group' : 'img'}
        aria-label={`${title}: ${bands.map((b) => `${b.label}: ${b.all[0]} ${columns[0]}, ${b.all[1]} ${columns[1]}, ${b.all[2]} ${columns[2]}`).join('; ')}`}
        className={`select-none ${brush ? 'cursor-ns-resize touch-none' : ''}`}
        onPointerMove={(e) => {
          if (anchor.current === null) return;
          const el = document.elementFromPoint(e.clientX, e.clientY)?.closest('[data-band]');
          const j = el ? Number(el.getAttribute('data-band')) : null;
          if (j !== null && Number.isFinite(j)) setPreview([anchor.current, j]);
        }}
        onPointerUp={end}
        onPointerCancel={() => {
          anchor.current = null;
          setPreview(null);
        }}
      >
        {rows.map(({ b, i }) => {
          const sel = b.selected ?? b.all;
          return (
            <div
              key={b.label}
              className={`grid items-stretch ${thumbnail ? 'h-2.5' : 'h-5'} ${inRange(i) ? 'bg-amber-100' : ''}`}
              style={{ gridTemplateColumns: '1fr 3.2rem 1fr 0.55fr' }}
              data-band={i}
              data-testid={testId ? `${testId}-band-${b.label}` : undefined}
              data-in-range={inRange(i) ? 'true' : 'false'}
              title={`${b.label}: ${columns[0]} ${sel[0]} of ${b.all[0]}, ${columns[1]} ${sel[1]} of ${b.all[1]}, ${columns[2]} ${sel[2]} of ${b.all[2]} ${unit} selected`}
              onPointerDown={(e) => {
                if (!brush || e.button !== 0) return;
                (e.currentTarget.parentElement as HTMLElement).setPointerCapture?.(e.pointerId);
                anchor.current = i;
                setPreview([i, i]);
              }}
            >
              <Bar all={b.all[0]} sel={sel[0]} max={max} side="left" tone={tones[0]!} />
              <span className={`self-center text-center tabular-nums text-slate-700 ${thumbnail ? 'text-[7px] leading-none' : ''}`}>{b.label}</span>
              <Bar all={b.all[1]} sel={sel[1]} max={max} side="right" tone={tones[1]!} />
              <div className="pl-1">
                <Bar all={b.all[2]} sel={sel[2]} max={maxExtra} side="right" tone={tones[2]!} />
              </div>
            </div>
          );
        })}
      </div>
      {!thumbnail && (
        <p className="text-[11px] text-slate-500">
          Light bars: all {unit}
          {brush ? ' of the chosen countries' : ''}; dark: the part inside the selection. The third column has its own scale.
          {brush ? ' Drag over age bands (or click one; click it again to clear) to choose ages.' : ''} {note}
        </p>
      )}
      {ages && (
        <div className="grid grid-cols-2 gap-2 text-xs">
          <label className="block">
            <span className="text-slate-600">
              Youngest age: <span className="tabular-nums" data-testid="age-min-value">{ages.ageMin ?? ages.min}</span>
            </span>
            <input
              type="range"
              className="w-full"
              min={ages.min}
              max={ages.max}
              value={ages.ageMin ?? ages.min}
              data-testid="age-min"
              aria-label="Youngest age"
              onChange={(e) => {
                const v = Number(e.target.value);
                const hi = ages.ageMax ?? ages.max;
                ages.onAges(v <= ages.min ? undefined : Math.min(v, hi), ages.ageMax);
              }}
            />
          </label>
          <label className="block">
            <span className="text-slate-600">
              Oldest age: <span className="tabular-nums" data-testid="age-max-value">{ages.ageMax ?? ages.max}</span>
            </span>
            <input
              type="range"
              className="w-full"
              min={ages.min}
              max={ages.max}
              value={ages.ageMax ?? ages.max}
              data-testid="age-max"
              aria-label="Oldest age"
              onChange={(e) => {
                const v = Number(e.target.value);
                const lo = ages.ageMin ?? ages.min;
                ages.onAges(ages.ageMin, v >= ages.max ? undefined : Math.max(v, lo));
              }}
            />
          </label>
        </div>
      )}
      {genders && (
        <div className="flex flex-wrap items-center gap-1 text-xs" role="group" aria-label="Gender">
          <span className="text-slate-600">Gender:</span>
          {genders.options.map((g) => {
            const on = genders.selected.includes(g.value);
            return (
              <button
                key={g.value}
                type="button"
                aria-pressed={on}
                className={`rounded border px-2 py-0.5 ${on ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-100'}`}
                onClick={() => genders.onToggle(g.value)}
                data-testid={`gender-${g.value}`}
              >
                {g.label}
              </button>
            );
          })}
          <span className="text-slate-500">{genders.selected.length === 0 ? '(none pressed = every gender)' : ''}</span>
        </div>
      )}
    </figure>
  );
}

export const AgePyramid = memo(AgePyramidView);
