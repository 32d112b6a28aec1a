'use client';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { decodeReference, type CompactReference, type Trait } from '@/lib/groups/builder';
import { api } from '@/components/api';

interface Wire {
  referenceSetId: string;
  n: number;
  countries: string[];
  names: Record<string, string>;
  data: string;
  norms: Record<string, Record<Trait, number>>;
}

/** Loads the compact reference once per page (cached by react-query). */
export function useBuilderReference(referenceSetId = 'big5') {
  const q = useQuery({
    queryKey: ['builder-reference', referenceSetId],
    staleTime: Infinity,
    queryFn: () => api<Wire>(`/api/reference/builder?set=${encodeURIComponent(referenceSetId)}`),
  });
  const ref = useMemo<CompactReference | null>(() => (q.data ? decodeReference(q.data) : null), [q.data]);
  return { wire: q.data ?? null, ref, error: q.error ? (q.error as Error).message : null };
}
