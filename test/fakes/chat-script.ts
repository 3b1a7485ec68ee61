/** What a fake chat model says, given the prompt it received. Tests replace it per case. */
export type ChatScript = (prompt: { system: string; user: string; model: string }) => string;

/**
 * The default script: answers like a well-behaved model. For a question it finds the passage in
 * <documents> sharing the most words with the question, quotes its first sentence and cites it;
 * with no shared words it says NOT_IN_DOCUMENTS. A rewrite request gets the conversation's last
 * question and the follow-up joined.
 */
export const groundedScript: ChatScript = ({ system, user }) => {
  if (/standalone search query/i.test(system)) {
    const questions = [...user.matchAll(/^User: (.*)$/gm)].map((m) => m[1]);
    return questions.slice(-2).join(' ');
  }
  const question = /Question: ([^\n]*)/.exec(user)?.[1] ?? '';
  const words = new Set(question.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
  let best = { index: 0, score: 0, text: '' };
  for (const match of user.matchAll(/<document index="(\d+)"[^>]*>\n([\s\S]*?)\n<\/document>/g)) {
    const text = match[2];
    const score = (text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => words.has(w)).length;
    if (score > best.score) best = { index: Number(match[1]), score, text };
  }
  if (best.score === 0) return 'NOT_IN_DOCUMENTS';
  const sentence = best.text.split(/(?<=[.!?])\s/)[0];
  return `According to the documents, ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)} [${best.index}]`;
};

/** Splits an answer into small stream pieces, the way providers send tokens. */
export function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
