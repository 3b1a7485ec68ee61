import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) found.add(match[1]);
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.add(match[1]);
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(match[1]);
  return [...found];
}

const rel = (file: string) => path.relative(src, file).split(path.sep).join('/');
const all = files(src);

/** Where an import lands, as a path relative to src (or the package name for packages). */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return rel(path.resolve(path.dirname(file), specifier));
}

const VENDOR_SDKS = ['@google/genai', 'groq-sdk', '@qdrant/js-client-rest', 'pdf-parse', 'pdfjs-dist', 'sharp', 'tesseract.js', 'better-sqlite3', 'croner', 'pg', 'pg-boss', 'mammoth', 'marked', 'htmlparser2', 'csv-parse'];

describe('the dependency rule: bots → commands → core', () => {
  it('finds the source files it checks', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(imports(path.join(src, 'core/index.ts')).length).toBeGreaterThan(3);
  });

  it('core never imports commands, bots, discord.js or Slack', () => {
    const offenders = all
      .filter((f) => rel(f).startsWith('core/'))
      .flatMap((f) => imports(f).map((s) => [rel(f), s, target(f, s)] as const))
      .filter(([, s, t]) => t.startsWith('commands/') || t.startsWith('bots/') || t.startsWith('admin/') || s === 'discord.js' || s.startsWith('@slack/') || s.startsWith('@discordjs/'));
    expect(offenders).toEqual([]);
  });

  it('commands never import bots or platform SDKs', () => {
    const offenders = all
      .filter((f) => rel(f).startsWith('commands/'))
      .flatMap((f) => imports(f).map((s) => [rel(f), s, target(f, s)] as const))
      .filter(([, s, t]) => t.startsWith('bots/') || s === 'discord.js' || s.startsWith('@slack/'));
    expect(offenders).toEqual([]);
  });

  it('commands, bots and the admin page use only the core’s public surface, never its features’ insides or its providers', () => {
    const PUBLIC = ['core/index.ts', 'core/public-surface.ts', 'core/answer/conversations.ts'];
    const offenders = all
      .filter((f) => rel(f).startsWith('commands/') || rel(f).startsWith('bots/') || rel(f).startsWith('admin/'))
      .flatMap((f) => imports(f).map((s) => [rel(f), target(f, s).replace(/\.js$/, '.ts')] as const))
      .filter(([, t]) => t.startsWith('core/') && !PUBLIC.includes(t) && !t.startsWith('core/ports/'));
    expect(offenders).toEqual([]);
  });

  it('core features never import providers: only the composition (src/composition/) chooses them; every floor may ask the document formats registry', () => {
    /** The formats' facts (names, sniffing, citation labels, refusal wording); its readers are imported only inside the reader's worker. */
    const FORMATS = 'core/providers/readers/formats/index.js';
    const offenders = all
      .filter((f) => rel(f).startsWith('core/') && !rel(f).startsWith('core/providers/'))
      .flatMap((f) => imports(f).map((s) => [rel(f), target(f, s)] as const))
      .filter(([, t]) => t.startsWith('core/providers/') && t !== FORMATS);
    expect(offenders).toEqual([]);
  });

  it('the core never reads the configuration nor the composition: it receives what it needs', () => {
    const offenders = all
      .filter((f) => rel(f).startsWith('core/'))
      .flatMap((f) => imports(f).map((s) => [rel(f), target(f, s).replace(/\.js$/, '.ts')] as const))
      .filter(([, t]) => t === 'config.ts' || t === 'config-schema.ts' || t.startsWith('composition/'));
    expect(offenders).toEqual([]);
  });

  it('SQL is written only under core/providers/storage (written once in sql/, the connections in sqlite/ and postgres/)', () => {
    const offenders = all.filter(
      (f) => !rel(f).startsWith('core/providers/storage/') && /\.prepare\(\s*`|\.query\(\s*[`']|\bCREATE TABLE\b|\bINSERT INTO\b/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(offenders.map(rel)).toEqual([]);
  });

  it('vendor SDKs appear only in core/providers', () => {
    // croner is also core/lib/cron-instants.ts's: it computes when a schedule runs, for the digests (a
    // feature) and the scheduler (a provider) alike, below both, so the two always agree.
    const ALSO: Readonly<Record<string, string>> = { 'core/lib/cron-instants.ts': 'croner' };
    const offenders = all
      .flatMap((f) => imports(f).map((s) => [rel(f), s] as const))
      .filter(([f, s]) => VENDOR_SDKS.some((sdk) => s === sdk || s.startsWith(`${sdk}/`)) && !f.startsWith('core/providers/') && ALSO[f] !== s);
    expect(offenders).toEqual([]);
  });

  it('discord.js only in bots/discord and Bolt only in bots/slack', () => {
    const offenders = all
      .flatMap((f) => imports(f).map((s) => [rel(f), s] as const))
      .filter(([f, s]) => (s === 'discord.js' && !f.startsWith('bots/discord/')) || (s.startsWith('@slack/') && !f.startsWith('bots/slack/')));
    expect(offenders).toEqual([]);
  });

  it('only config.ts (and env-file.ts, which fills it from .env) reads process.env', () => {
    const offenders = all.filter((f) => !['config.ts', 'env-file.ts'].includes(rel(f)) && /process\.env\b/.test(fs.readFileSync(f, 'utf8').replace(/loadConfig\(process\.env\)/g, '')));
    expect(offenders.map(rel)).toEqual([]);
  });

  it('no console.* outside the console bot', () => {
    const offenders = all.filter((f) => !rel(f).startsWith('bots/console/') && /\bconsole\.(log|info|warn|error|debug)\(/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map(rel)).toEqual([]);
  });
});

/** The floor a core file stands on: ports (the floor), lib (shared algorithms), providers, or a feature. */
function floorOf(path: string): 'ports' | 'lib' | 'providers' | 'feature' | undefined {
  if (!path.startsWith('core/')) return undefined;
  if (path.startsWith('core/ports/')) return 'ports';
  if (path.startsWith('core/lib/')) return 'lib';
  if (path.startsWith('core/providers/')) return 'providers';
  return 'feature';
}

/** Relative imports of core files, type-only ones included (a type cycle is still a knot). */
const coreEdges = all
  .filter((f) => rel(f).startsWith('core/'))
  .flatMap((f) => imports(f).filter((s) => s.startsWith('.')).map((s) => [rel(f), target(f, s).replace(/\.js$/, '.ts')] as const));

describe('floors: arrows only point down (features and providers → lib → ports)', () => {
  it('the ports import only the ports', () => {
    expect(coreEdges.filter(([f, t]) => floorOf(f) === 'ports' && floorOf(t) !== 'ports')).toEqual([]);
  });

  it('lib imports only lib and the ports', () => {
    expect(coreEdges.filter(([f, t]) => floorOf(f) === 'lib' && floorOf(t) !== 'lib' && floorOf(t) !== 'ports')).toEqual([]);
  });

  it('providers never import features', () => {
    expect(coreEdges.filter(([f, t]) => floorOf(f) === 'providers' && floorOf(t) === 'feature')).toEqual([]);
  });

  it('no import cycle anywhere in src', () => {
    const graph = new Map<string, string[]>();
    for (const f of all) graph.set(rel(f), imports(f).filter((s) => s.startsWith('.')).map((s) => target(f, s).replace(/\.js$/, '.ts')));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('finds the floors it checks', () => {
    for (const floor of ['ports', 'lib', 'providers', 'feature'] as const) expect(coreEdges.some(([f]) => floorOf(f) === floor)).toBe(true);
  });
});

describe('size: small files with one job', () => {
  /** Files and functions allowed past the budgets (300 and 80 lines), each with its reason: size is a budget, not a rule. */
  const REASONS: Readonly<Record<string, string>> = {
    'core/answer/answer.ts': 'the /ask flow read top to bottom: search query, retrieval, the pre-model judgement, generation or quotes, citations',
    'core/providers/storage/qdrant/qdrant-store.ts': 'the VectorStore port implemented once against Qdrant: each method is one Query API, scroll or update call',
    'core/providers/storage/sql/passage-store.ts': 'the VectorStore port written once for SQLite and PostgreSQL: the writes, and each channel’s in-memory index kept up to date with them',
    'core/providers/storage/sql/registry.ts': 'the DocumentRegistry port written once for SQLite and PostgreSQL: one statement or transaction per member',
  };

  it('no source file is over 300 lines', () => {
    const long = all.filter((f) => fs.readFileSync(f, 'utf8').split('\n').length > 301 && !REASONS[rel(f)]).map((f) => `${rel(f)}: ${fs.readFileSync(f, 'utf8').split('\n').length} lines`);
    expect(long).toEqual([]);
  });

  it('no function is over 80 lines', () => {
    const long: string[] = [];
    for (const file of all.filter((f) => /\.(ts|mts)$/.test(f))) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          const where = `${rel(file)}:${first + 1}`;
          if (last - first + 1 > 80 && !REASONS[where]) long.push(`${where} (${last - first + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});
