import type { CapabilityStatus } from './core/index.js';

/** The start-up banner: what is on, and which variable turns on what is off. */
export function formatBanner(version: string, bots: readonly CapabilityStatus[], capabilities: readonly CapabilityStatus[]): string {
  const rows = [...bots, ...capabilities];
  const width = Math.max(...rows.map((r) => r.name.length));
  return [
    `Docent ${version}`,
    ...rows.map((r) => `  ${r.active ? '●' : '○'} ${r.name.padEnd(width)}  ${r.detail}`),
  ].join('\n');
}
