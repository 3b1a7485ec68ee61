import { BadInputError } from '../core/ports/errors.js';
import { parseTranscript, transcriptSource } from '../core/public-surface.js';
import { renderSummary } from '../core/public-surface.js';
import { parseSince } from './parse-since.js';
import { summaryDetails } from './render-details.js';
import { defineCommand } from './types.js';

const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;

export const summarizeCommand = defineCommand({
  name: 'summarize',
  description: 'Summarize this channel or thread: TL;DR, decisions, action items, open questions',
  messageActions: [{ label: 'Summarize thread', options: {} }],
  needs: { conversation: true },
  options: [
    { name: 'transcript', description: 'A conversation file to summarize (.json or .txt)', type: 'attachment', required: false },
    { name: 'messages', description: 'How many recent messages to read', type: 'integer', required: false, min: 2, max: 20_000 },
    { name: 'since', description: 'Only messages since then: 2h, 3d, 1w or a date', type: 'string', required: false },
    { name: 'private', description: 'Show the summary only to you', type: 'boolean', required: false },
    { name: 'bots', description: "Include bots' messages", type: 'boolean', required: false },
  ],
  help:
    'Reads the recent messages of the channel or thread where it is used (or a transcript file) and writes a structured summary. ' +
    'Transcripts: a JSON array of {"author", "text", "at"} or lines like "[2024-05-01 10:02] Alice: text".',
  async run(options, context) {
    const since = typeof options.since === 'string' ? parseSince(options.since, new Date()) : undefined;
    const limit = typeof options.messages === 'number' ? options.messages : undefined;
    let source = context.conversation;
    const files = options.transcript;
    if (files && files.length > 0) {
      if (files.length > 1) throw new BadInputError('bad_option', 'Give one transcript file at a time.');
      const [file] = files;
      if (file.size !== undefined && file.size > MAX_TRANSCRIPT_BYTES) throw new BadInputError('transcript_too_large', `“${file.name}” is larger than 20 MB.`);
      const data = await file.read(MAX_TRANSCRIPT_BYTES);
      if (data.length > MAX_TRANSCRIPT_BYTES) throw new BadInputError('transcript_too_large', `“${file.name}” is larger than 20 MB.`);
      source = transcriptSource(file.name, parseTranscript(file.name, data));
    }
    if (!source) {
      throw new BadInputError('bad_option', 'Nothing to summarize here: give a transcript file (.json or .txt), e.g. /summarize chat.txt');
    }
    const offline = !(await context.core.knowledge.providersAllowed(context.scope));
    const result = await context.core.summaries.summarize(source, { limit, since, includeBots: options.bots === true, signal: context.signal, offline });
    context.metrics.messages = result.messageCount;
    context.metrics.calls = result.calls;
    context.metrics.mode = result.mode;
    return {
      text: renderSummary(result),
      ephemeral: options.private === true,
      details: summaryDetails(result),
      data: {
        source: result.source,
        mode: result.mode,
        messages: result.messageCount,
        participants: result.participants,
        summary: result.summary ?? null,
        excerpts: result.excerpts.map((m) => ({ author: m.author.name, text: m.text, at: m.at?.toISOString() ?? null, link: m.link ?? null })),
        references: Object.fromEntries([...result.refs].map(([ref, r]) => [ref, { author: r.author, at: r.at?.toISOString() ?? null, link: r.link ?? null }])),
        failedParts: result.failedParts,
        capped: result.capped,
        model: result.model ?? null,
        note: result.note ?? null,
        calls: result.calls,
        timings: result.timings,
      },
    };
  },
});
