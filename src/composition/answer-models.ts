import type { Config } from '../config.js';
import type { AnswerModels } from '../core/index.js';
import { planAskModels } from '../core/answer/resolve-model.js';
import type { ChatModel } from '../core/ports/ports.js';
import type { Providers } from './providers.js';

/**
 * The answer models, decided once before the core is built. Given models (benchmarks) are used
 * as they are; otherwise the configuration and Groq's catalog decide (asking Groq which models it
 * hosts when a Groq key is set and ASK_MODEL pins none).
 */
export async function decideAnswerModels(providers: Providers, config: Config, given: readonly ChatModel[] | undefined): Promise<AnswerModels> {
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
