/**
 * LLM server configuration from the environment. Any OpenAI-compatible server works (Ollama, vLLM,
 * llama.cpp server, OpenAI): LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, with per-role overrides such as
 * LLM_GENERATOR_MODEL or LLM_CRITIC_BASE_URL.
 *
 * Several servers (endpoints) per role: LLM_BASE_URL (or LLM_BASE_URLS, and per role LLM_<ROLE>_BASE_URL or
 * LLM_<ROLE>_BASE_URLS) is a comma-separated list; each entry is a URL, optionally followed by `|N`, the number of
 * calls that endpoint takes at once (default LLM_CONCURRENCY, 4):
 *
 *     LLM_BASE_URL=http://gpu1:8000/v1|8,http://gpu2:8000/v1|4,http://gpu3:11434/v1
 *
 * Keys per endpoint: LLM_API_KEYS (or LLM_<ROLE>_API_KEYS beside a per-role list) is a comma-separated list with one
 * entry per endpoint, in the same order; an empty entry uses LLM_<ROLE>_API_KEY or LLM_API_KEY. Errors name the
 * variable and the endpoint's position, never a URL or a key.
 *
 * The variables are declared in lib/env.ts (the roles' own as the pattern LLM_<ROLE>_<SETTING>) and read through it.
 */
import { env, llmRoleEnv, type EnvSource, type LlmRoleSetting } from '../env';
import { AppError } from '../http/errors';
import { endpointView, type EndpointView } from './endpointView';

export const LLM_ROLES = ['generator', 'critic', 'responder', 'embedder'] as const;
export type LlmRole = (typeof LLM_ROLES)[number];

/** One server of a role. `concurrency` null: the default (LLM_CONCURRENCY). */
export interface LlmEndpointConfig {
  url: string;
  concurrency: number | null;
  apiKey: string;
}

export interface LlmRoleConfig {
  role: LlmRole;
  /** The endpoints' URLs joined by commas (for display). */
  baseURL: string;
  /** The key shared by endpoints without their own (LLM_<ROLE>_API_KEY or LLM_API_KEY). */
  apiKey: string;
  model: string;
  /** One or more servers, in the configured order. */
  endpoints: LlmEndpointConfig[];
  /** The variable that listed the endpoints. */
  variable: string;
}

/** An invalid LLM_* variable: the message names the variable and the position, never a URL or a key. */
export class LlmConfigError extends AppError {
  constructor(message: string) {
    super('llm_config_invalid', message, 503);
    this.name = 'LlmConfigError';
  }
}

/** The largest per-endpoint concurrency accepted after `|`. */
export const MAX_ENDPOINT_CONCURRENCY = 1024;

type Source = EnvSource | undefined;

/** A role's own setting (LLM_<ROLE>_<SETTING>), or the shared one (LLM_<SETTING>) with `role` null. */
function setting(role: LlmRole | null, name: LlmRoleSetting, source: Source): string | undefined {
  return role ? llmRoleEnv(role, name, source) : env(`LLM_${name}`, source);
}

const variableName = (role: LlmRole | null, name: LlmRoleSetting) => (role ? `LLM_${role.toUpperCase()}_${name}` : `LLM_${name}`);

/** The role's (or the shared) BASE_URL or its plural BASE_URLS; both set is an error. */
function endpointList(role: LlmRole | null, source: Source): { variable: string; value: string } | undefined {
  const single = setting(role, 'BASE_URL', source);
  const plural = setting(role, 'BASE_URLS', source);
  const name = variableName(role, 'BASE_URL');
  if (single !== undefined && plural !== undefined) throw new LlmConfigError(`Set ${name} or ${name}S, not both.`);
  if (single !== undefined) return { variable: name, value: single };
  if (plural !== undefined) return { variable: `${name}S`, value: plural };
  return undefined;
}

/**
 * Parses a list of endpoints: `url[|concurrency]` entries separated by commas.
 * Throws LlmConfigError naming `variable` and the 1-based position of the bad entry.
 */
export function parseEndpointList(variable: string, value: string): Array<{ url: string; concurrency: number | null }> {
  const entries = value.split(',');
  const out: Array<{ url: string; concurrency: number | null }> = [];
  entries.forEach((raw, i) => {
    const at = entries.length > 1 ? `${variable}, endpoint ${i + 1} of ${entries.length}` : variable;
    const entry = raw.trim();
    if (entry === '') throw new LlmConfigError(`${at}: empty entry (two commas in a row, or a comma at the start or end).`);
    const parts = entry.split('|');
    if (parts.length > 2) throw new LlmConfigError(`${at}: more than one "|"; write URL or URL|N (N = calls at once).`);
    const url = parts[0]!.trim();
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
      throw new LlmConfigError(`${at}: not an http(s) URL (expected e.g. http://localhost:11434/v1).`);
    }
    let concurrency: number | null = null;
    if (parts.length === 2) {
      const c = parts[1]!.trim();
      if (!/^\d+$/.test(c) || Number(c) < 1 || Number(c) > MAX_ENDPOINT_CONCURRENCY) {
        throw new LlmConfigError(`${at}: the number after "|" (calls at once) must be a whole number from 1 to ${MAX_ENDPOINT_CONCURRENCY}, not "${c.slice(0, 20)}".`);
      }
      concurrency = Number(c);
    }
    const normal = url.replace(/\/+$/, '');
    const dup = out.findIndex((e) => e.url.replace(/\/+$/, '') === normal);
    if (dup >= 0) throw new LlmConfigError(`${variable}: endpoints ${dup + 1} and ${i + 1} are the same URL.`);
    out.push({ url, concurrency });
  });
  return out;
}

/** The configuration of one role, or null when no model is configured for it. Throws LlmConfigError when invalid. */
export function llmRoleConfig(role: LlmRole, source?: Source): LlmRoleConfig | null {
  const R = role.toUpperCase();
  const model = setting(role, 'MODEL', source) ?? (role === 'embedder' ? undefined : setting(null, 'MODEL', source));
  const own = endpointList(role, source);
  const list = own ?? endpointList(null, source);
  if (!list || !model) return null;
  const apiKey = setting(role, 'API_KEY', source) ?? setting(null, 'API_KEY', source) ?? '';
  const keysVariable = own ? `LLM_${R}_API_KEYS` : 'LLM_API_KEYS';
  if (!own && setting(role, 'API_KEYS', source) !== undefined) {
    throw new LlmConfigError(`LLM_${R}_API_KEYS is set but LLM_${R}_BASE_URL is not: per-role keys go with a per-role list of endpoints.`);
  }
  const endpoints = parseEndpointList(list.variable, list.value);
  const keysValue = setting(own ? role : null, 'API_KEYS', source);
  let keys: string[] = [];
  if (keysValue) {
    keys = keysValue.split(',').map((k) => k.trim());
    if (keys.length !== endpoints.length) {
      throw new LlmConfigError(
        `${keysVariable} lists ${keys.length} key${keys.length === 1 ? '' : 's'} but ${list.variable} lists ${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}: give one entry per endpoint, in the same order (an empty entry uses ${own ? `LLM_${R}_API_KEY or ` : ''}LLM_API_KEY).`,
      );
    }
  }
  return {
    role,
    model,
    apiKey,
    baseURL: endpoints.map((e) => e.url).join(','),
    endpoints: endpoints.map((e, i) => ({ ...e, apiKey: keys[i] || apiKey })),
    variable: list.variable,
  };
}

export interface LlmRoleStatus {
  role: LlmRole;
  configured: boolean;
  model: string | null;
  /** The endpoints' URLs joined by commas; null unless `details`. */
  baseURL: string | null;
  /** Each endpoint with its state; `url` and `lastError` are null unless `details`. */
  endpoints: EndpointView[];
  /** Why the role's configuration is invalid (names the variable and position only). */
  error: string | null;
}

/**
 * A summary for the UI: which roles are configured and the state of each endpoint (never a key). URLs and the
 * endpoints' last errors (which may name a host) only with `details` (admins).
 */
export function llmStatus({ source, details = false }: { source?: Source; details?: boolean } = {}) {
  const roles: LlmRoleStatus[] = LLM_ROLES.map((role) => {
    let c: LlmRoleConfig | null = null;
    let error: string | null = null;
    try {
      c = llmRoleConfig(role, source);
    } catch (e) {
      if (!(e instanceof LlmConfigError)) throw e;
      error = e.message;
    }
    return {
      role,
      configured: c !== null,
      model: c?.model ?? null,
      baseURL: details ? (c?.baseURL ?? null) : null,
      endpoints: (c?.endpoints ?? []).map((e, i) => endpointView(e.url, i, details, e.concurrency)),
      error,
    };
  });
  return { configured: roles.some((r) => r.configured && r.role !== 'embedder'), roles };
}
