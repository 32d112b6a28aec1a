/// <reference lib="webworker" />
/**
 * The studio's Web Worker: holds the live session (the pool's cached orders, subsamples and baselines) and recomputes
 * every live figure off the main thread, one whole result per slider edit.
 */
import { LiveSession } from '@/lib/studio/live';
import type { WorkerRequest, WorkerResponse } from '@/lib/studio/liveTypes';

let session: LiveSession | null = null;
let pendingUpdate: Extract<WorkerRequest, { type: 'update' }> | null = null;
let pendingScatter: Extract<WorkerRequest, { type: 'scatter' }> | null = null;
let scheduled = false;

/** What this file uses of the dedicated worker's global scope, typed with the messages it exchanges. */
interface StudioWorkerScope {
  postMessage(message: WorkerResponse): void;
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null;
}
const scope: StudioWorkerScope = self;

const post = (msg: WorkerResponse) => scope.postMessage(msg);

/**
 * Runs only the newest queued update: slider moves that arrived meanwhile are skipped, not queued (latest edit wins).
 * A scatter request (new axes) after an update is answered from that update's weights.
 */
function drain() {
  scheduled = false;
  if (!session) return;
  if (pendingUpdate) {
    const u = pendingUpdate;
    pendingUpdate = null;
    try {
      post({ type: 'result', result: session.update(u.requestId, u.transforms, u.traits) });
    } catch (e) {
      post({ type: 'error', requestId: u.requestId, message: (e as Error).message });
    }
  }
  if (pendingScatter) {
    const s = pendingScatter;
    pendingScatter = null;
    post({ type: 'scatter', requestId: s.requestId, scatter: session.scatter(s.traits) });
  }
}

function schedule() {
  if (!scheduled) {
    scheduled = true;
    setTimeout(drain, 0);
  }
}

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === 'init') {
    const t0 = performance.now();
    try {
      session = new LiveSession(msg);
      post({ type: 'ready', ms: performance.now() - t0 });
    } catch (e) {
      session = null;
      post({ type: 'error', requestId: 0, message: (e as Error).message });
    }
  } else if (msg.type === 'update') {
    pendingUpdate = msg;
    // An update draws the scatter with its own axes: an older axes request is answered by it.
    pendingScatter = null;
    schedule();
  } else if (msg.type === 'scatter') {
    pendingScatter = msg;
    schedule();
  }
};
