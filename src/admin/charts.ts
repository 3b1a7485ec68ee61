import type { QuestionDay } from '../core/public-surface.js';
import { esc, type Html } from './html.js';

const W = 640;
const H = 220;
const M = { top: 12, right: 12, bottom: 28, left: 40 };
const OK = '#2f7d4f';
const NO = '#c0504d';
const GRID = '#d9dee6';
const TEXT = '#5b6575';

const plotW = W - M.left - M.right;
const plotH = H - M.top - M.bottom;

/** A round, even top for the y axis (2, 4, 6, 8, 10, 20, 40…) at or above `max`, so its middle tick is a whole number. */
export function niceMax(max: number): number {
  if (max <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [2, 4, 6, 8, 10].find((s) => s * power >= max) ?? 10;
  return step * power;
}

function axes(top: number, format: (v: number) => string, days: readonly QuestionDay[], x: (i: number) => number): Html {
  const lines: string[] = [];
  for (const share of [0, 0.5, 1]) {
    const y = M.top + plotH - share * plotH;
    lines.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`);
    lines.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="${TEXT}">${esc(format(share * top))}</text>`);
  }
  const every = Math.max(1, Math.ceil(days.length / 6));
  days.forEach((d, i) => {
    if (i % every === 0 || i === days.length - 1) lines.push(`<text x="${x(i)}" y="${H - 8}" text-anchor="middle" font-size="11" fill="${TEXT}">${esc(d.day.slice(5))}</text>`);
  });
  return lines.join('');
}

/** Questions per day as stacked bars: answered from the documents below, not covered above. */
export function questionsChart(days: readonly QuestionDay[]): Html {
  const top = niceMax(Math.max(0, ...days.map((d) => d.asked)));
  const slot = plotW / Math.max(1, days.length);
  const x = (i: number) => M.left + slot * i + slot / 2;
  const barW = Math.max(2, slot * 0.7);
  const bars = days
    .map((d, i) => {
      const answeredH = (d.answered / top) * plotH;
      const missedH = ((d.asked - d.answered) / top) * plotH;
      const base = M.top + plotH;
      const left = (x(i) - barW / 2).toFixed(1);
      const title = `<title>${esc(`${d.day}: ${d.asked} asked, ${d.answered} answered, ${d.asked - d.answered} not covered`)}</title>`;
      return `<g class="bar" data-day="${esc(d.day)}" data-asked="${d.asked}" data-answered="${d.answered}">${title}<rect x="${left}" y="${(base - answeredH).toFixed(1)}" width="${barW.toFixed(1)}" height="${answeredH.toFixed(1)}" fill="${OK}"/><rect x="${left}" y="${(base - answeredH - missedH).toFixed(1)}" width="${barW.toFixed(1)}" height="${missedH.toFixed(1)}" fill="${NO}"/></g>`;
    })
    .join('');
  const total = days.reduce((n, d) => n + d.asked, 0);
  return `<svg id="questions-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`Questions per day: ${total} in ${days.length} days`)}" xmlns="http://www.w3.org/2000/svg">${axes(top, (v) => String(Math.round(v)), days, x)}${bars}</svg>`;
}

/** The share of questions the documents answered, per day with questions (days without any are left out of the line). */
export function answeredShareChart(days: readonly QuestionDay[]): Html {
  const slot = plotW / Math.max(1, days.length);
  const x = (i: number) => M.left + slot * i + slot / 2;
  const y = (share: number) => M.top + plotH - share * plotH;
  const points = days.map((d, i) => ({ d, i })).filter(({ d }) => d.asked > 0);
  const segments: string[] = [];
  let run: string[] = [];
  days.forEach((d, i) => {
    if (d.asked === 0) {
      if (run.length > 1) segments.push(run.join(' '));
      run = [];
      return;
    }
    run.push(`${x(i).toFixed(1)},${y(d.answered / d.asked).toFixed(1)}`);
  });
  if (run.length > 1) segments.push(run.join(' '));
  const lines = segments.map((p) => `<polyline points="${p}" fill="none" stroke="${OK}" stroke-width="2"/>`).join('');
  const dots = points
    .map(({ d, i }) => {
      const share = Math.round((100 * d.answered) / d.asked);
      return `<circle class="point" data-day="${esc(d.day)}" data-share="${share}" cx="${x(i).toFixed(1)}" cy="${y(d.answered / d.asked).toFixed(1)}" r="3.5" fill="${OK}"><title>${esc(`${d.day}: ${share} % answered (${d.answered} of ${d.asked})`)}</title></circle>`;
    })
    .join('');
  return `<svg id="answered-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Share of questions answered from the documents, per day" xmlns="http://www.w3.org/2000/svg">${axes(1, (v) => `${Math.round(v * 100)} %`, days, x)}${lines}${dots}</svg>`;
}
