import { BadInputError } from '../core/errors.js';
import type { FileSource } from '../core/types.js';
import { splitWords } from './parse-line.js';
import { SUBCOMMAND, type CommandDefinition, type RawOptions } from './types.js';

/**
 * Maps the text typed after a command (console line, Slack slash command) onto its options:
 * `name=value` words set an option by name; the other words fill the options in order, the last
 * text option taking the rest; yes/no options are only set by name. Attachment options take
 * words as file references through `resolveFiles` (the console reads paths).
 */
export async function textOptions(
  command: CommandDefinition,
  rest: string,
  resolveFiles?: (word: string) => Promise<FileSource[]>,
): Promise<RawOptions> {
  if (command.subcommands) {
    // The first word names the verb (`/digest set daily 09:00`); the rest are that verb's options.
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(rest);
    const name = match?.[1]?.toLowerCase();
    const sub = command.subcommands.find((s) => s.name === name);
    if (!sub) return { [SUBCOMMAND]: name };
    const options = await textOptions({ ...command, name: `${command.name} ${sub.name}`, subcommands: undefined, options: sub.options }, match?.[2] ?? '', resolveFiles);
    return { [SUBCOMMAND]: sub.name, ...options };
  }
  const options: Record<string, RawOptions[string]> = {};
  const named = new Set<string>();
  const words = splitWords(rest).filter((word) => {
    const match = /^([a-z_]+)=(.*)$/.exec(word);
    const spec = match ? command.options.find((o) => o.name === match[1] && o.type !== 'attachment') : undefined;
    if (!match || !spec) return true;
    options[spec.name] = match[2];
    named.add(spec.name);
    return false;
  });
  const positional = command.options.filter((o) => !named.has(o.name) && o.type !== 'boolean' && (o.type !== 'attachment' || resolveFiles));
  for (const [i, spec] of positional.entries()) {
    const isLast = i === positional.length - 1;
    if (words.length === 0) break;
    if (spec.type === 'attachment' && resolveFiles) {
      const references = isLast ? words.splice(0) : words.splice(0, 1);
      options[spec.name] = (await Promise.all(references.map(resolveFiles))).flat();
    } else if (isLast && spec.type === 'string') {
      options[spec.name] = command.options.length === 1 ? rest.trim() : words.splice(0).join(' ');
    } else {
      options[spec.name] = words.shift();
    }
  }
  if (command.options.length === 0 && words.length > 0) {
    throw new BadInputError('bad_option', `/${command.name} takes no arguments.`);
  }
  return options;
}
