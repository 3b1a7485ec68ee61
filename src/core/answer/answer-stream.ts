import type { ChatRequest, ChatUsage } from '../ports/ports.js';
import type { ModelChain } from '../lib/model-chain.js';
import { NOT_IN_DOCUMENTS } from './prompts.js';

/** What the model has said so far; readable when the stream fails, to decide what the asker gets instead. */
export interface Streamed {
  text: string;
  model: string | undefined;
  usage: ChatUsage | undefined;
  /** Milliseconds from `started` to the first token. */
  firstTokenMs: number | undefined;
  /** Whether any text has been handed to the asker (after which a failure cannot be papered over). */
  decided: boolean;
}

/**
 * Streams the model's answer to the asker, holding the first characters back until it is clear
 * the model is not saying NOT_IN_DOCUMENTS (a refusal is never shown half-written). `state`
 * records what was said, even when the stream throws.
 */
export async function* streamAnswer(chain: ModelChain, request: ChatRequest, onQueued: (() => void) | undefined, started: number, state: Streamed): AsyncGenerator<string, void> {
  let pending = '';
  for await (const event of chain.stream(request, onQueued)) {
    if (event.type === 'model') state.model = event.id;
    else if (event.type === 'done') state.usage = event.usage;
    else {
      state.firstTokenMs ??= performance.now() - started;
      state.text += event.text;
      if (state.decided) {
        yield event.text;
        continue;
      }
      pending += event.text;
      const head = pending.trimStart();
      if ((head.length >= NOT_IN_DOCUMENTS.length || !NOT_IN_DOCUMENTS.startsWith(head)) && !head.startsWith(NOT_IN_DOCUMENTS)) {
        state.decided = true;
        yield pending;
      }
    }
  }
}
