import { createHash } from 'node:crypto';
import { formatMegabytes } from '../core/public-surface.js';

/** Text made safe for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Markup already escaped, joined. */
export type Html = string;

/** An http(s) link as an anchor, or the label alone for anything else (no javascript: or data: links). */
export function link(href: string | undefined, label: string): Html {
  if (!href || !/^https?:\/\//i.test(href)) return esc(label);
  return `<a href="${esc(href)}" rel="noreferrer noopener" target="_blank">${esc(label)}</a>`;
}

export function table(headers: readonly string[], rows: readonly (readonly Html[])[], empty: string, numeric: ReadonlySet<number> = new Set()): Html {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const th = headers.map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export function section(id: string, title: string, body: Html, note?: string): Html {
  return `<section id="${esc(id)}" aria-labelledby="${esc(id)}-h"><h2 id="${esc(id)}-h">${esc(title)}</h2>${note ? `<p class="note">${esc(note)}</p>` : ''}${body}</section>`;
}

export const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${Math.round((100 * part) / whole)} %`);

/** An instant as people read it in UTC: "2026-12-02 14:05 UTC". */
export function when(at: Date | undefined): string {
  if (!at) return '–';
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A file size as people read it: "820 B", "14 KB", "3.2 MB", "48 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  return kb < 1024 ? `${Math.round(kb)} KB` : formatMegabytes(bytes);
}

const CSS = `
:root{color-scheme:light;--ink:#1d2430;--muted:#5b6575;--line:#d9dee6;--bg:#f6f7f9;--card:#fff;--ok:#2f7d4f;--no:#c0504d;--accent:#3559a8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#1d2430;color:#fff;padding:14px 24px;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header h1{margin:0;font-size:20px}
header nav a{color:#cfe0ff}
header form{margin-left:auto}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0}
h2{font-size:17px;margin:4px 0 10px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:16px 0}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.tile b{display:block;font-size:24px}
.tile span{color:var(--muted);font-size:13px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
figure{margin:0}
figcaption{color:var(--muted);font-size:13px}
svg{max-width:100%;height:auto;display:block}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.empty,.note{color:var(--muted)}
.bad{color:var(--no);font-weight:600}
.good{color:var(--ok)}
.login{max-width:420px;margin:64px auto}
label{display:block;margin:8px 0 4px}
input[type=password]{width:100%;padding:8px;font-size:15px}
button{padding:7px 14px;font-size:14px;cursor:pointer}
.error{color:var(--no)}
.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.legend .a{background:var(--ok)}.legend .n{background:var(--no)}
`;

/** The page's one style sheet and its hash, so the Content-Security-Policy allows it and nothing else. */
export const STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${STYLE_HASH}'`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function page(title: string, header: Html, body: Html): Html {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>${header}</header>
<main>
${body}
</main>
</body>
</html>
`;
}
