'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { PersonaStatusValue } from '@/lib/personas/schema';
import type { ReviewQueueName } from '@/lib/review/schema';
import type { ReviewQueueItem } from '@/lib/review/service';
import { api, type ApiOptions } from '../api';

/** One persona of the queue (GET /api/review/queue). */
export type QueueItem = ReviewQueueItem;

interface QueuePage {
  items: QueueItem[];
  remaining: number;
  nextCursor: string | null;
}

export interface SessionDecision {
  decisionId: number;
  personaId: number;
  decision: 'accept' | 'reject';
  reasonCode: string | null;
  undone: boolean;
}

export type Scope = 'pending' | 'second-opinion';

const BATCH = 40;

const call = <T>(url: string, options: ApiOptions = {}) => api<T>(url, { ...options, fallback: (status) => `The server answered ${status}.` });

const post = <T>(url: string, body: unknown) => call<T>(url, { json: body });

/**
 * The review queue through react-query: pages of the queue (keyset cursor), the count left to decide, and the
 * decide / undo mutations with this session's log. Every failure surfaces as one `error`.
 */
export function useReviewQueue({ reviewer, queue, scope, filterQs }: { reviewer: string | null; queue: ReviewQueueName; scope: Scope; filterQs: string }) {
  const queryClient = useQueryClient();
  const params = useMemo(() => {
    const sp = new URLSearchParams(filterQs);
    sp.set('queue', queue);
    sp.set('scope', scope);
    return sp.toString();
  }, [filterQs, queue, scope]);
  const [session, setSession] = useState<SessionDecision[]>([]);
  const [statusOf, setStatusOf] = useState<Map<number, PersonaStatusValue>>(new Map());

  // Decided personas leave a pending queue on the server; the list on screen keeps them (to go back and see them).
  const pages = useInfiniteQuery({
    queryKey: ['review-queue', reviewer, params],
    enabled: Boolean(reviewer),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => call<QueuePage>(`/api/review/queue?${params}&limit=${BATCH}${pageParam ? `&after=${pageParam}` : ''}`),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const remaining = useQuery({
    queryKey: ['review-remaining', reviewer, params],
    enabled: Boolean(reviewer),
    queryFn: () => call<{ remaining: number }>(`/api/review/remaining?${params}`),
    refetchOnWindowFocus: false,
  });

  const items = useMemo(() => {
    const seen = new Set<number>();
    const out: QueueItem[] = [];
    for (const page of pages.data?.pages ?? []) {
      for (const it of page.items) {
        if (seen.has(it.id)) continue;
        seen.add(it.id);
        out.push(statusOf.has(it.id) ? { ...it, status: statusOf.get(it.id)! } : it);
      }
    }
    return out;
  }, [pages.data, statusOf]);

  const afterChange = (personaId: number, status: PersonaStatusValue) => {
    setStatusOf((m) => new Map(m).set(personaId, status));
    void queryClient.invalidateQueries({ queryKey: ['review-remaining'] });
  };

  const decideMutation = useMutation({
    mutationFn: (input: { personaId: number; decision: 'accept' | 'reject'; reasonCode: string | null; note: string | null }) =>
      post<{ decision: { id: number }; status: PersonaStatusValue }>('/api/review/decisions', input),
    onSuccess: (body, input) => {
      setSession((s) => [...s, { decisionId: body.decision.id, personaId: input.personaId, decision: input.decision, reasonCode: input.reasonCode, undone: false }]);
      afterChange(input.personaId, body.status);
    },
  });
  const undoMutation = useMutation({
    mutationFn: (decisionId: number) => post<{ status: PersonaStatusValue; undone: { personaId: number } }>('/api/review/undo', { decisionId }),
    onSuccess: (body, decisionId) => {
      setSession((s) => s.map((d) => (d.decisionId === decisionId ? { ...d, undone: true } : d)));
      afterChange(body.undone.personaId, body.status);
    },
  });

  const error = pages.error ?? remaining.error ?? decideMutation.error ?? undoMutation.error;
  return {
    items,
    loading: pages.isPending && Boolean(reviewer),
    hasMore: Boolean(pages.hasNextPage),
    loadMore: () => {
      if (pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
    },
    remaining: remaining.data?.remaining ?? null,
    session,
    resetSession: () => setSession([]),
    decide: decideMutation.mutateAsync,
    undo: undoMutation.mutateAsync,
    busy: decideMutation.isPending || undoMutation.isPending,
    error: error ? error.message : null,
    clearError: () => {
      decideMutation.reset();
      undoMutation.reset();
    },
  };
}
