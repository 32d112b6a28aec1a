/** LLM access: configuration, models (the only place naming providers), and recorded, cached calls. */
export { LLM_ROLES, llmRoleConfig, llmStatus, type LlmRole, type LlmRoleConfig } from './config';
export {
  clearModelOverrides,
  getEmbeddingModel,
  getModel,
  isRoleAvailable,
  llmAvailable,
  LlmNotConfiguredError,
  setEmbeddingModelOverride,
  setModelOverride,
} from './models';
export { Limiter, llmLimiter, setLlmConcurrency } from './limiter';
export {
  callLlmObject,
  callLlmText,
  embedTexts,
  LlmCallError,
  requestHash,
  streamLlmText,
  type LlmCallOptions,
  type LlmMessage,
  type LlmResult,
} from './call';
