import { tokenize } from '../knowledge/lexical.js';

/** Opening words that continue the previous question: "and in 2021?", "what about Texas?", "why?". */
const CONTINUES = /^(?:and|but|or|also|so|then|plus|same|what about|how about|what if|and what|why(?: is that| so| not)?|how so|how come|compared (?:to|with)|versus|vs\.?|else)\b/i;

/** Words that point back at something said before when the question itself does not name it. */
const REFERS_BACK = /\b(?:it|its|it's|they|them|their|theirs|this|that|these|those|there|then|he|she|him|her|his|hers|same|former|latter|above|previous|one|ones|other|others)\b/i;

/** A question this short with no verb of its own is a fragment of the previous one ("for Texas?", "in 2021?"). */
const FRAGMENT_WORDS = 4;
const VERB_LIKE = /\b(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|how|what|which|who|whom|whose|when|where|why|list|show|explain|describe|define|compare|give|tell|find)\b/i;

/**
 * Whether a question depends on the earlier turns of the conversation, so it must be read with
 * them: it opens by continuing ("and in 2021?", "what about Texas?", "why?"), it is a fragment
 * without a question of its own ("for Texas?"), or it points back ("what was its rate?") without
 * naming enough to stand alone. Anything else is a new question, searched on its own.
 */
export function isFollowUp(question: string, hasHistory: boolean): boolean {
  if (!hasHistory) return false;
  const text = question.trim().replace(/^[“"'(]+/, '');
  if (text.length === 0) return false;
  if (CONTINUES.test(text)) return true;
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length <= FRAGMENT_WORDS && !VERB_LIKE.test(text)) return true;
  // A pointing word, and too little of its own to search with: the referent must come from before.
  return REFERS_BACK.test(text) && tokenize(text).length <= 3;
}
