import { BadInputError, ProviderError } from '../../core/errors.js';
import type { FileSource } from '../../core/types.js';
import { readCapped } from '../shared/read-capped.js';

export interface SlackFileLike {
  readonly id?: string;
  readonly name?: string;
  readonly title?: string;
  readonly size?: number;
  readonly url_private_download?: string;
  readonly url_private?: string;
  readonly permalink?: string;
  readonly mimetype?: string;
}

/**
 * A shared Slack file as a FileSource: downloaded with the bot token (Slack requires it), only
 * from Slack's file host, stopping past the size cap. Without the files:read scope Slack answers
 * HTTP 200 with its HTML login page: that is detected and named, never indexed as garbage.
 */
export function slackFileSource(file: SlackFileLike, options: { token: string; fileHosts: readonly string[]; origins?: readonly string[] }): FileSource {
  const name = file.name ?? file.title ?? 'file';
  return {
    name,
    size: file.size,
    mimeType: file.mimetype,
    link: file.permalink,
    origins: options.origins ?? [],
    async read(maxBytes) {
      const address = file.url_private_download ?? file.url_private;
      const url = address ? new URL(address) : undefined;
      if (!url || !options.fileHosts.includes(url.host)) {
        throw new BadInputError('file_host', `Docent only downloads files from Slack (${options.fileHosts.join(', ')}); “${name}” is elsewhere.`);
      }
      const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` }, redirect: 'manual' }).catch((error: unknown) => {
        throw new ProviderError('Slack', `Docent could not download “${name}” from Slack. Try again.`, { retryable: true, cause: error });
      });
      const type = response.headers.get('content-type') ?? '';
      if (response.status >= 300 && response.status < 400) throw missingScope(name);
      if (!response.ok || !response.body) {
        throw new ProviderError('Slack', `Slack answered HTTP ${response.status} for “${name}”.`, { retryable: response.status >= 500, status: response.status });
      }
      const data = await readCapped(response.body, maxBytes);
      if (type.includes('text/html') || /^\s*<(!doctype html|html)/i.test(data.subarray(0, 200).toString('utf8'))) throw missingScope(name);
      return data;
    },
  };
}

function missingScope(name: string): BadInputError {
  return new BadInputError(
    'slack_files_read',
    `Slack sent its login page instead of “${name}”: the Docent app is missing the files:read scope. Add it under OAuth & Permissions (or install the app from the manifest), reinstall the app, and share the file again.`,
  );
}
