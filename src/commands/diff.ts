import type { VersionDiff } from '../core/public-surface.js';
import { documentUnits } from '../core/public-surface.js';
import { type DocumentRecord } from '../core/ports/types.js';
import { formatWhen } from './format-when.js';
import { defineCommand } from './types.js';

/** Parts and sentences shown in a reply at most (the data has them all). */
const SHOWN = { parts: 8, sentences: 6, chars: 240 };

export const diffCommand = defineCommand({
  name: 'diff',
  description: "What changed between a document's previous and current versions",
  options: [{ name: 'document', description: 'Document name or id (see /docs)', type: 'string', required: true, autocomplete: 'documents' }],
  help:
    'When a file is posted again under the same name, the new one becomes the current version and the one it replaces is kept. ' +
    '/diff report.pdf lists the pages or sections that changed with the changed sentences (compared offline), and a written summary of the changes when a Gemini key is set.',
  async run(options, context) {
    const diff = await context.core.versions.diff(context.scope, options.document, { signal: context.signal });
    context.metrics.changedParts = diff.comparison.parts.length;
    if (diff.model) context.metrics.model = diff.model;
    return { text: renderDiff(diff), data: diffData(diff) };
  },
});

/** The whole /diff reply: what was compared, the written summary, then the changed sentences by part. */
export function renderDiff(diff: VersionDiff): string {
  const { current, previous, comparison } = diff;
  const header = [`**What changed in ${current.name}**`, `Previous version: ${describeVersion(previous)}. Current version: ${describeVersion(current)}.`];
  if (comparison.identical) {
    return [...header, 'Both versions hold the same text; their files differ only in layout, images or metadata.'].join('\n');
  }
  const lines = [...header, overview(diff)];
  if (diff.summary) lines.push('', `**Summary**${diff.model ? ` (${diff.model})` : ''}`, diff.summary);
  if (comparison.parts.length === 0) {
    lines.push('', 'The same sentences are in both versions, some in a different place.');
  } else {
    lines.push('', '**Changed sentences**');
    for (const part of comparison.parts.slice(0, SHOWN.parts)) {
      lines.push(`__${part.location}__${part.kind === 'changed' ? '' : ` (${part.kind === 'added' ? 'new' : 'removed'})`}`);
      const changes = [...part.removed.map((s) => `− ${clip(s)}`), ...part.added.map((s) => `+ ${clip(s)}`)];
      lines.push(...changes.slice(0, SHOWN.sentences));
      if (changes.length > SHOWN.sentences) lines.push(`_…and ${changes.length - SHOWN.sentences} more changed sentences here_`);
    }
    const more = comparison.parts.length - SHOWN.parts;
    if (more > 0) lines.push(`_…and ${more} more changed part${more === 1 ? '' : 's'}._`);
  }
  if (diff.note) lines.push('', `_${diff.note}_`);
  return lines.join('\n');
}

/** One line on a new version, for the confirmation of its upload: the summary when there is one. */
export function renderNewVersion(diff: VersionDiff): string {
  if (diff.comparison.identical) return `Its text is the same as the previous version's.`;
  const lines = [overview(diff)];
  if (diff.summary) lines.push(diff.summary);
  else if (diff.note) lines.push(`_${diff.note}_`);
  lines.push(`/diff ${diff.current.name} lists the changed sentences.`);
  return lines.join('\n');
}

function overview(diff: VersionDiff): string {
  const { parts, sentences } = diff.comparison;
  const named = (kind: string) => parts.filter((p) => p.kind === kind).map((p) => p.location);
  const list = (items: string[]) => (items.length > 6 ? `${items.slice(0, 6).join(', ')} and ${items.length - 6} more` : items.join(', '));
  const bits = [
    named('changed').length > 0 ? `changed: ${list(named('changed'))}` : undefined,
    named('added').length > 0 ? `new: ${list(named('added'))}` : undefined,
    named('removed').length > 0 ? `removed: ${list(named('removed'))}` : undefined,
    sentences.moved > 0 ? `${sentences.moved} sentence${sentences.moved === 1 ? '' : 's'} moved` : undefined,
  ].filter((b): b is string => b !== undefined);
  const removed = parts.reduce((n, p) => n + p.removed.length, 0);
  const added = parts.reduce((n, p) => n + p.added.length, 0);
  return `${capitalise(bits.join('; '))} (${added} sentence${added === 1 ? '' : 's'} added, ${removed} removed, ${sentences.unchanged} unchanged).`;
}

function describeVersion(d: DocumentRecord): string {
  return `${d.link ? `[posted](${d.link})` : 'posted'} ${formatWhen(d.indexedAt ?? d.createdAt)} by ${d.uploadedBy.name}, ${documentUnits(d.name, d.pages)}`;
}

export function diffData(diff: VersionDiff): Record<string, unknown> {
  const version = (d: DocumentRecord) => ({ id: d.id, name: d.name, pages: d.pages, chunks: d.chunks, indexedAt: d.indexedAt ?? null, uploadedBy: d.uploadedBy.name, link: d.link ?? null });
  return {
    current: version(diff.current),
    previous: version(diff.previous),
    identical: diff.comparison.identical,
    sentences: diff.comparison.sentences,
    parts: diff.comparison.parts,
    summary: diff.summary ?? null,
    model: diff.model ?? null,
    note: diff.note ?? null,
  };
}

const clip = (s: string) => (s.length > SHOWN.chars ? `${s.slice(0, SHOWN.chars - 1)}…` : s);
const capitalise = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
