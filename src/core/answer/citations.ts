const CITATION = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

export interface CitedAnswer {
  /** The answer with citation numbers that name no passage removed. */
  readonly text: string;
  /** Passage numbers the answer cites, in order of first mention. */
  readonly cited: number[];
  readonly invented: number[];
}

/** Keeps citations of passages 1..passageCount, drops any other number the model made up. */
export function checkCitations(answer: string, passageCount: number): CitedAnswer {
  const cited: number[] = [];
  const invented: number[] = [];
  const text = answer
    .replace(CITATION, (_match, list: string) => {
      const numbers = list.split(/\s*[,;]\s*/).map(Number);
      const valid = numbers.filter((n) => n >= 1 && n <= passageCount);
      for (const n of numbers) {
        if (valid.includes(n)) {
          if (!cited.includes(n)) cited.push(n);
        } else if (!invented.includes(n)) invented.push(n);
      }
      return valid.length > 0 ? `[${valid.join(', ')}]` : '';
    })
    .replace(/ +([.,;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  return { text, cited, invented };
}
