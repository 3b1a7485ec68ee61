import { BadInputError } from '../ports/errors.js';
import type { ConversationMessage, ConversationSource } from './types.js';

/**
 * A conversation from a file, for the console and for exported chats.
 *
 * - `.json`: an array of `{ "author": "Alice", "text": "…", "at"?: ISO date, "link"?: URL, "bot"?: boolean }`
 *   (also accepted: `user`/`name` for author, `message`/`content` for text, `ts`/`time` for at).
 * - text: one message per line, `Alice: message` or `[2024-05-01 10:02] Alice: message`; lines that
 *   do not start a message continue the previous one.
 */
export function parseTranscript(name: string, data: Buffer): ConversationMessage[] {
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const looksJson = name.toLowerCase().endsWith('.json') || /^\s*\[\s*[{\]]/.test(text);
  return looksJson ? parseJson(name, text) : parseText(text);
}

function parseJson(name: string, text: string): ConversationMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadInputError('bad_transcript', `“${name}” is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (!Array.isArray(value)) throw new BadInputError('bad_transcript', `“${name}” must be a JSON array of messages: [{"author": "Alice", "text": "Hello"}].`);
  return value.map((entry: unknown, i) => {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const author = firstString(record, ['author', 'user', 'name']);
    const body = firstString(record, ['text', 'message', 'content']);
    if (author === undefined || body === undefined) {
      throw new BadInputError('bad_transcript', `Message ${i + 1} of “${name}” needs an "author" and a "text".`);
    }
    const at = firstString(record, ['at', 'ts', 'time', 'timestamp']);
    const date = at === undefined ? undefined : new Date(/^\d+(\.\d+)?$/.test(at) ? Number(at) * 1000 : at);
    return {
      id: String(i + 1),
      author: { id: author, name: author, bot: record.bot === true },
      text: body,
      at: date && !Number.isNaN(date.getTime()) ? date : undefined,
      link: firstString(record, ['link', 'url', 'permalink']),
    };
  });
}

function firstString(record: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

const LINE = /^(?:\[([^\]]+)\]\s*)?([^:\n]{1,60}?):\s+(.*)$/;

function parseText(text: string): ConversationMessage[] {
  const messages: { author: string; text: string; at: Date | undefined }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim().length === 0) continue;
    const match = LINE.exec(line);
    if (match && !/^https?$/i.test(match[2])) {
      const at = match[1] ? new Date(match[1].replace(' ', 'T')) : undefined;
      messages.push({ author: match[2].trim(), text: match[3], at: at && !Number.isNaN(at.getTime()) ? at : undefined });
    } else if (messages.length > 0) {
      messages[messages.length - 1].text += `\n${line.trim()}`;
    }
  }
  return messages.map((m, i) => ({ id: String(i + 1), author: { id: m.author, name: m.author, bot: false }, text: m.text, at: m.at, link: undefined }));
}

/** A parsed transcript as a conversation source (the most recent `limit` messages, or those since a date). */
export function transcriptSource(label: string, messages: readonly ConversationMessage[]): ConversationSource {
  return {
    label,
    async messages({ limit, since }) {
      const recent = messages.filter((m) => !since || (m.at !== undefined && m.at >= since));
      const window = recent.slice(Math.max(0, recent.length - limit));
      return {
        capped: recent.length > limit,
        pages: (async function* () {
          yield window;
        })(),
      };
    },
  };
}
