import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** Every installed package's manifest (node_modules, nested ones included). */
function manifests(dir: string): { name: string; version: string; engines?: { node?: string } }[] {
  const found: { name: string; version: string; engines?: { node?: string } }[] = [];
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (entry.startsWith('@')) {
      found.push(...manifests(full));
      continue;
    }
    const manifest = path.join(full, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    found.push(JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; version: string; engines?: { node?: string } });
    found.push(...manifests(path.join(full, 'node_modules')));
  }
  return found;
}

describe('engines', () => {
  it('the Node versions Docent declares are ones every installed package declares it supports', () => {
    const declared = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const conflicts = manifests(path.join(root, 'node_modules'))
      .filter((m) => m.engines?.node && semver.validRange(m.engines.node) && !semver.subset(declared, m.engines.node))
      .map((m) => `${m.name}@${m.version} wants node ${m.engines?.node}`);
    expect(conflicts).toEqual([]);
  });

  it('the Docker image runs a Node the declared range includes', () => {
    const declared = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const images = [...fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
    expect(images.length).toBeGreaterThan(0);
    for (const major of images) expect(semver.satisfies(`${major}.99.0`, declared), `node:${major}`).toBe(true);
  });
});
