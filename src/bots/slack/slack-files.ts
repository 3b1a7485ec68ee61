import { BadInputError, ProviderError } from '../../core/ports/errors.js';
import { kindOfName } from '../../core/public-surface.js';
import { type FileSource } from '../../core/ports/types.js';
import { readCapped } from '../shared/read-capped.js';

export interface SlackFileLike {
  readonly id?: string;
  readonly name?: string;
  readonly title?: string;
  /** The file's size in bytes, as Slack stored it. */
  readonly size?: number;
  readonly url_private_download?: string;
  readonly url_private?: string;
  readonly permalink?: string;
  readonly mimetype?: string;
  /** Slack's short type: "pdf", "html", "text", "png"… */
  readonly filetype?: string;
}

/**
 * A shared Slack file as a FileSource: downloaded with the bot token (Slack requires it), only
 * from Slack's file host, stopping past the size cap. Without the files:read scope Slack answers
 * with its sign-in page instead of the file: that is detected and named (see `isSignInPage`),
 * never indexed as a document.
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
      // Docent never follows a redirect with its token: Slack redirects a download it refuses to its sign-in page.
      if (response.status >= 300 && response.status < 400) throw missingScope(name);
      if (!response.ok || !response.body) {
        throw new ProviderError('Slack', `Slack answered HTTP ${response.status} for “${name}”.`, { retryable: response.status >= 500, status: response.status });
      }
      const data = await readCapped(response.body, maxBytes);
      // Past the cap the caller refuses the file for its size; what it is does not matter then.
      if (data.length <= maxBytes && isSignInPage(file, response.headers.get('content-type') ?? '', data)) throw missingScope(name);
      return data;
    },
  };
}

/**
 * Whether a download (HTTP 200) is Slack's sign-in page rather than the file. The bytes alone
 * cannot tell, since an HTML document starts like the sign-in page does; the file object Slack
 * sent with the event says what the file is:
 * - The file object says another type than HTML (a PDF, an image, a text file): an HTML answer
 *   (content type text/html) is the sign-in page. So is a body that starts like an HTML page
 *   under another content type, unless its length is exactly the file's size (a text file that
 *   happens to begin with an HTML tag).
 * - The file object says HTML: the body is the document, unless its length differs from the size
 *   Slack gave for the file. Slack serves a file's bytes unchanged (fetch undoes any transfer
 *   encoding), so a body of another length is not the file, and an HTML one is the sign-in page.
 *   Without a size in the file object an HTML document cannot be told from the sign-in page by
 *   its body, and it is taken as the document.
 */
export function isSignInPage(file: SlackFileLike, contentType: string, data: Buffer): boolean {
  const servedAsHtml = /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
  const startsAsHtml = /^\s*<(!doctype html|html)[\s>]/i.test(data.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, ''));
  if (!servedAsHtml && !startsAsHtml) return false;
  const sizeDiffers = file.size !== undefined && data.length !== file.size;
  if (saysHtml(file)) return sizeDiffers;
  return servedAsHtml || file.size === undefined || sizeDiffers;
}

/** Whether the file object Slack sent says the file is an HTML document. */
function saysHtml(file: SlackFileLike): boolean {
  if (file.filetype !== undefined && file.filetype !== '') return /^x?html?$/i.test(file.filetype);
  if (file.mimetype !== undefined && file.mimetype !== '') return /^(text\/html|application\/xhtml\+xml)\b/i.test(file.mimetype);
  return kindOfName(file.name ?? file.title ?? '') === 'html';
}

function missingScope(name: string): BadInputError {
  return new BadInputError(
    'slack_files_read',
    `Slack sent its login page instead of “${name}”: the Docent app is missing the files:read scope. Add it under OAuth & Permissions (or install the app from the manifest), reinstall the app, and share the file again.`,
  );
}
