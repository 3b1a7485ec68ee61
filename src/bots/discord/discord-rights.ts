import { PermissionFlagsBits, type ChatInputCommandInteraction, type Message, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Permissions, Right } from '../../commands/types.js';

/** The Discord permission that grants each right (the manager role grants both). */
const RIGHTS: Readonly<Record<Right, { readonly flag: bigint; readonly name: string }>> = {
  manage: { flag: PermissionFlagsBits.ManageChannels, name: 'Manage Channels' },
  moderate: { flag: PermissionFlagsBits.ManageMessages, name: 'Manage Messages' },
};

/** Who is asking, as far as rights go: in a server or not, their permissions and role names. */
export interface Member {
  readonly inGuild: boolean;
  readonly has: (flag: bigint) => boolean;
  readonly roleNames: () => readonly string[];
}

/**
 * Changing channel settings and digest schedules: Manage Channels; removing another person's
 * document: Manage Messages; either way the manager role does too, and anyone may in a DM.
 */
export function discordPermission(member: Member, right: Right, managerRole: string | undefined): Permissions {
  const { flag, name } = RIGHTS[right];
  const granted = !member.inGuild || member.has(flag) || (managerRole !== undefined && member.roleNames().some((r) => r.toLowerCase() === managerRole.toLowerCase()));
  return { granted, requirement: `the ${name} permission${managerRole ? ` or the ${managerRole} role` : ''}` };
}

/** The member behind a slash command or context-menu interaction. */
export function memberOfInteraction(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction): Member {
  return {
    inGuild: interaction.inGuild(),
    has: (flag) => interaction.memberPermissions?.has(flag) === true,
    roleNames: () => {
      if (!interaction.inGuild()) return [];
      const roles = interaction.member.roles;
      const ids = Array.isArray(roles) ? roles : [...roles.cache.keys()];
      return ids.flatMap((id) => interaction.guild?.roles.cache.get(id)?.name ?? []);
    },
  };
}

/** The member who posted a message (a PDF, an image, an @mention). */
export function memberOfMessage(message: Message): Member {
  return {
    inGuild: message.guildId !== null,
    has: (flag) => message.member?.permissions.has(flag) === true,
    roleNames: () => [...(message.member?.roles.cache.values() ?? [])].map((r) => r.name),
  };
}
