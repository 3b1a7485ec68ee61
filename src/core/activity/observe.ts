import { describeFailure, failureCode, type Activity } from './activity.js';
import type { ChatModel, Embedder } from '../ports/ports.js';
import type { VideoModel, VisionModel } from '../ports/media.js';

/**
 * Provider ports that record each call (latency, outcome, the error's reason) for the admin
 * page. The wrapped port behaves exactly as before: recording never changes a result or an error.
 */
type Purpose = 'answer' | 'summary' | 'image' | 'video' | 'embed';

function outcomeOf(error: unknown): 'cancelled' | 'error' {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError' || failureCode(error) === 'cancelled') ? 'cancelled' : 'error';
}

async function timed<T>(activity: Activity, call: { provider: string; subject: string; purpose: Purpose }, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    activity.record({ kind: 'call', ...call, outcome: 'ok', ms: performance.now() - started });
    return result;
  } catch (error) {
    activity.record({ kind: 'call', ...call, outcome: outcomeOf(error), code: failureCode(error), detail: describeFailure(error), ms: performance.now() - started });
    throw error;
  }
}

export function observeChat(model: ChatModel, purpose: Purpose, activity: Activity): ChatModel {
  return {
    provider: model.provider,
    model: model.model,
    async *stream(request) {
      const call = { provider: model.provider, subject: model.model, purpose };
      const started = performance.now();
      let recorded = false;
      try {
        yield* model.stream(request);
        recorded = true;
        activity.record({ kind: 'call', ...call, outcome: 'ok', ms: performance.now() - started });
      } catch (error) {
        recorded = true;
        activity.record({ kind: 'call', ...call, outcome: outcomeOf(error), code: failureCode(error), detail: describeFailure(error), ms: performance.now() - started });
        throw error;
      } finally {
        // The reader stopped before the end (the person cancelled, or a stop word was reached).
        if (!recorded) activity.record({ kind: 'call', ...call, outcome: 'cancelled', ms: performance.now() - started });
      }
    },
  };
}

export function observeEmbedder(embedder: Embedder, activity: Activity): Embedder {
  const call = { provider: 'gemini', subject: embedder.model, purpose: 'embed' as const };
  return {
    model: embedder.model,
    dimensions: embedder.dimensions,
    embedDocuments: (texts, signal) => timed(activity, call, () => embedder.embedDocuments(texts, signal)),
    embedQuery: (text, signal) => timed(activity, call, () => embedder.embedQuery(text, signal)),
  };
}

export function observeVision(model: VisionModel, activity: Activity): VisionModel {
  return { model: model.model, look: (image, prompt, options) => timed(activity, { provider: 'gemini', subject: model.model, purpose: 'image' }, () => model.look(image, prompt, options)) };
}

export function observeVideo(model: VideoModel, activity: Activity): VideoModel {
  return { model: model.model, watch: (clip, prompt, options) => timed(activity, { provider: 'gemini', subject: model.model, purpose: 'video' }, () => model.watch(clip, prompt, options)) };
}
