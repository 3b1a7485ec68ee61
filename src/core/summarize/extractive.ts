import { tokenize } from '../lib/tokenizer.js';
import type { ConversationMessage } from './types.js';

/**
 * Without a model: the most representative messages, chosen by TF-IDF centrality (how much a
 * message shares its vocabulary with the rest of the conversation), shown in chronological order.
 */
export function representativeMessages(messages: readonly ConversationMessage[], count: number): ConversationMessage[] {
  const bags = messages.map((m) => {
    const bag = new Map<string, number>();
    for (const token of tokenize(m.text)) bag.set(token, (bag.get(token) ?? 0) + 1);
    return bag;
  });
  const df = new Map<string, number>();
  for (const bag of bags) for (const token of bag.keys()) df.set(token, (df.get(token) ?? 0) + 1);
  const n = messages.length;
  const vectors = bags.map((bag) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [token, tf] of bag) {
      const w = (1 + Math.log(tf)) * Math.log(1 + n / (df.get(token) ?? 1));
      v.set(token, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [token, w] of v) v.set(token, w / norm);
    return v;
  });
  // Centrality: similarity with every other message, Σ_j cos(i, j) = Σ_t w(i,t) · (S(t) − w(i,t)),
  // where S(t) sums token t's weights over all messages: linear in the conversation's size.
  const totals = new Map<string, number>();
  for (const v of vectors) for (const [token, w] of v) totals.set(token, (totals.get(token) ?? 0) + w);
  const centrality = vectors.map((v) => {
    let sum = 0;
    for (const [token, w] of v) sum += w * ((totals.get(token) ?? 0) - w);
    return sum;
  });
  const substantial = messages.map((m, i) => ({ i, score: centrality[i] * Math.min(1, tokenize(m.text).length / 5) }));
  const chosen = substantial.sort((a, b) => b.score - a.score).slice(0, count).map((c) => c.i);
  return chosen.sort((a, b) => a - b).map((i) => messages[i]);
}
