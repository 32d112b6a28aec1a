'use client';

import { type ReactNode, type RefObject, useLayoutEffect, useRef, useState } from 'react';

/**
 * Plain-SVG plotting for the studio's live charts: a frame with axes (ticks, tick labels, axis titles with units,
 * grid lines) and linear scales, drawn in one React render with no chart library. The live charts change on every
 * slider edit; a chart library's store, measurement passes and animations cost several renders per edit, this one.
 */

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Axis {
  domain: [number, number];
  ticks: readonly number[];
  format?: (v: number) => string;
  /** Axis title, with its unit. */
  label: string;
  /** y only: the first domain value at the top. */
  reversed?: boolean;
}

/** A linear map from `domain` to the pixel range [a, b]. */
export function linear(domain: [number, number], a: number, b: number): (v: number) => number {
  const [d0, d1] = domain;
  const k = d1 === d0 ? 0 : (b - a) / (d1 - d0);
  return (v) => a + (v - d0) * k;
}

/** Up to `count` + 1 round ticks from 0 to at least `max` (steps 1, 2, 2.5 or 5 times a power of ten) and the axis end. */
export function niceTicks(max: number, count = 4): { ticks: number[]; end: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { ticks: [0, 1], end: 1 };
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= end + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { ticks, end };
}

/**
 * The width of an element in CSS pixels, read once at mount (before paint) and again only when it is resized.
 * Live updates never change a chart's width, so they never trigger a layout read.
 */
export function useWidth<T extends HTMLElement>(initial = 560): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.max(120, Math.round(el.getBoundingClientRect().width)));
    const ro = new ResizeObserver((entries) => {
      const w = Math.max(120, Math.round(entries[0]!.contentRect.width));
      setWidth((old) => (old === w ? old : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

const AXIS = '#94a3b8';
const GRID = '#e2e8f0';
const TICK_TEXT = '#475569';
const LABEL_TEXT = '#334155';

/**
 * A plot frame: draws the axes of `x` and `y` around an inner area and hands the children the two scales.
 * `xTick` replaces the default x tick label (e.g. two lines of text).
 */
export function PlotFrame({
  width,
  height,
  margin,
  x,
  y,
  children,
  xTick,
  verticalGrid = true,
  title,
}: {
  width: number;
  height: number;
  margin: Margin;
  x: Axis;
  y: Axis;
  children: (sx: (v: number) => number, sy: (v: number) => number) => ReactNode;
  xTick?: (v: number, px: number, baseline: number) => ReactNode;
  verticalGrid?: boolean;
  /** Accessible name of the figure. */
  title: string;
}) {
  const innerW = Math.max(10, width - margin.left - margin.right);
  const innerH = Math.max(10, height - margin.top - margin.bottom);
  const sx = linear(x.domain, margin.left, margin.left + innerW);
  const sy = y.reversed ? linear(y.domain, margin.top, margin.top + innerH) : linear(y.domain, margin.top + innerH, margin.top);
  const bottom = margin.top + innerH;
  const fx = x.format ?? String;
  const fy = y.format ?? String;
  return (
    <svg width={width} height={height} role="img" aria-label={title} className="block overflow-visible" fontFamily="inherit">
      <g>
        {y.ticks.map((t) => (
          <line key={`gy${t}`} x1={margin.left} x2={margin.left + innerW} y1={sy(t)} y2={sy(t)} stroke={GRID} strokeDasharray="2 4" />
        ))}
        {verticalGrid
          ? x.ticks.map((t) => <line key={`gx${t}`} x1={sx(t)} x2={sx(t)} y1={margin.top} y2={bottom} stroke={GRID} strokeDasharray="2 4" />)
          : null}
      </g>
      <g fontSize={10} fill={TICK_TEXT}>
        <line x1={margin.left} x2={margin.left + innerW} y1={bottom} y2={bottom} stroke={AXIS} />
        <line x1={margin.left} x2={margin.left} y1={margin.top} y2={bottom} stroke={AXIS} />
        {x.ticks.map((t) => (
          <g key={`tx${t}`}>
            <line x1={sx(t)} x2={sx(t)} y1={bottom} y2={bottom + 4} stroke={AXIS} />
            {xTick ? (
              xTick(t, sx(t), bottom)
            ) : (
              <text x={sx(t)} y={bottom + 14} textAnchor="middle">
                {fx(t)}
              </text>
            )}
          </g>
        ))}
        {y.ticks.map((t) => (
          <g key={`ty${t}`}>
            <line x1={margin.left - 4} x2={margin.left} y1={sy(t)} y2={sy(t)} stroke={AXIS} />
            <text x={margin.left - 6} y={sy(t) + 3} textAnchor="end">
              {fy(t)}
            </text>
          </g>
        ))}
      </g>
      <g fontSize={10} fill={LABEL_TEXT}>
        <text x={margin.left + innerW / 2} y={height - 3} textAnchor="middle">
          {x.label}
        </text>
        <text transform={`translate(11,${margin.top + innerH / 2}) rotate(-90)`} textAnchor="middle">
          {y.label}
        </text>
      </g>
      {children(sx, sy)}
    </svg>
  );
}

/** A legend under a chart: one swatch (line, dashed line, dot or square) and name per series. */
export function LegendRow({ items }: { items: { name: string; color: string; kind?: 'line' | 'dashed' | 'dot' | 'square' }[] }) {
  return (
    <div className="mt-1 flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs" aria-label="Legend">
      {items.map(({ name, color, kind = 'line' }) => (
        <span key={name} className="flex items-center gap-1">
          {kind === 'dot' ? (
            <span className="inline-block h-2 w-2 rounded-full" style={{ background: color }} />
          ) : kind === 'square' ? (
            <span className="inline-block h-2 w-2" style={{ background: color }} />
          ) : (
            <span
              className="inline-block w-4"
              style={kind === 'dashed' ? { borderTop: `2px dashed ${color}` } : { borderTop: `2px solid ${color}` }}
            />
          )}
          {name}
        </span>
      ))}
    </div>
  );
}
