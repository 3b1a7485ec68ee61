import type { AdminScope } from '../core/public-surface.js';

/** A tenant key ("platform:workspace:channel") as its parts. */
export function partsOf(tenant: string): { platform: string; workspace: string; channel: string } {
  const [platform = '', workspace = '', ...channel] = tenant.split(':');
  return { platform, workspace, channel: channel.join(':') };
}

const enc = encodeURIComponent;

/** The page of a scope. */
export function hrefOf(scope: AdminScope): string {
  if (scope.kind === 'all') return '/';
  if (scope.kind === 'workspace') return `/w/${enc(scope.platform)}/${enc(scope.workspace)}`;
  return `/c/${enc(scope.platform)}/${enc(scope.workspace)}/${enc(scope.channel)}`;
}

export function channelHref(tenant: string): string {
  return hrefOf({ kind: 'channel', ...partsOf(tenant) });
}

export function workspaceHref(tenant: string): string {
  const { platform, workspace } = partsOf(tenant);
  return hrefOf({ kind: 'workspace', platform, workspace });
}

/** The scope a path names; undefined for any other path, or for parts that are not valid ids. */
export function scopeOfPath(pathname: string): AdminScope | undefined {
  if (pathname === '/') return { kind: 'all' };
  const segments = pathname.split('/').slice(1);
  let parts: string[];
  try {
    parts = segments.slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  if (parts.some((p) => p.length === 0 || p.length > 200 || p.includes(':'))) return undefined;
  const [platform, workspace, channel] = parts;
  if (segments[0] === 'w' && parts.length === 2 && platform && workspace) return { kind: 'workspace', platform, workspace };
  if (segments[0] === 'c' && parts.length === 3 && platform && workspace && channel) return { kind: 'channel', platform, workspace, channel };
  return undefined;
}

export function describeScope(scope: AdminScope): string {
  if (scope.kind === 'all') return 'All workspaces';
  if (scope.kind === 'workspace') return `${scope.platform} workspace ${scope.workspace}`;
  return `${scope.platform} channel ${scope.channel} in ${scope.workspace}`;
}
