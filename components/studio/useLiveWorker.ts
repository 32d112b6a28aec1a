'use client';
/**
 * The studio's live update: the Web Worker (lives as long as the page), the pool and respondents sent to it, an
 * update request per edit and a scatter request per change of axes, and the input-to-paint latency of each result
 * (read by the browser benchmark from window.__studioLatencies / __studioBreakdown).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KdeBandwidth, LiveMethod, LiveResult, ScatterPoints, WorkerRequest, WorkerResponse } from '@/lib/studio/liveTypes';
import type { StudioData } from '@/lib/studio/data';
import type { TraitEdits } from '@/lib/targets/schema';
import { combineTransforms, traitMoments } from '@/lib/targets/transform';

declare global {
  interface Window {
    /** Input-to-paint latencies (ms) of live updates (every panel drawn), read by the browser benchmark. */
    __studioLatencies?: number[];
    /** Per update: worker compute (ms), wait before the worker (ms), and result-received-to-paint (ms). */
    __studioBreakdown?: { worker: number; queue: number; render: number; commit: number; stages: Record<string, number> }[];
  }
}

export function useLiveWorker({
  data,
  method,
  bandwidth,
  edits,
  scatterTraits,
}: {
  data: StudioData | undefined;
  method: LiveMethod;
  bandwidth: KdeBandwidth;
  edits: TraitEdits;
  scatterTraits: [number, number];
}) {
  const [live, setLive] = useState<LiveResult | null>(null);
  // The scatter comes with each result; a change of axes alone asks the worker for new points.
  const [scatter, setScatter] = useState<ScatterPoints | null>(null);
  const [workerError, setWorkerError] = useState<string | null>(null);
  const [requested, setRequested] = useState(0);
  /** The edits the latest request was sent for: until then the figures on screen are not the current target's. */
  const [requestedEdits, setRequestedEdits] = useState<TraitEdits | null>(null);
  const [ready, setReady] = useState(false);

  const workerRef = useRef<Worker | null>(null);
  const nextId = useRef(0);
  const sentAt = useRef(new Map<number, number>());
  /** When the last slider input happened (the latency clock starts there, not when the request is sent). */
  const inputAt = useRef<number | null>(null);
  const pendingPaint = useRef<{ id: number; t0: number; received: number; worker: number; stages: Record<string, number> } | null>(null);

  // The worker lives as long as the page.
  useEffect(() => {
    const worker = new Worker(new URL('./studio.worker.ts', import.meta.url), { type: 'module' });
    workerRef.current = worker;
    worker.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const msg = ev.data;
      if (msg.type === 'ready') setReady(true);
      else if (msg.type === 'result') {
        const t0 = sentAt.current.get(msg.result.requestId);
        if (t0 !== undefined) pendingPaint.current = { id: msg.result.requestId, t0, received: performance.now(), worker: msg.result.ms, stages: msg.result.stages };
        setLive(msg.result);
        setScatter(msg.result.scatter);
        setWorkerError(null);
      } else if (msg.type === 'scatter') setScatter(msg.scatter);
      else if (msg.type === 'error') setWorkerError(msg.message);
    };
    worker.onerror = (e) => setWorkerError(e.message || 'The computation worker failed.');
    return () => worker.terminate();
  }, []);
  
  // Record input-to-paint latency once every panel of a result has been painted: the layout effect runs right after
  // React commits the new panels; the frame that paints them runs its animation-frame callbacks first, and a task
  // posted from there runs once that frame (style, layout, paint) is done. Charts may change the page again after
  // the commit (their own follow-up renders): the figure is the end of the last frame after which nothing in the
  // page changed (checked one frame later), so it covers every panel's final drawing.
  const liveArea = useRef<HTMLDivElement>(null);
  const lastMutation = useRef(0);
  useEffect(() => {
    const el = liveArea.current;
    if (!el) return;
    const mo = new MutationObserver(() => {
      lastMutation.current = performance.now();
    });
    mo.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
    return () => mo.disconnect();
  }, []);
  useLayoutEffect(() => {
    const p = pendingPaint.current;
    if (!p || !live || live.requestId !== p.id) return;
    pendingPaint.current = null;
    // React's render and commit of the result (the rest of `render` is style, layout, paint and the frame's wait).
    const commit = performance.now() - p.received;
    // painted: when the last frame that had something new to paint was done; a frame with no change confirms it.
    const frame = (since: number, painted: number | null, left: number) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          const now = performance.now();
          if ((painted === null || lastMutation.current > since) && left > 0) {
            frame(now, now, left - 1);
            return;
          }
          const end = painted ?? now;
          (window.__studioLatencies ??= []).push(end - p.t0);
          (window.__studioBreakdown ??= []).push({ worker: p.worker, queue: p.received - p.t0 - p.worker, render: end - p.received, commit, stages: p.stages });
        };
        ch.port2.postMessage(null);
      });
    frame(performance.now(), null, 30);
  }, [live]);
  
  const moments = useMemo(() => {
    if (!data) return null;
    return traitMoments(Float64Array.from(data.target.reference), data.target.n);
  }, [data]);
  
  // New pool or respondents: send them to the worker.
  useEffect(() => {
    if (!data || !workerRef.current) return;
    setReady(false);
    const msg: WorkerRequest = {
      type: 'init',
      pool: data.pool.data,
      poolN: data.pool.n,
      reference: data.target.reference,
      referenceN: data.target.n,
      baselines: data.baselines,
      method,
      bandwidth,
    };
    workerRef.current.postMessage(msg);
  }, [data, method, bandwidth]);
  
  const send = useCallback(
    (type: 'update' | 'scatter') => {
      if (!workerRef.current || !moments || !data) return;
      const transforms = combineTransforms(moments, data.target.presetTargets, edits);
      if (type === 'update') {
        const id = ++nextId.current;
        sentAt.current.set(id, inputAt.current ?? performance.now());
        inputAt.current = null;
        setRequested(id);
        setRequestedEdits(edits);
        workerRef.current.postMessage({ type: 'update', requestId: id, transforms, traits: scatterTraits } satisfies WorkerRequest);
      }
      else workerRef.current.postMessage({ type: 'scatter', requestId: nextId.current, traits: scatterTraits } satisfies WorkerRequest);
    },
    [moments, data, edits, scatterTraits],
  );
  
  useEffect(() => {
    if (ready) send('update');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, edits, moments]);
  
  useEffect(() => {
    if (ready) send('scatter');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scatterTraits]);

  /** Starts the latency clock of the next update at a user's input. */
  const markInput = useCallback(() => {
    inputAt.current = performance.now();
  }, []);

  return { live, scatter, workerError, requested, requestedEdits, ready, liveArea, markInput };
}
