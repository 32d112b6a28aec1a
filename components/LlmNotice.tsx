import { llmStatus } from '@/lib/llm/config';

/** Tells the user whether an LLM server is configured, and how to configure one. Server component. */
export function LlmNotice() {
  const status = llmStatus();
  if (status.configured) {
    return (
      <p className="text-sm text-slate-600" data-testid="llm-status">
        LLM server configured:{' '}
        {status.roles
          .filter((r) => r.configured)
          .map((r) => `${r.role} = ${r.model}`)
          .join(', ')}
        .
      </p>
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
    </div>
  );
}
