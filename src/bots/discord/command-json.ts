import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { CommandDefinition, OptionSpec } from '../../commands/types.js';

const OPTION_TYPES: Record<OptionSpec['type'], ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
};

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Discord application commands generated from the shared definitions: one slash command per
 * definition (required options first, as Discord demands; verbs as subcommands), and one message context-menu command
 * per definition that acts on a message.
 */
function optionsJson(options: readonly OptionSpec[]) {
  return [...options]
    .sort((a, b) => Number(b.required) - Number(a.required))
    .map((option) => ({
      type: OPTION_TYPES[option.type],
      name: option.name,
      description: clip(option.description, 100),
      required: option.required,
      ...(option.autocomplete ? { autocomplete: true } : {}),
      ...(option.choices ? { choices: option.choices.map((c) => ({ name: c, value: c })) } : {}),
      ...(option.min !== undefined ? { min_value: option.min } : {}),
      ...(option.max !== undefined ? { max_value: option.max } : {}),
      ...(option.maxLength !== undefined ? { max_length: Math.min(option.maxLength, 6000) } : {}),
    }));
}

export function discordCommands(definitions: readonly CommandDefinition[]): RESTPostAPIApplicationCommandsJSONBody[] {
  const slash = definitions.map((definition) => ({
    type: ApplicationCommandType.ChatInput as const,
    name: definition.name,
    description: clip(definition.description, 100),
    options: definition.subcommands
      ? definition.subcommands.map((sub) => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: sub.name,
          description: clip(sub.description, 100),
          options: optionsJson(sub.options),
        }))
      : optionsJson(definition.options),
  }));
  const menus = definitions.flatMap((definition) =>
    (definition.messageActions ?? []).map((action) => ({ type: ApplicationCommandType.Message as const, name: action.label })),
  );
  return [...slash, ...menus] as RESTPostAPIApplicationCommandsJSONBody[];
}
