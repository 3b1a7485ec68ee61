// npm run eval → one JSON object on stdout: how well Docent finds the page that answers a
// question, and how honestly it refuses questions its documents do not cover.
//   --mode=lexical    keyword search only (the offline default, what a fresh install does)
//   --mode=hybrid     keyword + dense vectors: Gemini embeddings when GEMINI_API_KEY is set,
//                     otherwise a local hashed bag-of-words stand-in (it tests the fusion, not semantics)
//   --mode=all        lexical, hybrid and the naive tutorial recipe side by side (default)
//   --misses          list every question not found in the top 5 and every wrong refusal
// The question set is eval/questions.json; documents missing from this machine are skipped with a notice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import type { Embedder, Logger } from '../src/core/ports.js';
import type { FileSource, Scope } from '../src/core/types.js';
import { naiveRecipe } from './naive-recipe.js';
import { hashedEmbedder } from './hashed-embedder.js';
import { score, type Expectation, type QuestionOutcome, type Ranked } from './score.js';

interface QuestionSet {
  readonly documents: readonly { file: string; path: string }[];
  readonly answerable: readonly { q: string; expect: readonly Expectation[] }[];
  readonly unrelated: readonly string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const set = JSON.parse(fs.readFileSync(path.join(here, 'questions.json'), 'utf8')) as QuestionSet;
const modeArg = process.argv.find((a) => a.startsWith('--mode='))?.slice('--mode='.length) ?? 'all';
const showMisses = process.argv.includes('--misses');
const modes = modeArg === 'all' ? ['lexical', 'hybrid', 'naive-recipe'] : [modeArg];

const present = set.documents.filter((d) => fs.existsSync(path.resolve(here, '..', d.path)));
for (const d of set.documents) if (!present.includes(d)) process.stderr.write(`notice: ${d.path} is absent; its questions are skipped\n`);
const available = new Set(present.map((d) => d.file));
const answerable = set.answerable.filter((q) => q.expect.every((e) => available.has(e.file)));
if (present.length === 0) {
  process.stderr.write('no document of the question set is on this machine; nothing to evaluate\n');
  process.exit(1);
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const scope: Scope = { platform: 'console', workspace: 'eval', channel: 'reports' };

function fileSource(file: string, filePath: string): FileSource {
  const data = fs.readFileSync(filePath);
  return { name: file, size: data.length, read: async () => data };
}

async function runDocent(mode: 'lexical' | 'hybrid'): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docent-eval-'));
  const gemini = mode === 'hybrid' && process.env.GEMINI_API_KEY ? process.env.GEMINI_API_KEY : undefined;
  const tuning = Object.fromEntries(['CHUNK_TARGET_CHARS', 'CHUNK_OVERLAP_CHARS', 'ASK_TOP_K'].flatMap((k) => (process.env[k] ? [[k, process.env[k] ?? '']] : [])));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...tuning, ...(gemini ? { GEMINI_API_KEY: gemini } : {}) });
  const overrides: { embedder?: Embedder | null } = mode === 'lexical' ? { embedder: null } : gemini ? {} : { embedder: hashedEmbedder(768) };
  const core = createCore(config, silent, overrides);
  try {
    await core.start();
    for (const d of present) await core.knowledge.ingest(scope, fileSource(d.file, path.resolve(here, '..', d.path)), { id: 'eval', name: 'eval' });
    const outcomes: QuestionOutcome[] = [];
    for (const question of answerable) {
      const retrieval = await core.knowledge.search(scope, question.q, 10);
      const answer = await core.answers.answer(scope, question.q);
      outcomes.push({ question: question.q, expect: question.expect, ranked: retrieval.hits.map((h) => ({ file: h.file, page: h.page })), refused: !answer.grounded, coverage: retrieval.relevance.coverage });
    }
    const refusals: { question: string; refused: boolean; coverage: number }[] = [];
    for (const question of set.unrelated) {
      const answer = await core.answers.answer(scope, question);
      refusals.push({ question, refused: !answer.grounded, coverage: (await core.knowledge.search(scope, question, 10)).relevance.coverage });
    }
    return score(outcomes, refusals, showMisses, { embeddings: mode === 'lexical' ? 'none' : gemini ? 'gemini' : 'hashed stand-in (offline)' });
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runNaive(): Promise<Record<string, unknown>> {
  const recipe = await naiveRecipe(present.map((d) => ({ file: d.file, path: path.resolve(here, '..', d.path) })));
  const outcomes: QuestionOutcome[] = answerable.map((question) => ({
    question: question.q,
    expect: question.expect,
    ranked: recipe.search(question.q, 10) satisfies Ranked[],
    refused: false,
  }));
  const refusals = set.unrelated.map((question) => ({ question, refused: recipe.search(question, 1).length === 0 }));
  return score(outcomes, refusals, showMisses, { recipe: 'RecursiveCharacterTextSplitter(1000, 200) + MiniSearch BM25, as in the tutorial' });
}

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  questions: { answerable: answerable.length, unrelated: set.unrelated.length, documents: present.map((d) => d.file) },
};
for (const mode of modes) {
  if (mode === 'lexical' || mode === 'hybrid') report[mode] = await runDocent(mode);
  else if (mode === 'naive-recipe') report[mode] = await runNaive();
  else throw new Error(`unknown --mode=${mode} (lexical, hybrid, naive-recipe or all)`);
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
