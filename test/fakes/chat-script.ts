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

interface FakeItem {
  text: string;
  messages: string[];
}

/**
 * A summarizing script that behaves like a careful model, deterministically: for a conversation
 * part it lists every message as a key point, lines with "decided"/"agreed" as decisions, lines
 * with "will" as action items (owner = speaker, due = "by <day>"), and lines ending in "?" as open
 * questions; for a combine request it merges the parts. Replies are JSON, as structured output is.
 */
export const summaryScript: ChatScript = ({ system, user }) => {
  if (/combine summaries/i.test(system)) {
    const parts = [...user.matchAll(/<part index="\d+">\n([\s\S]*?)\n<\/part>/g)].map((m) => JSON.parse(m[1]) as Record<string, FakeItem[]> & { tldr: string });
    const merge = (key: string) => parts.flatMap((p) => p[key] ?? []);
    return JSON.stringify({
      language: 'en',
      tldr: `Combined ${parts.length} parts: ${parts.map((p) => p.tldr).join(' ')}`.slice(0, 400),
      keyPoints: merge('keyPoints').slice(0, 8),
      decisions: merge('decisions'),
      actionItems: merge('actionItems'),
      openQuestions: merge('openQuestions'),
    });
  }
  const lines = [...user.matchAll(/^\[(m\d+)\] (?:\d{4}-\d\d-\d\d \d\d:\d\d )?([^:]+): (.*)$/gm)].map((m) => ({ ref: m[1], author: m[2], text: m[3] }));
  const item = (l: (typeof lines)[number]) => ({ text: l.text, messages: [l.ref] });
  return JSON.stringify({
    language: 'en',
    tldr: `${lines.length} messages from ${[...new Set(lines.map((l) => l.author))].join(', ')}.`,
    keyPoints: lines.slice(0, 3).map(item),
    decisions: lines.filter((l) => /\b(decided|agreed)\b/i.test(l.text)).map(item),
    actionItems: lines
      .filter((l) => /\bwill\b/i.test(l.text))
      .map((l) => ({ ...item(l), owner: l.author, due: /\bby (\w+)/i.exec(l.text)?.[1] ?? null })),
    openQuestions: lines.filter((l) => l.text.trim().endsWith('?')).map(item),
  });
};

/**
 * Summarizes the changes between two versions the way a careful model does, deterministically:
 * one bullet per changed part of <changes>, pairing its removed and added lines. Other prompts
 * get the grounded answer.
 */
export const changesScript: ChatScript = (prompt) => {
  if (!/what changed between two versions/i.test(prompt.system)) return groundedScript(prompt);
  const body = /<changes>\n([\s\S]*?)\n<\/changes>/.exec(prompt.user)?.[1] ?? '';
  return body
    .split(/\n\n/)
    .map((block) => {
      const [head = '', ...lines] = block.split('\n');
      const removed = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
      const added = lines.filter((l) => l.startsWith('+ ')).map((l) => l.slice(2));
      const where = head.replace(/^\[|\]$/g, '');
      if (removed.length > 0 && added.length > 0) return `• ${where}: “${removed[0]}” became “${added[0]}”`;
      return added.length > 0 ? `• ${where}: added “${added[0]}”` : `• ${where}: removed “${removed[0] ?? ''}”`;
    })
    .join('\n');
};

/** Translates the questions given (German → English, say) as a model would; answers like the grounded script otherwise. */
export function translatingScript(translations: Readonly<Record<string, string>>): ChatScript {
  return (prompt) => {
    if (!/Translate the search question/.test(prompt.system)) return groundedScript(prompt);
    const found = Object.entries(translations).find(([question]) => prompt.user.includes(question));
    return found ? found[1] : 'untranslatable';
  };
}
