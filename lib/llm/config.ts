/**
 * LLM server configuration from the environment. Any OpenAI-compatible server works (Ollama, vLLM,
 * llama.cpp server, OpenAI): LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, with per-role overrides such as
 * LLM_GENERATOR_MODEL or LLM_CRITIC_BASE_URL.
 */
export const LLM_ROLES = ['generator', 'critic', 'responder', 'embedder'] as const;
export type LlmRole = (typeof LLM_ROLES)[number];

export interface LlmRoleConfig {
  role: LlmRole;
  baseURL: string;
  apiKey: string;
  model: string;
}

function env(name: string, source: Record<string, string | undefined>): string | undefined {
  const v = source[name];
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/** The configuration of one role, or null when no model is configured for it. */
export function llmRoleConfig(role: LlmRole, source: Record<string, string | undefined> = process.env): LlmRoleConfig | null {
  const R = role.toUpperCase();
  const baseURL = env(`LLM_${R}_BASE_URL`, source) ?? env('LLM_BASE_URL', source);
  const model = env(`LLM_${R}_MODEL`, source) ?? (role === 'embedder' ? undefined : env('LLM_MODEL', source));
  if (!baseURL || !model) return null;
  return { role, baseURL, model, apiKey: env(`LLM_${R}_API_KEY`, source) ?? env('LLM_API_KEY', source) ?? '' };
}

/** A summary for the UI: which roles are configured (never the key). */
export function llmStatus(source: Record<string, string | undefined> = process.env) {
  const roles = LLM_ROLES.map((role) => {
    const c = llmRoleConfig(role, source);
    return { role, configured: c !== null, model: c?.model ?? null, baseURL: c?.baseURL ?? null };
  });
  return { configured: roles.some((r) => r.configured && r.role !== 'embedder'), roles };
}
