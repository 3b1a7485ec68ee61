import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordCommands } from '../../../src/bots/discord/command-json.js';
import { deployDiscordCommands } from '../../../src/bots/discord/deploy-commands.js';
import { allCommands } from '../../../src/commands/registry.js';
import { startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';

const TOKEN = 'fake.deploy.token';
let rest: FakeDiscordRest;
beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
});
afterAll(() => rest.close());

describe('Discord command registration', () => {
  it('generates one slash command per shared definition, required options first, plus message context menus', () => {
    const commands = discordCommands(allCommands) as { name: string; type: number; description?: string; options?: { name: string; type: number; required: boolean; autocomplete?: boolean }[] }[];
    expect(commands.filter((c) => c.type === 1).map((c) => c.name)).toEqual(allCommands.map((c) => c.name));
    expect(commands.filter((c) => c.type === 3).map((c) => c.name)).toEqual(['Summarize thread', 'Describe image', 'Read text']);
    const forget = commands.find((c) => c.name === 'forget');
    expect(forget?.options).toEqual([expect.objectContaining({ name: 'document', type: 3, required: true, autocomplete: true })]);
    expect(commands.find((c) => c.name === 'index')?.options?.[0]).toMatchObject({ type: 11, required: true });
    expect(commands.find((c) => c.name === 'diff')?.options).toEqual([expect.objectContaining({ name: 'document', type: 3, required: true, autocomplete: true })]);
    // /ask version:previous, as Discord shows a string option with choices.
    expect(commands.find((c) => c.name === 'ask')?.options?.[1]).toMatchObject({ name: 'version', type: 3, required: false, choices: [{ name: 'current', value: 'current' }, { name: 'previous', value: 'previous' }] });
    expect(commands.find((c) => c.name === 'summarize')?.options?.map((o) => o.type)).toEqual([11, 4, 3, 5, 5]);
    const settings = commands.find((c) => c.name === 'settings') as unknown as { options: { type: number; name: string; options: { name: string; choices?: { value: string }[] }[] }[] };
    expect(settings.options.map((o) => [o.type, o.name])).toEqual([[1, 'show'], [1, 'alttext'], [1, 'forgetdeleted'], [1, 'ai'], [1, 'versionsummary']]);
    expect(settings.options[1].options[0].choices?.map((c) => c.value)).toEqual(['on', 'off']);
    for (const command of commands) {
      expect(command.name.length).toBeLessThanOrEqual(32);
      if (command.type === 1) {
        expect(command.name).toMatch(/^[a-z0-9_-]+$/);
        expect(command.description?.length).toBeLessThanOrEqual(100);
        const flags = (command.options ?? []).map((o) => o.required);
        expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
      }
    }
  });

  it('registers to a guild for instant updates, globally otherwise, and is idempotent', async () => {
    const guild = await deployDiscordCommands({ token: TOKEN, apiUrl: rest.url, guildId: '800' });
    const again = await deployDiscordCommands({ token: TOKEN, apiUrl: rest.url, guildId: '800' });
    const global = await deployDiscordCommands({ token: TOKEN, apiUrl: rest.url });
    expect(guild).toEqual(again);
    expect(guild.scope).toBe('guild');
    expect(global.scope).toBe('global');
    const puts = rest.calls.filter((c) => c.kind === 'commands');
    expect(puts.map((c) => c.path)).toEqual(['/v10/applications/352205866889641984/guilds/800/commands', '/v10/applications/352205866889641984/guilds/800/commands', '/v10/applications/352205866889641984/commands']);
    expect(puts[0].body).toEqual(discordCommands(allCommands));
  });
});
