import type { Logger, ModelCatalog } from '../ports/ports.js';

export const GEMINI_GEMMA = 'gemini:gemma-4-31b-it';

export interface ModelPlan {
  /** provider:model ids, the answer model first, then its fallbacks. Empty: quote passages instead. */
  readonly models: readonly string[];
  readonly reason: string;
}

export interface PlanInput {
  readonly pinned: string | undefined;
  readonly fallbacks: readonly string[];
  readonly groqDefaultModel: string;
  readonly hasGroqKey: boolean;
  readonly hasGeminiKey: boolean;
  /** Groq's model list, asked at start-up when a Groq key is set. */
  readonly groqCatalog: ModelCatalog | undefined;
  readonly logger: Logger;
}

/** Prefers the newest, largest Gemma: gemma-4 over gemma-3, 31b over 9b. */
function gemmaRank(id: string): number[] {
  const version = Number(/gemma-?(\d+)/i.exec(id)?.[1] ?? 0);
  const size = Number(/(\d+)b/i.exec(id)?.[1] ?? 0);
  return [version, size];
}

/**
 * Chooses the /ask model. ASK_MODEL wins. Otherwise Gemma first: a Gemma model on Groq if Groq
 * lists one, else Gemma 4 through the Gemini API, else Groq's fast default. The other candidates
 * the keys allow, then ASK_FALLBACK_MODELS, follow as fallbacks.
 */
export async function planAskModels(input: PlanInput): Promise<ModelPlan> {
  const candidates: string[] = [];
  let reason: string;
  let groqGemma: string | undefined;
  if (!input.pinned && input.hasGroqKey && input.groqCatalog) {
    try {
      const gemmas = (await input.groqCatalog.listModels()).filter((id) => /gemma/i.test(id));
      gemmas.sort((a, b) => {
        const [va, sa] = gemmaRank(a);
        const [vb, sb] = gemmaRank(b);
        return vb - va || sb - sa || a.localeCompare(b);
      });
      groqGemma = gemmas[0] === undefined ? undefined : `groq:${gemmas[0]}`;
    } catch (error) {
      input.logger.warn({ err: error }, 'could not list Groq models; assuming Groq does not host Gemma');
    }
  }

  if (input.pinned) {
    candidates.push(input.pinned);
    reason = 'pinned by ASK_MODEL';
  } else if (groqGemma) {
    reason = 'Groq hosts a Gemma model';
  } else if (input.hasGeminiKey) {
    reason = input.hasGroqKey ? 'Groq does not host Gemma; Gemma 4 through the Gemini API' : 'Gemma 4 through the Gemini API (no Groq key)';
  } else if (input.hasGroqKey) {
    reason = `Groq does not host Gemma and no Gemini key is set; Groq's ASK_GROQ_DEFAULT_MODEL`;
  } else {
    return { models: [], reason: 'no GROQ_API_KEY or GEMINI_API_KEY: /ask quotes the best passages' };
  }
  if (groqGemma) candidates.push(groqGemma);
  if (input.hasGeminiKey) candidates.push(GEMINI_GEMMA);
  if (input.hasGroqKey) candidates.push(`groq:${input.groqDefaultModel}`);
  candidates.push(...input.fallbacks);
  const models = [...new Set(candidates)].filter((id) => (id.startsWith('groq:') ? input.hasGroqKey : input.hasGeminiKey));
  return { models, reason };
}
