import { generalRarity } from '../knowledge/search/general-rarity.js';
import { tokenize } from '../lib/tokenizer.js';

/** Openings that need the previous question's frame whatever follows: "what about Texas?", "versus 2021?". */
const ELLIPTICAL = /^(?:what about|how about|what if|same|compared (?:to|with)|versus|vs\.?|else)\b/i;
/**
 * Openings that often continue the previous question ("and in 2021?", "why?", "but how?"), and
 * as often start a new one ("Why does the archive command need to return zero?"): they make a
 * follow-up only of a question without a subject of its own.
 */
const CONTINUES = /^(?:and|but|or|also|so|then|plus|and what|why|how so|how come)\b/i;
/** The distinctiveness of one word everyday English does not have (knowledge/search/general-rarity.ts). */
const ONE_RARE_WORD = 1;

/** How much a text names in particular: the sum of its words' rarity in everyday English. */
function distinctiveness(text: string): number {
  return tokenize(text).reduce((sum, token) => sum + generalRarity(token), 0);
}

/** Informative words (tokens) a question needs to have a subject of its own. */
const OWN_SUBJECT = 3;

/** Words that point back at something said before when the question itself does not name it. */
const REFERS_BACK = /\b(?:it|its|it's|they|them|their|theirs|this|that|these|those|there|then|he|she|him|her|his|hers|same|former|latter|above|previous|one|ones|other|others)\b/i;

/** A question this short with no verb of its own is a fragment of the previous one ("for Texas?", "in 2021?"). */
const FRAGMENT_WORDS = 4;
const VERB_LIKE = /\b(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|how|what|which|who|whom|whose|when|where|why|list|show|explain|describe|define|compare|give|tell|find)\b/i;

/**
 * Whether a question depends on the earlier turns of the conversation, so it must be read with
 * them: it opens elliptically ("what about Texas?"), it opens by continuing ("and in 2021?",
 * "why?") without a subject of its own, it is a fragment
 * without a question of its own ("for Texas?"), or it points back ("what was its rate?") without
 * naming enough to stand alone. Anything else is a new question, searched on its own.
 */
export function isFollowUp(question: string, hasHistory: boolean): boolean {
  if (!hasHistory) return false;
  const text = question.trim().replace(/^[“"'(]+/, '');
  if (text.length === 0) return false;
  if (ELLIPTICAL.test(text)) return true;
  const ownSubject = tokenize(text).length >= OWN_SUBJECT && !REFERS_BACK.test(text);
  if (CONTINUES.test(text)) return !ownSubject;
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length <= FRAGMENT_WORDS && !VERB_LIKE.test(text)) return true;
  // A pointing word, and too little of its own to search with (few words, or only everyday ones
  // that name nothing in particular: "does it keep a copy of the file?"): the referent must come from before.
  return REFERS_BACK.test(text) && (tokenize(text).length <= 3 || distinctiveness(text) < ONE_RARE_WORD);
}
