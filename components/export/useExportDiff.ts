'use client';
/** The two exports to compare (the two newest at first) and their diff; an error goes to the screen's one error line. */
import { useState } from 'react';
import { api } from '../api';
import type { DiffResult, ExportListItem } from './exportFormat';
import type { RequestError } from './useExportForm';

export function useExportDiff(exports: ExportListItem[], setError: (e: RequestError | null) => void) {
  const [a, setA] = useState<number>(exports[1]?.id ?? exports[0]?.id ?? 0);
  const [b, setB] = useState<number>(exports[0]?.id ?? 0);
  const [diff, setDiff] = useState<DiffResult | null>(null);

  async function runDiff() {
    setError(null);
    try {
      setDiff(await api<DiffResult>(`/api/exports/diff?a=${a}&b=${b}`));
    } catch (e) {
      setError({ message: (e as Error).message });
    }
  }

  return { a, setA, b, setB, diff, runDiff };
}
