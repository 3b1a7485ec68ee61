import type { AdminReport, AdminScope } from '../core/public-surface.js';
import { esc, page, when, type Html } from './html.js';
import { describeScope, hrefOf } from './scopes.js';
import { digests, ingest, models, providers } from './sections-ops.js';
import { channels, charts, documents, ratedDown, tiles, unanswered } from './sections-usage.js';

function breadcrumbs(scope: AdminScope): Html {
  const crumbs = [`<a href="/">All</a>`];
  if (scope.kind !== 'all') crumbs.push(`<a href="${esc(hrefOf({ kind: 'workspace', platform: scope.platform, workspace: scope.workspace }))}">${esc(`${scope.platform} · ${scope.workspace}`)}</a>`);
  if (scope.kind === 'channel') crumbs.push(`<a href="${esc(hrefOf(scope))}" aria-current="page">${esc(scope.channel)}</a>`);
  return `<nav aria-label="Scope">${crumbs.join(' › ')}</nav>`;
}

const SIGN_OUT = `<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;

/** The admin page of a scope: every section, tables first readable without JavaScript. */
export function reportPage(report: AdminReport): Html {
  const header = `<h1>Docent admin</h1>${breadcrumbs(report.scope)}<span>${esc(describeScope(report.scope))} · ${esc(when(report.generatedAt))}</span>${SIGN_OUT}`;
  const body = [
    tiles(report),
    charts(report),
    channels(report),
    unanswered(report),
    ratedDown(report),
    documents(report),
    ingest(report),
    models(report),
    providers(report),
    digests(report),
  ].join('\n');
  return page(`Docent admin · ${describeScope(report.scope)}`, header, body);
}

/** The sign-in form (nothing else is shown without the token). */
export function loginPage(next: string, problem?: string): Html {
  const body = `<section class="login" aria-labelledby="login-h"><h2 id="login-h">Sign in</h2>
<p>Enter the admin token (ADMIN_TOKEN) to see this Docent's figures.</p>
${problem ? `<p class="error" role="alert">${esc(problem)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${esc(next)}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<p><button type="submit">Sign in</button></p>
</form></section>`;
  return page('Docent admin · sign in', '<h1>Docent admin</h1>', body);
}

export function messagePage(title: string, text: string): Html {
  return page(`Docent admin · ${title}`, '<h1>Docent admin</h1><nav><a href="/">All</a></nav>', `<section><h2>${esc(title)}</h2><p>${esc(text)}</p></section>`);
}
