'use client';
/**
 * The new-export form's state: source (group, run or pool), which personas, k, unique, seed and format; creating the
 * export, its outcome (what it holds) or the error with the API's code and details; and the suggested redraw with
 * repeats when too few distinct personas exist.
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { EXPORT_FORMATS } from '@/lib/export/schema';
import { api, ApiError } from '../api';

/** What a new export answered: its id, format and the manifest's set block (rows, distinct, draws, weights). */
export interface Created {
  id: number;
  format: (typeof EXPORT_FORMATS)[number];
  set: { rows: number; distinct: number; draws: number; weights: { normalisation: string; statement: string } } | null;
}

/** An error of the last request, with the API's code and details (e.g. too_few_distinct: { value, available, repeats }). */
export interface RequestError {
  message: string;
  code?: string;
  details?: { value?: number; available?: number; repeats?: boolean };
}

export function useExportForm({
  runs,
  groups,
  initialGroup,
}: {
  runs: { id: number; name: string }[];
  groups: { id: number; name: string; aligned: boolean }[];
  initialGroup: number | null;
}) {
  const router = useRouter();
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

  return {
    kind,
    setKind,
    groupId,
    setGroupId,
    runId,
    setRunId,
    set,
    setSet,
    size,
    setSize,
    unique,
    setUnique,
    seed,
    setSeed,
    format,
    setFormat,
    error,
    setError,
    created,
    busy,
    create,
    drawWithRepeats,
  };
}

export type ExportForm = ReturnType<typeof useExportForm>;
