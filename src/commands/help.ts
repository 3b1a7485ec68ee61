import { BadInputError } from '../core/ports/errors.js';
import { defineCommand, usage, type CommandDefinition } from './types.js';

/** Width of the usage column in the command list. */
const USAGE_COLUMN = 28;

/**
 * One line of the command list: the usage, then its description in the next column; a usage too
 * long for the column gets its description on the line below, so the two never run together.
 */
export function helpLine(usage: string, description: string): string {
  return usage.length < USAGE_COLUMN ? `  ${usage.padEnd(USAGE_COLUMN)} ${description}` : `  ${usage}\n  ${' '.repeat(USAGE_COLUMN)} ${description}`;
}

export function createHelpCommand(list: () => readonly CommandDefinition[]): CommandDefinition {
  return defineCommand({
    name: 'help',
    description: 'Show what Docent can do',
    private: true,
    options: [{ name: 'command', description: 'A command to explain in detail, e.g. digest', type: 'string', required: false, maxLength: 40 }],
    async run(options) {
      const commands = list();
      if (typeof options.command === 'string') {
        const wanted = options.command.replace(/^\//, '').toLowerCase();
        const command = commands.find((c) => c.name === wanted);
        if (!command) throw new BadInputError('bad_option', `Docent has no /${wanted}. The commands are: ${commands.map((c) => `/${c.name}`).join(', ')}.`);
        const verbs = command.subcommands?.map((s) => `  /${command.name} ${s.name} — ${s.description}`) ?? [];
        const fields = (command.subcommands ? [] : command.options).map((o) => `  ${o.name}${o.required ? '' : ' (optional)'}: ${o.description}`);
        return {
          text: [`/${command.name} — ${command.description}`, `Usage: ${usage(command)}`, ...verbs, ...fields, ...(command.help ? ['', command.help] : [])].join('\n'),
          data: { command: command.name, description: command.description, usage: usage(command), help: command.help ?? null },
          ephemeral: true,
        };
      }
      return {
        text: ['Docent commands (details: /help <command>, e.g. /help digest):', ...commands.map((c) => helpLine(usage(c), c.description))].join('\n'),
        data: { commands: commands.map((c) => ({ name: c.name, description: c.description, usage: usage(c) })) },
        ephemeral: true,
      };
    },
  });
}
