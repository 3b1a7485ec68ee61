import type { ChatInputCommandInteraction } from 'discord.js';
import { optionsFor, SUBCOMMAND, type CommandDefinition, type RawOptions } from '../../commands/types.js';
import { attachmentSource } from './discord-files.js';

/**
 * A slash command's options as the command declares them (its subcommand under SUBCOMMAND);
 * an attachment becomes a file source that downloads only from Discord's CDN hosts. Throws when
 * discord.js cannot read an option as the declared type (the command is registered by another version).
 */
export function interactionOptions(command: CommandDefinition, interaction: ChatInputCommandInteraction, cdnHosts: readonly string[]): RawOptions {
  const subcommand = command.subcommands ? (interaction.options.getSubcommand(false) ?? undefined) : undefined;
  const options: Record<string, RawOptions[string]> = subcommand ? { [SUBCOMMAND]: subcommand } : {};
  for (const spec of optionsFor(command, subcommand)) {
    switch (spec.type) {
      case 'string':
        options[spec.name] = interaction.options.getString(spec.name) ?? undefined;
        break;
      case 'integer':
        options[spec.name] = interaction.options.getInteger(spec.name) ?? undefined;
        break;
      case 'boolean':
        options[spec.name] = interaction.options.getBoolean(spec.name) ?? undefined;
        break;
      case 'attachment': {
        const attachment = interaction.options.getAttachment(spec.name);
        options[spec.name] = attachment ? [attachmentSource({ name: attachment.name, size: attachment.size, url: attachment.url, contentType: attachment.contentType }, { cdnHosts })] : undefined;
        break;
      }
    }
  }
  return options;
}
