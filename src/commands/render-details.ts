import { formatMegabytes, type AskResult, type ProviderCall, type ReplyDetails, type SummaryResult, type VideoResult, type VisionResult } from '../core/public-surface.js';

const PROVIDERS: Readonly<Record<string, string>> = { groq: 'Groq', gemini: 'Gemini' };

/** "groq:openai/gpt-oss-20b" → Groq, openai/gpt-oss-20b. */
function split(modelId: string): { provider: string; model: string } {
  const [provider = '', ...rest] = modelId.split(':');
  return rest.length > 0 ? { provider: PROVIDERS[provider] ?? provider, model: rest.join(':') } : { provider: 'Gemini', model: modelId };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What /ask sent where: the embedding of the question, the rewriting or translation, the answer. */
export function askDetails(result: AskResult, embedding: string | undefined): ReplyDetails {
  const calls: ProviderCall[] = [];
  const answering = result.assisted.model ? split(result.assisted.model) : undefined;
  if (result.assisted.rewritten && answering) calls.push({ ...answering, purpose: 'rewrite your follow-up to stand alone', sent: 'your question and the earlier questions and answers of this conversation' });
  if (result.assisted.translated && answering && result.languages) calls.push({ ...answering, purpose: `translate your question into ${result.languages.documents}`, sent: 'your question' });
  if (result.retrieval === 'hybrid' && embedding) calls.push({ provider: 'Gemini', model: embedding, purpose: 'search by meaning', sent: 'the search query (your question)' });
  if (result.sent.length > 0) {
    const model = result.model ? split(result.model) : (answering ?? { provider: 'unknown', model: 'unknown' });
    calls.push({
      ...model,
      purpose: 'write the answer',
      sent: `your question and ${plural(result.sent.length, 'passage')} of this channel's documents`,
      ...(result.usage ? { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens } : {}),
    });
  }
  const local = ["searching this channel's documents", 'judging whether the passages cover the question'];
  if (result.mode === 'passages') local.push('choosing the quoted passages');
  return { kind: 'answer', calls, ...(result.sent.length > 0 ? { passages: result.sent } : {}), local, latencyMs: result.timings.totalMs };
}

/** What /summarize sent: the messages, in how many model calls. */
export function summaryDetails(result: SummaryResult): ReplyDetails {
  const generated = result.mode === 'generated' && result.model !== undefined;
  const calls: ProviderCall[] = generated
    ? [{ ...split(result.model ?? ''), purpose: `summarize (${plural(result.calls, 'call')})`, sent: `${plural(result.messageCount, 'message')} with their authors' names, ${result.promptChars.toLocaleString('en-US')} characters in all` }]
    : [];
  const local = generated ? ['reading the messages from the platform', 'linking the summary back to the messages'] : ['reading the messages', 'choosing the representative messages shown'];
  return { kind: 'summary', calls, ...(generated ? { messages: result.messageCount } : {}), local, latencyMs: result.timings.totalMs };
}

/** What an image reply sent: the image (resized, metadata removed) to Gemini, or nothing (OCR offline). */
export function imageDetails(result: VisionResult, latencyMs: number): ReplyDetails {
  const offline = result.engine.includes('offline');
  const calls: ProviderCall[] = offline
    ? []
    : [{ provider: 'Gemini', model: result.engine, purpose: `${result.mode} the image`, sent: `the image, resized to ${result.image.width}×${result.image.height} with its metadata removed (about ${result.image.estimatedTokens} tokens)${result.mode === 'ask' || result.mode === 'detect' || result.mode === 'segment' ? ', and your question' : ''}` }];
  const local = ['orienting, resizing and stripping the metadata of the image', ...(offline ? ['reading its text (tesseract)'] : []), ...(result.annotated ? [result.mode === 'segment' ? 'drawing the masks' : 'drawing the boxes'] : [])];
  return { kind: 'image', calls, local, latencyMs: Math.round(latencyMs) };
}

/** A clip's details: what Gemini was sent (the whole clip, inline or uploaded and deleted after) and its counts. */
export function videoDetails(result: VideoResult, latencyMs: number): ReplyDetails {
  const { clip } = result;
  const length = clip.seconds === undefined ? 'of unknown length' : `of ${Math.round(clip.seconds)} s`;
  const how = clip.delivery === 'inline' ? 'inline in the request' : 'uploaded with Gemini’s Files API and deleted right after the answer';
  const call: ProviderCall = {
    provider: 'Gemini',
    model: result.engine,
    purpose: `${result.mode === 'ask' ? 'answer your question about' : result.mode} the clip`,
    sent: `the whole clip ${length} (${clip.bytes < 100 * 1024 ? `${Math.max(1, Math.round(clip.bytes / 1024))} KB` : formatMegabytes(clip.bytes)}, picture and sound), ${how}${result.mode === 'ask' ? ', and your question' : ''}`,
    ...(result.inputTokens !== undefined ? { inputTokens: result.inputTokens, outputTokens: result.outputTokens ?? 0 } : {}),
  };
  return { kind: 'video', calls: [call], local: ['checking the clip’s format, size and length from its headers'], latencyMs: Math.round(latencyMs) };
}

/** The Details reply, as Markdown: each call with what it was given, then what stayed on this Docent. */
export function renderDetails(details: ReplyDetails): string {
  const lines = ['**What Docent sent, and where** (only you see this)'];
  if (details.calls.length === 0) lines.push('• Nothing left this Docent: no model provider was asked.');
  for (const call of details.calls) {
    const tokens = call.inputTokens !== undefined ? ` · ${call.inputTokens.toLocaleString('en-US')} tokens in, ${(call.outputTokens ?? 0).toLocaleString('en-US')} out` : '';
    lines.push(`• ${call.provider} · ${call.model}: to ${call.purpose}, it was sent ${call.sent}${tokens}.`);
  }
  if (details.passages && details.passages.length > 0) {
    lines.push(`Passages sent: ${details.passages.map((p) => `${p.file} (${p.location})`).join(', ')}.`);
  }
  lines.push(`Done on this Docent, sending nothing: ${details.local.join('; ')}.`, `Took ${(details.latencyMs / 1000).toFixed(1)} s.`);
  return lines.join('\n');
}
