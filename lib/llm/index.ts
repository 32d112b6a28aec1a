/** LLM access: configuration, models (the only place naming providers), and recorded, cached calls. */
export {
  LLM_ROLES,
  LlmConfigError,
  llmRoleConfig,
  llmStatus,
  parseEndpointList,
  type LlmEndpointConfig,
  type LlmRole,
  type LlmRoleConfig,
  type LlmRoleStatus,
} from './config';
export type { EndpointState } from './endpoint';
export { endpointScheduler } from './endpoints';
export type { EndpointView } from './endpointView';
export {
  chatRoute,
  clearModelOverrides,
  embeddingRoute,
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
  retryAfterMs,
  streamLlmText,
  type LlmCallOptions,
  type LlmMessage,
  type LlmResult,
} from './call';
