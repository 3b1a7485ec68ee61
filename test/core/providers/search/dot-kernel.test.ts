import { describe, expect, it } from 'vitest';
import { compileDotKernel, renderModule } from '../../../../scripts/build-wasm.js';
import { createDotKernel } from '../../../../src/core/providers/search/dot-kernel.js';
import fs from 'node:fs';
import path from 'node:path';

function vector(seed: number, dimensions: number): Float32Array {
  return Float32Array.from({ length: dimensions }, (_, j) => Math.sin(seed * 13.7 + j * 0.31));
}

describe('dot-product kernel', () => {
  it('the WebAssembly SIMD kernel and the JavaScript one compute the same dot products', () => {
    const rows = 37;
    const dimensions = 64;
    const wasm = createDotKernel(rows, dimensions, 'wasm-simd');
    const js = createDotKernel(rows, dimensions, 'js');
    expect(wasm.implementation).toBe('wasm-simd');
    expect(js.implementation).toBe('js');
    for (let i = 0; i < rows; i++) {
      wasm.setRow(i, vector(i, dimensions));
      js.setRow(i, vector(i, dimensions));
    }
    const query = vector(1000, dimensions);
    const a = Array.from(wasm.dots(query));
    const b = Array.from(js.dots(query));
    const expected = Array.from({ length: rows }, (_, i) => vector(i, dimensions).reduce((s, x, j) => s + x * query[j], 0));
    a.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i], 3);
      expect(b[i]).toBeCloseTo(expected[i], 3);
    });
  });

  it('falls back to JavaScript for sizes the SIMD kernel does not take', () => {
    expect(createDotKernel(3, 130).implementation).toBe('js');
    const k = createDotKernel(1, 6);
    k.setRow(0, Float32Array.from([1, 2, 3, 4, 5, 6]));
    expect(k.dots(Float32Array.from([1, 1, 1, 1, 1, 1]))[0]).toBe(21);
  });

  it('the committed kernel bytes are the compiled dot-kernel.wat', async () => {
    const committed = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../src/core/providers/search/dot-kernel-wasm.ts'), 'utf8');
    expect(committed).toBe(renderModule(await compileDotKernel()));
  });
});
