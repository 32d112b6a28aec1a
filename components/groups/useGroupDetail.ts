'use client';
/**
 * The group page's state: the retrieval (redone on load and on demand), the personas selected for revision, the
 * alignment's seed and size, the running align and revise jobs, the last action error, and whether a saved edit of
 * the definition made the retrieval stale.
 */
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { RetrievalResult } from '@/lib/groups/retrieve';
import { api } from '@/components/api';
import { GROUP_CHANGED_EVENT } from './GroupForm';

export function useGroupDetail(id: number) {
  const router = useRouter();
  const [retrieval, setRetrieval] = useState<RetrievalResult | null>(null);
  const [retrievalError, setRetrievalError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [seed, setSeed] = useState(1);
  const [size, setSize] = useState('');
  const [alignJob, setAlignJob] = useState<number | null>(null);
  const [reviseJob, setReviseJob] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  /** What the last saved edit made stale in this page (retrieval is redone on reload; the run's flag comes from the server). */
  const [staleRetrieval, setStaleRetrieval] = useState(false);

  useEffect(() => {
    const on = (e: Event) => {
      if ((e as CustomEvent<{ groupId: number }>).detail?.groupId === id) setStaleRetrieval(true);
    };
    window.addEventListener(GROUP_CHANGED_EVENT, on);
    return () => window.removeEventListener(GROUP_CHANGED_EVENT, on);
  }, [id]);

  const retrieve = useCallback(async () => {
    setLoading(true);
    setRetrievalError(null);
    try {
      setRetrieval(await api<RetrievalResult>(`/api/groups/${id}/retrieve`, { json: {} }));
      setStaleRetrieval(false);
    } catch (e) {
      setRetrievalError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [id]);
  useEffect(() => {
    void retrieve();
  }, [retrieve]);

  /** Starts a job (align, revise): its id. */
  async function post(url: string, body: unknown) {
    setActionError(null);
    return api<{ jobId: number }>(url, { json: body });
  }

  /** Starts the group's alignment job (the stale marker's "Align again" and "Align group" both call it). */
  const startAlign = async () => {
    try {
      const out = await post(`/api/groups/${id}/align`, size ? { seed, size: Number(size) } : { seed });
      setAlignJob(out.jobId);
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  /** Starts the LLM revision of the selected personas. */
  const startRevise = async () => {
    try {
      setReviseJob((await post(`/api/groups/${id}/revise`, { personaIds: selected })).jobId);
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  const reviseFinished = () => {
    setReviseJob(null);
    setSelected([]);
    router.refresh();
    void retrieve();
  };

  const alignFinished = () => {
    setAlignJob(null);
    router.refresh();
  };

  return {
    retrieval,
    retrievalError,
    loading,
    retrieve,
    selected,
    setSelected,
    seed,
    setSeed,
    size,
    setSize,
    alignJob,
    startAlign,
    alignFinished,
    reviseJob,
    startRevise,
    reviseFinished,
    actionError,
    staleRetrieval,
  };
}

export type GroupDetailState = ReturnType<typeof useGroupDetail>;
