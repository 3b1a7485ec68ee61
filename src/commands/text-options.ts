import { BadInputError } from '../core/ports/errors.js';
import type { FileSource } from '../core/ports/types.js';
import { splitWords } from './parse-line.js';
import { SUBCOMMAND, type CommandDefinition, type RawOptions } from './types.js';

/**
 * Maps the text typed after a command (console line, Slack slash command) onto its options:
 * `name=value` words set an option by name; the other words fill the options in order, the last
 * text option taking the rest; yes/no options, and options marked `named`, are only set by name. Attachment options take
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
  // Options only set by name are taken out of the raw text too: the text option keeps the rest as typed.
  let text = rest;
  for (const spec of command.options.filter((o) => o.named)) {
    const pattern = new RegExp(`(^|\\s)${spec.name}${spec.choices ? '[=:]' : '='}(\\S+)(?=\\s|$)`, 'i');
    const match = pattern.exec(text);
    if (!match || (spec.choices && !spec.choices.some((c) => c.toLowerCase() === match[2].toLowerCase()) && !match[0].includes('='))) continue;
    options[spec.name] = match[2];
    named.add(spec.name);
    text = `${text.slice(0, match.index)}${match[1]}${text.slice(match.index + match[0].length)}`.trim();
  }
  let wordsNamed = false;
  const words = splitWords(text).filter((word) => {
    const match = /^([a-z_]+)=(.*)$/.exec(word);
    const spec = match ? command.options.find((o) => o.name === match[1] && o.type !== 'attachment') : undefined;
    if (!match || !spec) return true;
    options[spec.name] = match[2];
    named.add(spec.name);
    wordsNamed = true;
    return false;
  });
  const positional = command.options.filter((o) => !named.has(o.name) && !o.named && o.type !== 'boolean' && (o.type !== 'attachment' || resolveFiles));
  for (const [i, spec] of positional.entries()) {
    const isLast = i === positional.length - 1;
    if (words.length === 0) break;
    if (spec.type === 'attachment' && resolveFiles) {
      const references = isLast ? words.splice(0) : words.splice(0, 1);
      options[spec.name] = (await Promise.all(references.map(resolveFiles))).flat();
    } else if (isLast && spec.type === 'string') {
      // The only text option gets the text as typed (quotes and apostrophes kept).
      options[spec.name] = positional.length === 1 && !wordsNamed ? text.trim() : words.join(' ');
      words.splice(0);
    } else {
      options[spec.name] = words.shift();
    }
  }
  if (command.options.length === 0 && words.length > 0) {
    throw new BadInputError('bad_option', `/${command.name} takes no arguments.`);
  }
  return options;
}
