/**
 * The only place that names LLM providers. `getModel(role)` returns the configured OpenAI-compatible chat model for a
 * role (generator, critic, responder), `getEmbeddingModel()` the embedder; tests inject models with
 * `setModelOverride(role, model)` (MockLanguageModelV3 / MockEmbeddingModelV3 from 'ai/test').
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModel, LanguageModel } from 'ai';
import { AppError } from '../http/errors';
import { llmRoleConfig, llmStatus, type LlmRole } from './config';

type ChatRole = Exclude<LlmRole, 'embedder'>;
type AnyModel = Exclude<LanguageModel, string>;
type AnyEmbeddingModel = Exclude<EmbeddingModel, string>;

interface Overrides {
  chat: Map<string, AnyModel>;
  embedder: AnyEmbeddingModel | null;
}
const g = globalThis as unknown as { populaceLlmOverrides?: Overrides };
const overrides: Overrides = (g.populaceLlmOverrides ??= { chat: new Map(), embedder: null });

/** Thrown when an LLM action is requested but no server is configured. */
export class LlmNotConfiguredError extends AppError {
  constructor(role: LlmRole) {
    super(
      'llm_not_configured',
      `No LLM is configured for the ${role} role. Set LLM_BASE_URL (e.g. http://localhost:11434/v1), LLM_MODEL and, if the server needs one, LLM_API_KEY (or the per-role LLM_${role.toUpperCase()}_* variables), then restart.`,
      503,
    );
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
  if (role === 'embedder') return overrides.embedder !== null || llmRoleConfig(role) !== null;
  return overrides.chat.has(role) || llmRoleConfig(role) !== null;
}

/** Whether LLM actions can run at all (any chat role available). */
export function llmAvailable(): boolean {
  return overrides.chat.size > 0 || llmStatus().configured;
}

/** The chat model of a role. Throws LlmNotConfiguredError when there is none. */
export function getModel(role: ChatRole): AnyModel {
  const injected = overrides.chat.get(role);
  if (injected) return injected;
  const c = llmRoleConfig(role);
  if (!c) throw new LlmNotConfiguredError(role);
  const provider = createOpenAICompatible({
    name: `populace-${role}`,
    baseURL: c.baseURL,
    apiKey: c.apiKey || undefined,
    supportsStructuredOutputs: true,
    includeUsage: true,
  });
  return provider.chatModel(c.model);
}

/** The embedding model. Throws LlmNotConfiguredError when there is none. */
export function getEmbeddingModel(): AnyEmbeddingModel {
  if (overrides.embedder) return overrides.embedder;
  const c = llmRoleConfig('embedder');
  if (!c) throw new LlmNotConfiguredError('embedder');
  const provider = createOpenAICompatible({ name: 'populace-embedder', baseURL: c.baseURL, apiKey: c.apiKey || undefined });
  return provider.embeddingModel(c.model);
}

/** The model id recorded with every output. */
export function modelId(model: AnyModel | AnyEmbeddingModel): string {
  return model.modelId;
}
