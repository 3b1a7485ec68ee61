import type { Config } from '../config.js';
import type { ModelChain } from './answer/model-chain.js';
import { planAskModels, type ModelPlan } from './answer/resolve-model.js';
import type { ChatModel } from './ports.js';
import type { Providers } from './wiring.js';

/** The answer models, decided once at start: a chain (first model, then fallbacks) and why. */
export interface AnswerModels {
  /** Undefined: no model key, /ask quotes passages. */
  readonly chain: ModelChain | undefined;
  readonly plan: ModelPlan | undefined;
}

/** Given models (benchmarks) are used as they are; otherwise the configuration and Groq's catalog decide. */
export async function resolveAnswerModels(providers: Providers, config: Config, given: readonly ChatModel[] | undefined): Promise<AnswerModels> {
  if (given) return { chain: providers.chainOf(given), plan: undefined };
  const plan = await planAskModels({
    pinned: config.ask.model,
    fallbacks: config.ask.fallbackModels,
    groqDefaultModel: config.ask.groqDefaultModel,
    hasGroqKey: config.groq.apiKey !== undefined,
    hasGeminiKey: config.gemini.apiKey !== undefined,
    groqCatalog: providers.groqCatalog,
    logger: providers.chatLogger,
  });
  const chain = plan.models.length > 0 ? providers.chainOf(plan.models.map(providers.buildModel)) : undefined;
  providers.chatLogger.info({ models: plan.models, reason: plan.reason }, plan.models.length > 0 ? `/ask answers with ${plan.models[0]}: ${plan.reason}` : `/ask quotes passages: ${plan.reason}`);
  return { chain, plan };
}
