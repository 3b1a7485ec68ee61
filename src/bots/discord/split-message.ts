/**
 * Splits text into Discord messages of at most `limit` characters. Parts break at a blank line if
 * one is near the end, else at a line end, else at a space, and never inside a code block, a link
 * or a word, so concatenating the parts gives back the text exactly. Only a code block longer
 * than a whole message is cut inside: that part closes the fence and the next one reopens it.
 */
export function splitMessage(text: string, limit = 2000): string[] {
  if (limit < 100) throw new Error('limit must be at least 100');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    if (cut > 0) {
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
      continue;
    }
    // Only inside a code block longer than a message: close it here and reopen it in the next part.
    const { part, remainder } = splitInsideFence(rest, limit);
    parts.push(part);
    rest = remainder;
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Where a fence (```) opens and closes, as [start, end) ranges of the text. */
function fencedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const fence = /^```/gm;
  let open: number | undefined;
  for (const match of text.matchAll(fence)) {
    if (open === undefined) open = match.index;
    else {
      const lineEnd = text.indexOf('\n', match.index);
      ranges.push([open, lineEnd === -1 ? text.length : lineEnd + 1]);
      open = undefined;
    }
  }
  if (open !== undefined) ranges.push([open, text.length]);
  return ranges;
}

function findCut(text: string, limit: number): number {
  const fences = fencedRanges(text);
  const inside = (i: number) => fences.some(([start, end]) => i > start && i < end);
  const window = text.slice(0, limit + 1);
  const candidates = [
    [...window.matchAll(/\n\n/g)].map((m) => m.index + 2),
    [...window.matchAll(/\n/g)].map((m) => m.index + 1),
    [...window.matchAll(/ (?=\S)/g)].map((m) => m.index + 1),
  ];
  for (const list of candidates) {
    const good = list.filter((i) => i <= limit && i >= limit * 0.3 && !inside(i) && !insideLink(text, i));
    if (good.length > 0) return good[good.length - 1];
  }
  // A fence starting inside the window: cut right before it if that leaves a reasonable part.
  const startOfFence = fences.find(([start]) => start > 0 && start <= limit);
  if (startOfFence) return startOfFence[0];
  // No boundary at all outside a code block.
  if (!fences.some(([start, end]) => start < limit && end > limit)) {
    const anyBoundary = [...candidates.flat()].filter((i) => i <= limit && i > 0 && !inside(i));
    if (anyBoundary.length > 0) return Math.max(...anyBoundary);
    return limit; // one unbroken word longer than a message: it has to be cut
  }
  return 0;
}

function insideLink(text: string, index: number): boolean {
  const before = text.lastIndexOf('](', index);
  return before !== -1 && text.indexOf(')', before) >= index && !text.slice(before, index).includes('\n');
}

function splitInsideFence(text: string, limit: number): { part: string; remainder: string } {
  const fence = /^```(\S*)/m.exec(text);
  const language = fence?.[1] ?? '';
  const closing = '\n```';
  const room = limit - closing.length;
  let cut = text.lastIndexOf('\n', room);
  if (cut <= (fence?.index ?? 0)) cut = room;
  return { part: `${text.slice(0, cut)}${closing}`, remainder: `\`\`\`${language}\n${text.slice(cut).replace(/^\n/, '')}` };
}
