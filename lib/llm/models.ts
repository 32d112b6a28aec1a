/**
 * The only place that names LLM providers. `getModel(role)` returns the configured OpenAI-compatible chat model for a
 * role (generator, critic, responder), `getEmbeddingModel()` the embedder; tests inject models with
 * `setModelOverride(role, model)` (MockLanguageModelV3 / MockEmbeddingModelV3 from 'ai/test').
 */
import { processSingleton } from './processState';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModel, LanguageModel } from 'ai';
import { AppError } from '../http/errors';
import { LlmConfigError, llmRoleConfig, llmStatus, type LlmRole, type LlmRoleConfig } from './config';
import type { Endpoint } from './endpoint';
import { endpointScheduler } from './endpoints';

type ChatRole = Exclude<LlmRole, 'embedder'>;
type AnyModel = Exclude<LanguageModel, string>;
type AnyEmbeddingModel = Exclude<EmbeddingModel, string>;

interface Overrides {
  chat: Map<string, AnyModel>;
  embedder: AnyEmbeddingModel | null;
}
const overrides: Overrides = processSingleton<Overrides>('overrides', () => ({ chat: new Map(), embedder: null }));

/** Thrown when an LLM action is requested but no server is configured. */
export class LlmNotConfiguredError extends AppError {
  constructor(role: LlmRole) {
    super(
      'llm_not_configured',
      invalidReason(role) ??
        `No LLM is configured for the ${role} role. Set LLM_BASE_URL (e.g. http://localhost:11434/v1), LLM_MODEL and, if the server needs one, LLM_API_KEY (or the per-role LLM_${role.toUpperCase()}_* variables), then restart.`,
      503,
    );
  }
}

/** Why a role's configuration is invalid, or null. */
function invalidReason(role: LlmRole): string | null {
  try {
    llmRoleConfig(role);
    return null;
  } catch (e) {
    if (e instanceof LlmConfigError) return `The LLM configuration of the ${role} role is invalid: ${e.message}`;
    throw e;
  }
}

/** The role's configuration, or null when it is missing or invalid. */
function configOrNull(role: LlmRole): LlmRoleConfig | null {
  try {
    return llmRoleConfig(role);
  } catch (e) {
    if (e instanceof LlmConfigError) return null;
    throw e;
  }
}

/** Injects a model for a role (tests); `null` removes it. */
export function setModelOverride(role: ChatRole, model: AnyModel | null): void {
  if (model) overrides.chat.set(role, model);
  else overrides.chat.delete(role);
}

export function setEmbeddingModelOverride(model: AnyEmbeddingModel | null): void {
  overrides.embedder = model;
}

export function clearModelOverrides(): void {
  overrides.chat.clear();
  overrides.embedder = null;
}

/** Whether a role can be used (configured or injected). */
export function isRoleAvailable(role: LlmRole): boolean {
  if (role === 'embedder') return overrides.embedder !== null || configOrNull(role) !== null;
  return overrides.chat.has(role) || configOrNull(role) !== null;
}

/** Whether LLM actions can run at all (any chat role available). */
export function llmAvailable(): boolean {
  return overrides.chat.size > 0 || llmStatus().configured;
}

/**
 * Where a role's calls go: the model id recorded with them, and either the configured endpoints (each with its own
 * model object) or, for an injected model, no endpoints.
 */
export interface ModelRoute<M> {
  modelId: string;
  /** Null for an injected model (limited by the process-wide limiter instead). */
  endpoints: Endpoint[] | null;
  /** The model that calls `endpoint` (the injected model when endpoints is null). */
  modelAt(endpoint: Endpoint | null): M;
}

const providers = processSingleton('providers', () => new Map<string, ReturnType<typeof createOpenAICompatible>>());

function provider(role: LlmRole, url: string, apiKey: string, embedder: boolean) {
  const key = JSON.stringify([role, url, apiKey, embedder]);
  let p = providers.get(key);
  if (!p) {
    p = createOpenAICompatible({
      name: `populace-${role}`,
      baseURL: url,
      apiKey: apiKey || undefined,
      ...(embedder ? {} : { supportsStructuredOutputs: true, includeUsage: true }),
    });
    providers.set(key, p);
  }
  return p;
}

function configuredRoute<M>(c: LlmRoleConfig, build: (url: string, apiKey: string) => M): ModelRoute<M> {
  const endpoints = endpointScheduler().endpointsFor(c.role, c.endpoints);
  const models = new Map<Endpoint, M>(endpoints.map((e, i) => [e, build(c.endpoints[i]!.url, c.endpoints[i]!.apiKey)]));
  return {
    modelId: c.model,
    endpoints,
    modelAt: (e) => models.get(e ?? endpoints[0]!) ?? models.get(endpoints[0]!)!,
  };
}

/** The route of a chat role. Throws LlmNotConfiguredError when there is none (or its configuration is invalid). */
export function chatRoute(role: ChatRole): ModelRoute<AnyModel> {
  const injected = overrides.chat.get(role);
  if (injected) return { modelId: injected.modelId, endpoints: null, modelAt: () => injected };
  const c = configOrNull(role);
  if (!c) throw new LlmNotConfiguredError(role);
  return configuredRoute(c, (url, apiKey) => provider(role, url, apiKey, false).chatModel(c.model));
}

/** The route of the embedder. Throws LlmNotConfiguredError when there is none. */
export function embeddingRoute(): ModelRoute<AnyEmbeddingModel> {
  const injected = overrides.embedder;
  if (injected) return { modelId: injected.modelId, endpoints: null, modelAt: () => injected };
  const c = configOrNull('embedder');
  if (!c) throw new LlmNotConfiguredError('embedder');
  return configuredRoute(c, (url, apiKey) => provider('embedder', url, apiKey, true).embeddingModel(c.model));
}

/** The chat model of a role (its first endpoint). Throws LlmNotConfiguredError when there is none. */
export function getModel(role: ChatRole): AnyModel {
  return chatRoute(role).modelAt(null);
}

/** The embedding model (its first endpoint). Throws LlmNotConfiguredError when there is none. */
export function getEmbeddingModel(): AnyEmbeddingModel {
  return embeddingRoute().modelAt(null);
}

/** The model id recorded with every output. */
export function modelId(model: AnyModel | AnyEmbeddingModel): string {
  return model.modelId;
}
