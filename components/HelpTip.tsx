'use client';

import { useEffect, useRef, useState } from 'react';
import { GROUP_HELP } from '@/lib/groups/help';
import { METRIC_HELP } from '@/lib/studio/metricHelp';

type Entry = { name: string; definition: string; formula: string; reading: string };
const ALL: Record<string, Entry> = { ...(METRIC_HELP as Record<string, Entry>), ...(GROUP_HELP as Record<string, Entry>) };

/** A "?" button that shows the definition and formula of a metric, diagnostic, group or export term. */
export function HelpTip({ term }: { term: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  // One popover at a time: Esc, a click outside, or opening another closes it.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  const help = ALL[term];
  if (!help) return null;
  return (
    <span className="relative inline-block" ref={root}>
      <button
        type="button"
        className="ml-0.5 inline-flex h-4 w-4 items-center justify-center rounded-full border border-slate-400 text-[10px] leading-none text-slate-600 hover:bg-slate-100"
        aria-label={`What is ${help.name}?`}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid={`help-${term}`}
      >
        ?
      </button>
      {open ? (
        <span
          role="dialog"
          aria-label={help.name}
          className="absolute left-0 z-20 mt-1 block w-72 max-w-[90vw] rounded border border-slate-300 bg-white p-2 text-left text-xs font-normal text-slate-800 shadow-lg"
        >
          <span className="block font-semibold">{help.name}</span>
          <span className="mt-1 block">{help.definition}</span>
          <code className="mt-1 block whitespace-pre-wrap rounded bg-slate-50 p-1 text-[11px]">{help.formula}</code>
          <span className="mt-1 block text-slate-500">{help.reading}</span>
          <button type="button" className="mt-1 text-teal-700 underline" onClick={() => setOpen(false)}>
            close
          </button>
        </span>
      ) : null}
    </span>
  );
}
