import type { Writable } from 'node:stream';
import type { DigestPlatform } from '../../core/ports/ports.js';

/**
 * Digests in the console: the console has no message history to recap, so a digest lists the
 * documents indexed and the questions asked; posts and notes are printed where the session reads.
 */
export function consoleDigestPlatform(output: Writable, afterPrint: () => void = () => undefined): DigestPlatform {
  const print = (text: string) => {
    output.write(`\n${text}\n`);
    afterPrint(); // an interactive session shows its prompt again
  };
  return {
    platform: 'console',
    conversation: () => undefined,
    canRead: async () => true,
    channelLabel: async (_workspace, channel) => `#${channel}`,
    findChannel: async (_workspace, name) => name,
    async post(_workspace, channel, markdown) {
      print(`[digest for #${channel}]\n${markdown}`);
      return `console:${channel}`;
    },
    async notify(_workspace, _userId, markdown) {
      print(markdown);
    },
  };
}
