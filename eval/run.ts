// npm run eval → one JSON object on stdout: how well Docent finds the place that answers a
// question, whether its offline reply carries the answer, and how honestly it refuses questions
// its documents do not cover; per question set (corpus), per document format and per kind.
//   --set=dev         the development sets (default): eval/questions.json (Census reports and
//                     TraceMonkey) and eval/team-docs.json (14 documents in every format)
//   --set=held-back   eval/held-back.json, written by someone who never saw Docent's code, from
//                     the documents alone; scored only once a change is done
//   --set=all         both
//   --mode=lexical    keyword search only (the offline default, what a fresh install does)
//   --mode=hybrid     keyword + dense vectors: Gemini embeddings when GEMINI_API_KEY is set,
//                     otherwise a local hashed bag-of-words stand-in (it tests the fusion, not semantics)
//   --mode=naive-recipe  the tutorial recipe (LangChain splitter + MiniSearch BM25)
//   --mode=all        lexical, hybrid and the naive recipe side by side (default)
//   --misses          list every question not found in the top 5, every wrong refusal and every
//                     reply that lacks the answer though its passage was found
// Each set's documents are indexed into one channel of their own; documents missing from this
// machine are skipped with a notice, and so are the questions about them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { kindOfName } from '../src/core/providers/readers/formats/index.js';
import { composeCore } from '../src/composition/compose-core.js';
import type { Core } from '../src/core/index.js';
import type { Embedder, Logger } from '../src/core/ports/ports.js';
import type { FileSource, Scope } from '../src/core/ports/types.js';
import { hashedEmbedder } from './hashed-embedder.js';
import { naiveRecipe } from './naive-recipe.js';
import { keysIn, normalize, score, type Expectation, type QuestionOutcome, type RefusalOutcome } from './score.js';

interface Question {
  readonly q: string;
  readonly kind?: string;
  /** For a follow-up: the question asked just before, in the same conversation. */
  readonly after?: string;
  readonly expect: readonly Expectation[];
  /** Key strings a right reply contains, each with its accepted spellings. */
  readonly answer?: readonly (readonly string[])[];
}

interface QuestionSet {
  readonly documents: readonly { file: string; path: string }[];
  readonly answerable: readonly Question[];
  readonly unanswerable?: readonly string[];
  readonly unrelated: readonly string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const argument = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const setArg = argument('set', 'dev');
const modeArg = argument('mode', 'all');
const showMisses = process.argv.includes('--misses');
const modes = modeArg === 'all' ? ['lexical', 'hybrid', 'naive-recipe'] : [modeArg];
const SETS: Record<string, string[]> = { dev: ['questions.json', 'team-docs.json'], 'held-back': ['held-back.json'], all: ['questions.json', 'team-docs.json', 'held-back.json'] };
const files = SETS[setArg];
if (!files) throw new Error(`unknown --set=${setArg} (dev, held-back or all)`);

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

interface LoadedSet {
  readonly name: string;
  readonly documents: readonly { file: string; path: string }[];
  readonly answerable: readonly Question[];
  readonly unanswerable: readonly string[];
  readonly unrelated: readonly string[];
}

function load(file: string): LoadedSet | undefined {
  const set = JSON.parse(fs.readFileSync(path.join(here, file), 'utf8')) as QuestionSet;
  const present = set.documents.filter((d) => fs.existsSync(path.resolve(here, '..', d.path)));
  for (const d of set.documents) if (!present.includes(d)) process.stderr.write(`notice: ${d.path} is absent; its questions are skipped\n`);
  if (present.length === 0) return undefined;
  const available = new Set(present.map((d) => d.file));
  return {
    name: file.replace(/\.json$/, ''),
    documents: present.map((d) => ({ file: d.file, path: path.resolve(here, '..', d.path) })),
    answerable: set.answerable.filter((q) => q.expect.every((e) => available.has(e.file))),
    unanswerable: set.unanswerable ?? [],
    unrelated: set.unrelated,
  };
}

function fileSource(file: string, filePath: string): FileSource {
  const data = fs.readFileSync(filePath);
  return { name: file, size: data.length, read: async () => data };
}

const formatOf = (question: Question) => kindOfName(question.expect[0]?.file ?? '') ?? 'pdf';

async function runDocent(set: LoadedSet, mode: 'lexical' | 'hybrid'): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docent-eval-'));
  const gemini = mode === 'hybrid' && process.env.GEMINI_API_KEY ? process.env.GEMINI_API_KEY : undefined;
  const tuning = Object.fromEntries(['CHUNK_TARGET_CHARS', 'CHUNK_OVERLAP_CHARS', 'ASK_TOP_K'].flatMap((k) => (process.env[k] ? [[k, process.env[k] ?? '']] : [])));
  // The reading budget watches the whole process, and this one holds every set's indexes one
  // after another (hybrid ones with their vectors): it gets the room a bot of its own would have.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PDF_MEMORY_MB: '4096', ...tuning, ...(gemini ? { GEMINI_API_KEY: gemini } : {}) });
  const overrides: { embedder?: Embedder | null } = mode === 'lexical' ? { embedder: null } : gemini ? {} : { embedder: hashedEmbedder(768) };
  const core = await composeCore(config, silent, overrides);
  const scope: Scope = { platform: 'console', workspace: 'eval', channel: set.name };
  try {
    await core.start();
    for (const d of set.documents) {
      try {
        await core.knowledge.ingest(scope, fileSource(d.file, d.path), { id: 'eval', name: 'eval' });
      } catch (error) {
        process.stderr.write(`notice: ${d.file} was not indexed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    const places = await evidencePlaces(core, scope, set.answerable);
    const outcomes: QuestionOutcome[] = [];
    for (const question of set.answerable) {
      // A follow-up is asked after the question it follows, in the same conversation.
      const history = question.after ? [{ question: question.after, answer: (await core.answers.answer(scope, question.after)).answer }] : [];
      const answer = await core.answers.answer(scope, question.q, { history });
      const retrieval = await core.knowledge.search(scope, answer.query, 10);
      outcomes.push({
        question: question.q,
        kind: question.kind ?? 'lookup',
        format: formatOf(question),
        expect: question.expect.map((e) => ({ ...e, places: places(e) })),
        ranked: retrieval.hits.map((h) => ({ file: h.file, page: h.page, text: `${h.heading ?? ''}\n${h.text}` })),
        refused: !answer.grounded,
        refusedBeforeModel: !retrieval.relevance.related,
        keysInReply: question.answer && question.answer.length > 0 ? keysIn(answer.answer, question.answer) : undefined,
        reply: answer.answer,
        coverage: retrieval.relevance.coverage,
      });
    }
    const refusals = async (questions: readonly string[]): Promise<RefusalOutcome[]> => {
      const out: RefusalOutcome[] = [];
      for (const question of questions) {
        const answer = await core.answers.answer(scope, question);
        const retrieval = await core.knowledge.search(scope, question, 10);
        out.push({ question, refused: !answer.grounded, refusedBeforeModel: !retrieval.relevance.related, coverage: retrieval.relevance.coverage });
      }
      return out;
    };
    const unanswerable = await refusals(set.unanswerable);
    const unrelated = await refusals(set.unrelated);
    return score(outcomes, unanswerable, unrelated, showMisses, { embeddings: mode === 'lexical' ? 'none' : gemini ? 'gemini' : 'hashed stand-in (offline)' });
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Where each expectation's evidence is, as Docent indexed the file: the pages (slides, sections,
 * row groups) of the passages that contain one of its phrases. Scoring "by place" counts a hit
 * on any passage of such a page, as a citation of that place would.
 */
async function evidencePlaces(core: Core, scope: Scope, questions: readonly Question[]): Promise<(e: Expectation) => number[]> {
  const passagesOf = new Map<string, { page: number; text: string }[]>();
  for (const document of await core.knowledge.list(scope)) {
    passagesOf.set(document.name, (await core.knowledge.passages(document)).map((p) => ({ page: p.page, text: normalize(`${p.heading ?? ''}\n${p.text}`) })));
  }
  void questions;
  return (e) => {
    const phrases = (e.evidence ?? []).map(normalize).filter((p) => p.length > 0);
    return [...new Set((passagesOf.get(e.file) ?? []).filter((p) => phrases.some((phrase) => p.text.includes(phrase))).map((p) => p.page))];
  };
}

async function runNaive(set: LoadedSet): Promise<Record<string, unknown>> {
  const recipe = await naiveRecipe(set.documents);
  const outcomes: QuestionOutcome[] = set.answerable.map((question) => ({
    question: question.q,
    kind: question.kind ?? 'lookup',
    format: formatOf(question),
    expect: question.expect,
    ranked: recipe.search(question.after ? `${question.after} ${question.q}` : question.q, 10),
    refused: false,
    refusedBeforeModel: false,
    keysInReply: undefined,
    reply: '',
  }));
  const never = (questions: readonly string[]): RefusalOutcome[] => questions.map((question) => ({ question, refused: recipe.search(question, 1).length === 0, refusedBeforeModel: false }));
  return score(outcomes, never(set.unanswerable), never(set.unrelated), showMisses, { recipe: 'RecursiveCharacterTextSplitter(1000, 200) + MiniSearch BM25, as in the tutorial' });
}

const report: Record<string, unknown> = { date: new Date().toISOString(), set: setArg };
let evaluated = 0;
for (const file of files) {
  const set = load(file);
  if (!set) {
    process.stderr.write(`notice: no document of ${file} is on this machine; it is skipped\n`);
    continue;
  }
  evaluated++;
  const results: Record<string, unknown> = {
    questions: { answerable: set.answerable.length, unanswerable: set.unanswerable.length, unrelated: set.unrelated.length, documents: set.documents.map((d) => d.file) },
  };
  for (const mode of modes) {
    if (mode === 'lexical' || mode === 'hybrid') results[mode] = await runDocent(set, mode);
    else if (mode === 'naive-recipe') results[mode] = await runNaive(set);
    else throw new Error(`unknown --mode=${mode} (lexical, hybrid, naive-recipe or all)`);
  }
  report[set.name] = results;
}
if (evaluated === 0) {
  process.stderr.write('no document of the question sets is on this machine; nothing to evaluate\n');
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
