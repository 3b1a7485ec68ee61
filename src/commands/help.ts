import { defineCommand, usage, type CommandDefinition } from './types.js';

export function createHelpCommand(list: () => readonly CommandDefinition[]): CommandDefinition {
  return defineCommand({
    name: 'help',
    description: 'Show what Docent can do',
    options: [],
    async run() {
      const commands = list();
      return {
        text: ['Docent commands:', ...commands.map((c) => `  ${usage(c).padEnd(28)} ${c.description}`)].join('\n'),
        data: { commands: commands.map((c) => ({ name: c.name, description: c.description, usage: usage(c) })) },
        ephemeral: true,
      };
    },
  });
}
