import type { Embedder } from '../src/core/ports/ports.js';
import { tokenize, tokenId } from '../src/core/lib/tokenizer.js';

/**
 * An offline stand-in for an embedding model: words and word pairs hashed into a fixed number of
 * dimensions, normalised. It has no semantics; it lets the evaluation exercise hybrid fusion
 * (ranks from two lists) on a machine without a Gemini key.
 */
export function hashedEmbedder(dimensions: number): Embedder {
  const embed = (text: string): Float32Array => {
    const vector = new Float32Array(dimensions);
    const tokens = tokenize(text);
    tokens.forEach((token, i) => {
      vector[tokenId(token) % dimensions] += 1;
      if (i > 0) vector[tokenId(`${tokens[i - 1]} ${token}`) % dimensions] += 0.5;
    });
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimensions; i++) vector[i] /= norm;
    return vector;
  };
  return {
    model: 'hashed-stand-in',
    dimensions,
    embedDocuments: async (texts) => texts.map(embed),
    embedQuery: async (text) => embed(text),
  };
}
