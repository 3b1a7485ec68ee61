import { diffArrays } from 'diff';
import { documentLocation } from '../../providers/readers/formats/index.js';
import type { StoredPassage } from '../../ports/ports.js';

/** One page, slide, section or part of a document whose sentences changed between two versions. */
export interface ChangedPart {
  /** How it is cited: "page 4", "slide 2", "§ Failover", "sheet Budget, rows 10–18". */
  readonly location: string;
  /** `added`: the part is new; `removed`: it is gone; `changed`: some of its sentences differ. */
  readonly kind: 'changed' | 'added' | 'removed';
  /** Sentences only the previous version has here. */
  readonly removed: readonly string[];
  /** Sentences only the current version has here. */
  readonly added: readonly string[];
}

export interface VersionComparison {
  /** Parts with changes, in reading order (removed parts where they used to be). */
  readonly parts: readonly ChangedPart[];
  readonly sentences: { readonly previous: number; readonly current: number; readonly unchanged: number; readonly moved: number };
  /** True when the two versions hold the same sentences in the same order. */
  readonly identical: boolean;
}

interface Sentence {
  readonly text: string;
  readonly location: string;
}

/** Longer than this and the sequence comparison gives up for a plain set comparison (huge documents). */
const DIFF_TIMEOUT_MS = 5000;

/**
 * Compares two versions of a document from their stored passages, offline: each version's
 * sentences in reading order (the overlap that consecutive passages repeat removed), a
 * longest-common-subsequence comparison of the two sequences (jsdiff's Myers diff), and every
 * sentence that was only removed or only added attributed to the part it is in. A sentence that
 * only moved (removed in one place, added in another) is counted as moved, not as a change.
 */
export function compareVersions(previous: { name: string; passages: readonly StoredPassage[] }, current: { name: string; passages: readonly StoredPassage[] }): VersionComparison {
  const before = sentencesOf(previous.name, previous.passages);
  const after = sentencesOf(current.name, current.passages);
  const changes = sequenceChanges(before, after);
  // A sentence removed in one place and added in another only moved: it is not a change.
  const removedTexts = countTexts(changes.filter((c) => c.side === 'removed').map((c) => c.sentence.text));
  const addedTexts = countTexts(changes.filter((c) => c.side === 'added').map((c) => c.sentence.text));
  const movedBudget = { removed: new Map<string, number>(), added: new Map<string, number>() };
  let moved = 0;
  for (const [text, n] of removedTexts) {
    const both = Math.min(n, addedTexts.get(text) ?? 0);
    if (both === 0) continue;
    moved += both;
    movedBudget.removed.set(text, both);
    movedBudget.added.set(text, both);
  }
  const kept = changes.filter((change) => {
    const budget = movedBudget[change.side];
    const left = budget.get(change.sentence.text) ?? 0;
    if (left === 0) return true;
    budget.set(change.sentence.text, left - 1);
    return false;
  });

  const beforeParts = new Set(before.map((s) => s.location));
  const afterParts = new Set(after.map((s) => s.location));
  const parts = new Map<string, { location: string; removed: string[]; added: string[] }>();
  for (const change of kept) {
    const { location, text } = change.sentence;
    const part = parts.get(location) ?? { location, removed: [], added: [] };
    parts.set(location, part);
    (change.side === 'removed' ? part.removed : part.added).push(text);
  }
  return {
    parts: [...parts.values()].map((part) => ({
      ...part,
      kind: !beforeParts.has(part.location) ? 'added' : !afterParts.has(part.location) ? 'removed' : 'changed',
    })),
    sentences: { previous: before.length, current: after.length, unchanged: before.length - changes.filter((c) => c.side === 'removed').length, moved },
    identical: changes.length === 0,
  };
}

interface Change {
  readonly side: 'removed' | 'added';
  readonly sentence: Sentence;
}

/** The removed and added sentences, in reading order of the comparison. */
function sequenceChanges(before: readonly Sentence[], after: readonly Sentence[]): Change[] {
  const diff = diffArrays(
    before.map((s) => s.text),
    after.map((s) => s.text),
    { timeout: DIFF_TIMEOUT_MS },
  );
  if (diff === undefined) return setChanges(before, after);
  const changes: Change[] = [];
  let i = 0;
  let j = 0;
  for (const run of diff) {
    const count = run.value.length;
    if (run.removed) for (let k = 0; k < count; k++) changes.push({ side: 'removed', sentence: before[i++] });
    else if (run.added) for (let k = 0; k < count; k++) changes.push({ side: 'added', sentence: after[j++] });
    else {
      i += count;
      j += count;
    }
  }
  return changes;
}

/** Sentences one version has more often than the other, when the sequences are too long to align. */
function setChanges(before: readonly Sentence[], after: readonly Sentence[]): Change[] {
  const afterCounts = countTexts(after.map((s) => s.text));
  const beforeCounts = countTexts(before.map((s) => s.text));
  const take = (counts: Map<string, number>, text: string) => {
    const n = counts.get(text) ?? 0;
    if (n > 0) counts.set(text, n - 1);
    return n > 0;
  };
  return [
    ...before.filter((s) => !take(afterCounts, s.text)).map((sentence) => ({ side: 'removed' as const, sentence })),
    ...after.filter((s) => !take(beforeCounts, s.text)).map((sentence) => ({ side: 'added' as const, sentence })),
  ];
}

function countTexts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return counts;
}

/**
 * A version's sentences in reading order, each with the part it is in. Consecutive passages of a
 * page repeat the end of the one before (the chunker's overlap, cut at a sentence or a word): the
 * sentences a passage starts with that end a sentence of the passage before are left out.
 */
export function sentencesOf(name: string, passages: readonly StoredPassage[]): Sentence[] {
  const sentences: Sentence[] = [];
  let previous: { page: number; sentences: string[] } | undefined;
  for (const passage of [...passages].sort((a, b) => a.ordinal - b.ordinal)) {
    const own = splitSentences(passage.text);
    let start = 0;
    if (previous?.page === passage.page) {
      const before = previous.sentences;
      while (start < own.length && before.some((s) => s.endsWith(own[start]))) start++;
    }
    const location = documentLocation(name, passage.page, passage.heading);
    for (const text of own.slice(start)) sentences.push({ text, location });
    previous = { page: passage.page, sentences: own };
  }
  return sentences;
}

/** Splits text into sentences: at line breaks and after ., ! or ? followed by a capital, digit or quote. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…]['"”’)\]]?)\s+(?=[\p{Lu}\p{N}"“‘([])/u))
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}
