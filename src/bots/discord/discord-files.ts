import { BadInputError, ProviderError } from '../../core/ports/errors.js';
import type { FileSource } from '../../core/ports/types.js';
import { readCapped } from '../shared/read-capped.js';

export interface DiscordAttachmentLike {
  readonly name: string;
  readonly size: number;
  readonly url: string;
  readonly contentType?: string | null;
}

/**
 * An attachment as a FileSource: its size is announced by Discord (so limits apply before any
 * download), it is fetched only from Discord's CDN hosts, and the download stops past the cap.
 */
export function attachmentSource(attachment: DiscordAttachmentLike, options: { cdnHosts: readonly string[]; link?: string; origins?: readonly string[] }): FileSource {
  return {
    name: attachment.name,
    size: attachment.size,
    mimeType: attachment.contentType ?? undefined,
    link: options.link,
    origins: options.origins ?? [],
    async read(maxBytes) {
      let url: URL;
      try {
        url = new URL(attachment.url);
      } catch {
        throw new BadInputError('attachment_host', `“${attachment.name}” has no valid download address.`);
      }
      if (!options.cdnHosts.includes(url.host.toLowerCase()) && !options.cdnHosts.includes(url.hostname.toLowerCase())) {
        throw new BadInputError(
          'attachment_host',
          `Docent only downloads attachments from Discord's CDN (${options.cdnHosts.join(', ')}); “${attachment.name}” is on ${url.hostname}.`,
        );
      }
      const response = await fetch(url).catch((error: unknown) => {
        throw new ProviderError('Discord', `Docent could not download “${attachment.name}” from Discord. Try again.`, { retryable: true, cause: error });
      });
      if (!response.ok || !response.body) {
        throw new ProviderError('Discord', `Discord answered HTTP ${response.status} for “${attachment.name}”; the link may have expired. Post it again.`, {
          retryable: false,
          status: response.status,
        });
      }
      return readCapped(response.body, maxBytes);
    },
  };
}
