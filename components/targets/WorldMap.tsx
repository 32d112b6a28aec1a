'use client';

/**
 * A world map of the reference (world-atlas countries-110m TopoJSON, drawn with d3-geo, bundled: no network at run
 * time), coloured by respondents per country. Interactive (onToggle/onSelectMany given): click a country to toggle
 * it, drag a rectangle to add every country whose centre lies in it (Alt-drag removes them), Tab to a country and
 * press Enter or Space. Countries under the small-sample threshold are hatched; the selection is outlined.
 * Without handlers it is a static thumbnail.
 */
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { memo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { feature } from 'topojson-client';
import { SMALL_SAMPLE } from '@/lib/groups/builder';
import { ISO_NUMERIC_TO_ALPHA2 } from '@/lib/groups/isoNumeric';
import { countriesTopology } from './countriesTopology';

const WIDTH = 960;
const HEIGHT = 470;

interface Shape {
  code: string;
  name: string;
  d: string;
  cx: number;
  cy: number;
}

/** Country shapes projected once per page load (Antarctica left out). */
const SHAPES: Shape[] = (() => {
  const topology = countriesTopology();
  const fc = feature(topology, topology.objects.countries);
  const features = fc.features.filter((f) => f.id !== undefined && ISO_NUMERIC_TO_ALPHA2[String(f.id)] && ISO_NUMERIC_TO_ALPHA2[String(f.id)] !== 'AQ');
  const projection = geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [WIDTH - 4, HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features },
  );
  const path = geoPath(projection);
  return features
    .map((f) => {
      const [cx, cy] = path.centroid(f);
      return { code: ISO_NUMERIC_TO_ALPHA2[String(f.id)]!, name: f.properties?.name ?? String(f.id), d: path(f) ?? '', cx, cy };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
})();

/** Alpha-2 codes drawn on the map. */
export const MAPPED_CODES = new Set(SHAPES.map((s) => s.code));

/** Colour classes of respondents per country (lower bounds) and their fills. */
export const COLOUR_CLASSES: { min: number; label: string; fill: string }[] = [
  { min: 0, label: '0', fill: '#e2e8f0' },
  { min: 1, label: '1-29', fill: '#ccfbf1' },
  { min: 30, label: '30-99', fill: '#99f6e4' },
  { min: 100, label: '100-299', fill: '#5eead4' },
  { min: 300, label: '300-999', fill: '#14b8a6' },
  { min: 1000, label: '1,000-2,999', fill: '#0f766e' },
  { min: 3000, label: '3,000+', fill: '#134e4a' },
];

export function fillFor(n: number): string {
  let fill = COLOUR_CLASSES[0]!.fill;
  for (const c of COLOUR_CLASSES) if (n >= c.min) fill = c.fill;
  return fill;
}

export interface WorldMapProps {
  /** Respondents (or personas) per alpha-2 code: the colour. */
  counts: Record<string, number>;
  selected: readonly string[];
  /** Name of a code (defaults to the map's own name). */
  nameOf?: (code: string) => string;
  /** What the counts count ("respondents", "personas"). */
  unit?: string;
  onToggle?: (code: string) => void;
  onSelectMany?: (codes: string[], remove: boolean) => void;
  /** Accessible title of the map. */
  title: string;
  /** A thumbnail: no legend, no interaction. */
  thumbnail?: boolean;
  testId?: string;
  /** Mark countries under the small-sample threshold (default true). */
  markSmall?: boolean;
}

function WorldMapView({ counts, selected, nameOf, unit = 'respondents', onToggle, onSelectMany, title, thumbnail, testId, markSmall = true }: WorldMapProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; code: string | null; moved: boolean; alt: boolean } | null>(null);
  const [rect, setRect] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const interactive = Boolean(onToggle) && !thumbnail;
  const sel = new Set(selected);
  const name = (s: Shape) => nameOf?.(s.code) ?? s.name;
  const patternId = `${testId ?? 'map'}-hatch`;

  const toSvg = (e: ReactPointerEvent) => {
    const svg = svgRef.current!;
    const ctm = svg.getScreenCTM();
    if (!ctm) return { x: 0, y: 0 };
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  };

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (!interactive || e.button !== 0) return;
    const code = (e.target as Element).closest('[data-code]')?.getAttribute('data-code') ?? null;
    const p = toSvg(e);
    drag.current = { x: p.x, y: p.y, code, moved: false, alt: e.altKey };
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const p = toSvg(e);
    if (!d.moved && Math.hypot(p.x - d.x, p.y - d.y) < 6) return;
    if (!d.moved) svgRef.current?.setPointerCapture(e.pointerId);
    d.moved = true;
    setRect({ x0: d.x, y0: d.y, x1: p.x, y1: p.y });
  };
  const onPointerUp = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    if (!d.moved) {
      if (d.code) onToggle?.(d.code);
      return;
    }
    const p = toSvg(e);
    const [x0, x1] = [Math.min(d.x, p.x), Math.max(d.x, p.x)];
    const [y0, y1] = [Math.min(d.y, p.y), Math.max(d.y, p.y)];
    setRect(null);
    const inside = SHAPES.filter((s) => s.cx >= x0 && s.cx <= x1 && s.cy >= y0 && s.cy <= y1).map((s) => s.code);
    if (inside.length) onSelectMany?.(inside, d.alt);
  };

  const ordered = [...SHAPES.filter((s) => !sel.has(s.code)), ...SHAPES.filter((s) => sel.has(s.code))];
  return (
    <figure className={thumbnail ? '' : 'space-y-1'} data-testid={testId}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className={`w-full select-none rounded bg-sky-50 ${interactive ? 'cursor-crosshair touch-none' : ''}`}
        role={interactive ? 'group' : 'img'}
        aria-label={title}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          drag.current = null;
          setRect(null);
        }}
      >
        <title>{title}</title>
        <defs>
          <pattern id={patternId} patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="5" stroke="#92400e" strokeWidth="1.6" />
          </pattern>
        </defs>
        {ordered.map((s) => {
          const n = counts[s.code] ?? 0;
          const isSel = sel.has(s.code);
          const small = markSmall && n > 0 && n < SMALL_SAMPLE;
          const label = `${name(s)}: ${n.toLocaleString('en-US')} ${unit}${small ? ' (too few to use alone)' : ''}, ${isSel ? 'selected' : 'not selected'}`;
          return (
            <g key={s.code}>
              <path
                d={s.d}
                data-code={s.code}
                data-selected={isSel ? 'true' : 'false'}
                fill={fillFor(n)}
                stroke={isSel ? '#c2410c' : '#ffffff'}
                strokeWidth={isSel ? (thumbnail ? 2.5 : 1.8) : 0.4}
                className={interactive ? 'outline-none focus-visible:stroke-slate-900 focus-visible:[stroke-width:3px] hover:opacity-80' : undefined}
                tabIndex={interactive ? 0 : undefined}
                role={interactive ? 'checkbox' : undefined}
                aria-checked={interactive ? isSel : undefined}
                aria-label={interactive ? label : undefined}
                onKeyDown={
                  interactive
                    ? (e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          onToggle?.(s.code);
                        }
                      }
                    : undefined
                }
              >
                {!thumbnail && <title>{label}</title>}
              </path>
              {small && <path d={s.d} fill={`url(#${patternId})`} pointerEvents="none" aria-hidden="true" opacity={0.55} />}
            </g>
          );
        })}
        {rect && (
          <rect
            x={Math.min(rect.x0, rect.x1)}
            y={Math.min(rect.y0, rect.y1)}
            width={Math.abs(rect.x1 - rect.x0)}
            height={Math.abs(rect.y1 - rect.y0)}
            fill="#f97316"
            fillOpacity={0.12}
            stroke="#c2410c"
            strokeDasharray="4 3"
            pointerEvents="none"
            data-testid="map-drag-rect"
          />
        )}
      </svg>
      {!thumbnail && (
        <figcaption className="text-xs text-slate-600" data-testid={testId ? `${testId}-legend` : undefined}>
          <span className="font-medium text-slate-800">{title}</span>
          <span className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1" aria-label={`Colour scale: ${unit} per country`}>
            <span>{unit[0]!.toUpperCase() + unit.slice(1)} per country:</span>
            {COLOUR_CLASSES.map((c) => (
              <span key={c.label} className="inline-flex items-center gap-1">
                <span className="inline-block h-3 w-4 rounded-sm border border-slate-300" style={{ background: c.fill }} aria-hidden="true" />
                {c.label}
              </span>
            ))}
          </span>
          <span className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
            {markSmall && (
              <span className="inline-flex items-center gap-1">
                <svg width="16" height="12" aria-hidden="true">
                  <rect width="16" height="12" fill="#99f6e4" />
                  <rect width="16" height="12" fill={`url(#${patternId})`} opacity={0.55} />
                </svg>
                hatched: fewer than {SMALL_SAMPLE} {unit} (too few for a target on their own)
              </span>
            )}
            <span className="inline-flex items-center gap-1">
              <span className="inline-block h-3 w-4 rounded-sm border-2 border-orange-700" aria-hidden="true" /> selected
            </span>
            {interactive && <span>Click or Enter/Space toggles a country; drag a rectangle to add countries (Alt-drag removes).</span>}
          </span>
        </figcaption>
      )}
    </figure>
  );
}

export const WorldMap = memo(WorldMapView);
