/** A vector as the databases keep it (the bytes of its float32 values) and back. toFloats copies a
 * (possibly pooled, unaligned) Buffer out before viewing it as floats. */
export function toFloats(buffer: Buffer): Float32Array {
  return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

export function fromFloats(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}
