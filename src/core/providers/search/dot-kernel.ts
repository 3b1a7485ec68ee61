import { DOT_KERNEL_WASM_BASE64 } from './dot-kernel-wasm.js';

/** A row-major matrix of vectors and a fast "dot product with every row". */
export interface DotKernel {
  readonly dimensions: number;
  readonly implementation: 'wasm-simd' | 'js';
  setRow(index: number, vector: Float32Array): void;
  /** Copies a whole row-major matrix in at once. */
  setRows(matrix: Float32Array): void;
  /** The row-major matrix itself (a view: valid while the kernel lives, not to be written). */
  matrix(): Float32Array;
  /** Similarities of `query` with every row; the array is reused by the next call. */
  dots(query: Float32Array): Float32Array;
}

const PAGE = 65536;
const MAX_WASM_BYTES = 3.5 * 1024 ** 3;
let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(DOT_KERNEL_WASM_BASE64, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JavaScript kernel does the same work
    }
  }
  return compiled;
}

/**
 * Exact dot products for brute-force cosine search. Uses a WebAssembly SIMD kernel (about 5×
 * faster than plain JavaScript) whenever it can, and plain JavaScript otherwise.
 */
export function createDotKernel(rows: number, dimensions: number, prefer: 'wasm-simd' | 'js' = 'wasm-simd'): DotKernel {
  const module = prefer === 'wasm-simd' && dimensions % 8 === 0 ? wasmModule() : null;
  const bytes = (rows * dimensions + dimensions + rows) * 4;
  if (module && bytes <= MAX_WASM_BYTES) return wasmKernel(module, rows, dimensions, bytes);
  return jsKernel(rows, dimensions);
}

function wasmKernel(module: WebAssembly.Module, rows: number, dimensions: number, bytes: number): DotKernel {
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const dots = instance.exports.dots as (m: number, q: number, out: number, n: number, d: number) => void;
  const matrixOffset = 0;
  const queryOffset = rows * dimensions * 4;
  const outOffset = queryOffset + dimensions * 4;
  const matrix = new Float32Array(memory.buffer, matrixOffset, rows * dimensions);
  const query = new Float32Array(memory.buffer, queryOffset, dimensions);
  const out = new Float32Array(memory.buffer, outOffset, rows);
  return kernelOver(matrix, dimensions, 'wasm-simd', (q) => {
    query.set(q);
    dots(matrixOffset, queryOffset, outOffset, rows, dimensions);
    return out;
  });
}

function jsKernel(rows: number, dimensions: number): DotKernel {
  const matrix = new Float32Array(rows * dimensions);
  const out = new Float32Array(rows);
  return kernelOver(matrix, dimensions, 'js', (q) => {
    const tail = dimensions - (dimensions % 4);
    for (let i = 0; i < rows; i++) {
      const base = i * dimensions;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j < tail; j += 4) {
        s0 += matrix[base + j] * q[j];
        s1 += matrix[base + j + 1] * q[j + 1];
        s2 += matrix[base + j + 2] * q[j + 2];
        s3 += matrix[base + j + 3] * q[j + 3];
      }
      for (; j < dimensions; j++) s0 += matrix[base + j] * q[j];
      out[i] = s0 + s1 + s2 + s3;
    }
    return out;
  });
}

/** A kernel over a row-major `matrix` that the implementation's `dots` reads: rows are written straight into it. */
function kernelOver(matrix: Float32Array, dimensions: number, implementation: DotKernel['implementation'], dots: DotKernel['dots']): DotKernel {
  return {
    dimensions,
    implementation,
    setRow: (index, vector) => matrix.set(vector, index * dimensions),
    setRows: (rows) => matrix.set(rows),
    matrix: () => matrix,
    dots,
  };
}
