import { z } from 'zod';
import type { Summary } from './types.js';

const item = z.object({ text: z.string().min(1), messages: z.array(z.string()).default([]) });
const schema = z.object({
  language: z.string().default('und'),
  tldr: z.string().min(1),
  keyPoints: z.array(item).default([]),
  decisions: z.array(item).default([]),
  actionItems: z.array(item.extend({ owner: z.string().nullable().default(null), due: z.string().nullable().default(null) })).default([]),
  openQuestions: z.array(item).default([]),
});

const ITEM_SCHEMA = {
  type: 'object',
  properties: { text: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
  required: ['text', 'messages'],
} as const;

/** The JSON schema sent to the model as its response format (Gemini structured output). */
export const SUMMARY_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    language: { type: 'string', description: 'BCP 47 code of the conversation language' },
    tldr: { type: 'string' },
    keyPoints: { type: 'array', items: ITEM_SCHEMA },
    decisions: { type: 'array', items: ITEM_SCHEMA },
    actionItems: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          owner: { type: ['string', 'null'] },
          due: { type: ['string', 'null'] },
          messages: { type: 'array', items: { type: 'string' } },
        },
        required: ['text', 'owner', 'due', 'messages'],
      },
    },
    openQuestions: { type: 'array', items: ITEM_SCHEMA },
  },
  required: ['language', 'tldr', 'keyPoints', 'decisions', 'actionItems', 'openQuestions'],
} as const;

/** Parses a model's JSON summary (tolerating a Markdown code fence around it); undefined if invalid. */
export function parseSummary(raw: string, knownMessages: ReadonlySet<string>): Summary | undefined {
  const text = raw.trim().replace(/^```(?:json)?\s*/i, '').replace(/```$/, '').trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return undefined;
  const keep = <T extends { messages: readonly string[] }>(items: readonly T[]): T[] =>
    items.map((i) => ({ ...i, messages: i.messages.filter((m) => knownMessages.has(m)) }));
  const s = parsed.data;
  return {
    language: s.language,
    tldr: s.tldr.trim(),
    keyPoints: keep(s.keyPoints),
    decisions: keep(s.decisions),
    actionItems: keep(s.actionItems),
    openQuestions: keep(s.openQuestions),
  };
}
