'use client';

/**
 * Forms that start generation, measurement, baseline and demographics-reading jobs. Disabled, with the reason, when no
 * LLM is configured.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ReadOnlyNote, useMayChange } from '../Access';
import { api } from '../api';

interface Props {
  llmAvailable: boolean;
  postSources: { id: string; posts: number }[];
  personaSources: { id: string; name: string; personas: number }[];
}

const input = 'w-24 rounded border border-slate-300 px-2 py-1';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="text-slate-600">{label}</span>
      {children}
    </label>
  );
}

function useStart(path: string) {
  const qc = useQueryClient();
  const [state, setState] = useState<{ busy: boolean; error: string | null; jobId: number | null }>({ busy: false, error: null, jobId: null });
  const start = async (body: Record<string, unknown>) => {
    setState({ busy: true, error: null, jobId: null });
    try {
      const out = await api<{ job: { id: number } }>(path, { json: body });
      setState({ busy: false, error: null, jobId: out.job.id });
      await qc.invalidateQueries({ queryKey: ['jobs', 'pipeline'] });
    } catch (e) {
      setState({ busy: false, error: (e as Error).message, jobId: null });
    }
  };
  return { ...state, start };
}

function Card({ title, testId, children, hint }: { title: string; testId: string; children: ReactNode; hint: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4" data-testid={testId}>
      <h3 className="font-medium">{title}</h3>
      <p className="mb-3 text-xs text-slate-500">{hint}</p>
      {children}
    </div>
  );
}

function Submit({ disabled, busy, label, testId, llmAvailable }: { disabled: boolean; busy: boolean; label: string; testId: string; llmAvailable: boolean }) {
  const mayChange = useMayChange();
  return (
    <div className="mt-3 flex items-center gap-3">
      <button type="submit" disabled={disabled || busy || !llmAvailable || !mayChange} className="rounded bg-slate-800 px-3 py-1.5 text-sm text-white disabled:opacity-50" data-testid={testId}>
        {busy ? 'Starting…' : label}
      </button>
      <ReadOnlyNote what="starting a job" />
      {!llmAvailable && <span className="text-xs text-amber-800">Needs an LLM server: set LLM_BASE_URL and LLM_MODEL (see above).</span>}
    </div>
  );
}

export function JobForms({ llmAvailable, postSources, personaSources }: Props) {
  const gen = useStart('/api/pipeline/generate');
  const mea = useStart('/api/pipeline/measure');
  const base = useStart('/api/pipeline/baseline');
  const demo = useStart('/api/pipeline/demographics');
  const [dSource, setDSource] = useState('');
  const [g, setG] = useState({ sourceId: postSources[0]?.id ?? '', minPostsPerAuthor: 6, minTokens: 30, keepMedium: false, criticOverallAbove: 8, criticOthersAbove: 7, privacyRewrite: true, concurrency: 4 });
  const [m, setM] = useState({ sourceId: '', instrumentId: 'ipip50', mode: 'single', batchSize: 10, temperature: 0.7, repetitions: 1, concurrency: 4 });
  const [b, setB] = useState({ instrumentId: 'ipip50', temperatures: '0, 0.7, 1', runs: 1, mode: 'single' });
  const num = (v: string) => Number(v);

  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card title="Generate personas" testId="generate-form" hint="Filter, denoise and label posts; one grounded persona per author; critic, privacy and near-duplicate checks.">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const { keepMedium, ...rest } = g;
            gen.start({ ...rest, keepQualities: keepMedium ? ['high', 'medium'] : ['high'] });
          }}
        >
          <div className="flex flex-wrap gap-3">
            <Field label="Posts source">
              <select className="rounded border border-slate-300 px-2 py-1" value={g.sourceId} onChange={(e) => setG({ ...g, sourceId: e.target.value })} data-testid="generate-source">
                {postSources.length === 0 && <option value="">import posts first</option>}
                {postSources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id} ({s.posts} posts)
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Min posts / author">
              <input className={input} type="number" min={1} value={g.minPostsPerAuthor} onChange={(e) => setG({ ...g, minPostsPerAuthor: num(e.target.value) })} />
            </Field>
            <Field label="Min tokens / post">
              <input className={input} type="number" min={0} value={g.minTokens} onChange={(e) => setG({ ...g, minTokens: num(e.target.value) })} />
            </Field>
            <Field label="Critic: overall >">
              <input className={input} type="number" min={0} max={10} value={g.criticOverallAbove} onChange={(e) => setG({ ...g, criticOverallAbove: num(e.target.value) })} />
            </Field>
            <Field label="Critic: others >">
              <input className={input} type="number" min={0} max={10} value={g.criticOthersAbove} onChange={(e) => setG({ ...g, criticOthersAbove: num(e.target.value) })} />
            </Field>
            <Field label="Concurrency">
              <input className={input} type="number" min={1} max={64} value={g.concurrency} onChange={(e) => setG({ ...g, concurrency: num(e.target.value) })} />
            </Field>
          </div>
          <div className="mt-2 flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={g.keepMedium} onChange={(e) => setG({ ...g, keepMedium: e.target.checked })} /> keep medium-quality posts too
            </label>
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={g.privacyRewrite} onChange={(e) => setG({ ...g, privacyRewrite: e.target.checked })} /> rewrite personas with personal information
            </label>
          </div>
          <Submit disabled={!g.sourceId} busy={gen.busy} label="Start generation" testId="generate-submit" llmAvailable={llmAvailable} />
          {gen.error && <p className="mt-2 text-sm text-red-700">{gen.error}</p>}
        </form>
      </Card>

      <Card title="Measure personas" testId="measure-form" hint="Each persona answers the items in character (1-5); scores from the instrument key; inconsistent answers are flagged.">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const { sourceId, ...rest } = m;
            mea.start(sourceId ? { ...rest, sourceId } : rest);
          }}
        >
          <div className="flex flex-wrap gap-3">
            <Field label="Personas">
              <select className="rounded border border-slate-300 px-2 py-1" value={m.sourceId} onChange={(e) => setM({ ...m, sourceId: e.target.value })} data-testid="measure-source">
                <option value="">every unmeasured persona</option>
                {personaSources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id} ({s.personas})
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Instrument">
              <select className="rounded border border-slate-300 px-2 py-1" value={m.instrumentId} onChange={(e) => setM({ ...m, instrumentId: e.target.value })}>
                <option value="ipip50">IPIP-50</option>
                <option value="ipip-neo-120">IPIP-NEO-120</option>
              </select>
            </Field>
            <Field label="Items per call">
              <select className="rounded border border-slate-300 px-2 py-1" value={m.mode} onChange={(e) => setM({ ...m, mode: e.target.value })}>
                <option value="single">one (as the paper)</option>
                <option value="batch">batched</option>
              </select>
            </Field>
            {m.mode === 'batch' && (
              <Field label="Batch size">
                <input className={input} type="number" min={2} max={120} value={m.batchSize} onChange={(e) => setM({ ...m, batchSize: num(e.target.value) })} />
              </Field>
            )}
            <Field label="Temperature">
              <input className={input} type="number" step={0.1} min={0} max={2} value={m.temperature} onChange={(e) => setM({ ...m, temperature: num(e.target.value) })} />
            </Field>
            <Field label="Repetitions">
              <input className={input} type="number" min={1} max={20} value={m.repetitions} onChange={(e) => setM({ ...m, repetitions: num(e.target.value) })} />
            </Field>
          </div>
          <Submit disabled={false} busy={mea.busy} label="Start measurement" testId="measure-submit" llmAvailable={llmAvailable} />
          {mea.error && <p className="mt-2 text-sm text-red-700">{mea.error}</p>}
        </form>
      </Card>

      <Card title="No-persona baseline" testId="baseline-form" hint="The same items answered without a persona, stored as a comparison set.">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            base.start({ instrumentId: b.instrumentId, temperatures: b.temperatures.split(',').map((s) => Number(s.trim())), runs: b.runs, mode: b.mode });
          }}
        >
          <div className="flex flex-wrap gap-3">
            <Field label="Instrument">
              <select className="rounded border border-slate-300 px-2 py-1" value={b.instrumentId} onChange={(e) => setB({ ...b, instrumentId: e.target.value })}>
                <option value="ipip50">IPIP-50</option>
                <option value="ipip-neo-120">IPIP-NEO-120</option>
              </select>
            </Field>
            <Field label="Temperatures">
              <input className="w-32 rounded border border-slate-300 px-2 py-1" value={b.temperatures} onChange={(e) => setB({ ...b, temperatures: e.target.value })} />
            </Field>
            <Field label="Runs each">
              <input className={input} type="number" min={1} max={50} value={b.runs} onChange={(e) => setB({ ...b, runs: num(e.target.value) })} />
            </Field>
          </div>
          <Submit disabled={false} busy={base.busy} label="Start baseline" testId="baseline-submit" llmAvailable={llmAvailable} />
          {base.error && <p className="mt-2 text-sm text-red-700">{base.error}</p>}
        </form>
      </Card>

      <Card
        title="Read demographics"
        testId="demographics-form"
        hint="The LLM reads age, gender, country and occupation from each narrative where the rules found nothing or only a hint; a value counts as stated only when its quote is in the text. Given values are never changed."
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            demo.start(dSource ? { sourceId: dSource } : {});
          }}
        >
          <div className="flex flex-wrap gap-3">
            <Field label="Personas">
              <select className="rounded border border-slate-300 px-2 py-1" value={dSource} onChange={(e) => setDSource(e.target.value)} data-testid="demographics-source">
                <option value="">every persona</option>
                {personaSources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id} ({s.personas})
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Submit disabled={false} busy={demo.busy} label="Start reading" testId="demographics-submit" llmAvailable={llmAvailable} />
          {demo.error && <p className="mt-2 text-sm text-red-700">{demo.error}</p>}
        </form>
      </Card>
    </div>
  );
}
