import { llmStatus, type LlmRoleStatus } from '@/lib/llm/config';

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Each endpoint's state by position (never its URL): "#2 resting until 14:05:03". */
function endpointStates(r: LlmRoleStatus): string {
  if (r.endpoints.length <= 1 && r.endpoints.every((e) => e.state === 'ok')) return '';
  const parts = r.endpoints.map((e) => {
    if (e.state === 'resting') return `#${e.index} resting until ${time(e.until!)}`;
    if (e.state === 'rate-limited') return `#${e.index} rate-limited until ${time(e.until!)}`;
    if (e.state === 'probing') return `#${e.index} trying again`;
    return `#${e.index} ok`;
  });
  return ` (${r.endpoints.length} endpoint${r.endpoints.length === 1 ? '' : 's'}: ${parts.join(', ')})`;
}

/** Tells the user whether an LLM server is configured, and how to configure one. Server component. */
export function LlmNotice() {
  const status = llmStatus();
  const errors = status.roles.filter((r) => r.error);
  const errorList =
    errors.length > 0 ? (
      <ul className="mt-1 list-disc pl-5 text-amber-900" data-testid="llm-config-errors">
        {errors.map((r) => (
          <li key={r.role}>
            {r.role}: {r.error}
          </li>
        ))}
      </ul>
    ) : null;
  if (status.configured) {
    return (
      <div className="text-sm text-slate-600" data-testid="llm-status">
        <p>
          LLM server configured:{' '}
          {status.roles
            .filter((r) => r.configured)
            .map((r) => `${r.role} = ${r.model}${endpointStates(r)}`)
            .join(', ')}
          .
        </p>
        {errorList}
      </div>
    );
  }
  return (
    <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="llm-status">
      <p className="font-medium">No LLM server is configured.</p>
      <p className="mt-1">
        Mining and measuring new personas needs an OpenAI-compatible server (Ollama, vLLM, llama.cpp, OpenAI). Set{' '}
        <code>LLM_BASE_URL</code> (for example <code>http://localhost:11434/v1</code>), <code>LLM_MODEL</code> and, if the
        server needs one, <code>LLM_API_KEY</code>, then restart. Everything else works without it.
      </p>
      {errorList}
    </div>
  );
}
