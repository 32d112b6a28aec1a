/// <reference lib="webworker" />
/** The studio's Web Worker: holds the pool density cache and recomputes live figures off the main thread. */
import { LiveSession } from '@/lib/studio/live';
import type { WorkerRequest, WorkerResponse } from '@/lib/studio/live-types';

let session: LiveSession | null = null;
let pendingUpdate: Extract<WorkerRequest, { type: 'update' }> | null = null;
let pendingScatter: Extract<WorkerRequest, { type: 'scatter' }> | null = null;
let scatterTraits: [number, number] = [0, 3];
let scheduled = false;
let secondaryDirty = false;
/** Counts primary updates; a delayed secondary pass runs only if no update came after it was planned. */
let generation = 0;

const post = (msg: WorkerResponse) => (self as unknown as Worker).postMessage(msg);

/** Runs only the newest queued update: slider moves that arrived meanwhile are skipped, not queued. */
function drain() {
  scheduled = false;
  if (!session) return;
  if (pendingUpdate) {
    const u = pendingUpdate;
    pendingUpdate = null;
    try {
      post({ type: 'result', result: session.update(u.requestId, u.transforms) });
      secondaryDirty = true;
      generation++;
    } catch (e) {
      post({ type: 'error', requestId: u.requestId, message: (e as Error).message });
    }
  }
  if (pendingScatter) {
    const s = pendingScatter;
    pendingScatter = null;
    const pts = session.scatter(s.traits);
    post({ type: 'scatter', requestId: s.requestId, ...pts });
  }
  // Raw metrics, baselines and coverage are not needed at slider speed: run them in small steps once no newer
  // update waits, and give up as soon as one arrives.
  if (secondaryDirty && !pendingUpdate) {
    secondaryDirty = false;
    const planned = generation;
    const steps = session.secondarySteps();
    const runStep = (i: number) => {
      if (pendingUpdate || planned !== generation || !session || i >= steps.length) return;
      const result = steps[i]!();
      if (result) {
        post({ type: 'secondary', result });
        post({ type: 'scatter', requestId: result.requestId, ...session.scatter(scatterTraits) });
      } else setTimeout(() => runStep(i + 1), 0);
    };
    // Debounced: start once the slider has rested for half a second (no update since), so a drag is never slowed by
    // these figures or by the re-render of the panels they feed.
    setTimeout(() => runStep(0), 500);
  }
}

function schedule() {
  if (!scheduled) {
    scheduled = true;
    setTimeout(drain, 0);
  }
}

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
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
    schedule();
  } else if (msg.type === 'scatter') {
    scatterTraits = msg.traits;
    pendingScatter = msg;
    schedule();
  }
};
