import type { FileSource } from '../core/ports/types.js';
import { askCommand } from './ask.js';
import { captionCommand, captionRequest } from './caption.js';
import { indexCommand } from './index-files.js';
import { summarizeCommand } from './summarize.js';
import { textOptions } from './text-options.js';
import type { CommandDefinition, RawOptions } from './types.js';

export interface PostedFile {
  /** A document (PDF, Markdown, HTML, CSV, text: indexed), an image or a video clip (described when Docent is addressed). */
  readonly kind: 'document' | 'image' | 'video';
  readonly source: FileSource;
}

/** Something a person posted where Docent can see it, as the platform adapter read it. */
export interface Post {
  /** The documents, images and video clips in it (other files are not Docent's). */
  readonly files: readonly PostedFile[];
  /** Its words, without the mention of Docent. */
  readonly text: string;
  /** Docent was mentioned, or it is a direct message. */
  readonly addressed: boolean;
  /** Every PDF posted here is indexed, not only those shared with a mention (Discord: the Message Content intent). */
  readonly indexesAll: boolean;
  /** Alt text is on in this channel: every image gets a description. */
  readonly altText: boolean;
}

/** A command to run for a post; `reactions`: mark the post ⏳ then ✅/❌ (documents being indexed). */
export interface PlannedRun {
  readonly command: CommandDefinition;
  readonly options: RawOptions;
  readonly reactions: boolean;
}

export type PostPlan = { readonly runs: readonly PlannedRun[]; readonly hint?: undefined } | { readonly runs: readonly []; readonly hint: string };

/** Images described unasked in a channel with alt text on, per post. */
const ALT_TEXT_IMAGES = 4;

export const MENTION_HINT = 'Ask me a question about this channel’s documents, e.g. `@Docent what was the 2022 budget?`, or say `@Docent summarize` in a thread.';

/**
 * What Docent does with a post, the same on every platform: its PDFs are indexed (all of them
 * where the platform shows every post, else when Docent is addressed); its first image or video
 * clip is described or its question answered when Docent is addressed, and images are described
 * for alt text where that is on (clips are not: watching one costs far more); otherwise
 * words addressed to Docent are a question (or "summarize", with the summary's options).
 * The runs then go through the command runner like typed commands.
 */
export async function planPost(post: Post): Promise<PostPlan> {
  const runs: PlannedRun[] = [];
  const pdfs = post.files.filter((f) => f.kind === 'document').map((f) => f.source);
  const images = post.files.filter((f) => f.kind === 'image').map((f) => f.source);
  if (pdfs.length > 0 && (post.indexesAll || post.addressed)) runs.push({ command: indexCommand, options: { file: pdfs }, reactions: true });
  const media = post.files.filter((f) => f.kind === 'image' || f.kind === 'video').map((f) => f.source);
  if (media.length > 0 && post.addressed) runs.push({ command: captionCommand, options: { image: media.slice(0, 1), ...captionRequest(post.text) }, reactions: false });
  else if (images.length > 0 && post.altText) {
    for (const image of images.slice(0, ALT_TEXT_IMAGES)) runs.push({ command: captionCommand, options: { image: [image], ...captionRequest('') }, reactions: false });
  }
  if (runs.length > 0 || !post.addressed || post.files.length > 0) return { runs };
  const text = post.text.trim();
  if (text.length === 0) return { runs: [], hint: MENTION_HINT };
  const summarize = /^summari[sz]e\b\s*/i.exec(text);
  if (summarize) {
    const options = await textOptions(summarizeCommand, text.slice(summarize[0].length)).catch(() => ({}));
    return { runs: [{ command: summarizeCommand, options, reactions: false }] };
  }
  // "@Docent what changed? version:previous" asks the previous versions, as /ask does.
  const options = await textOptions(askCommand, text).catch(() => ({ question: text }));
  return { runs: [{ command: askCommand, options, reactions: false }] };
}
